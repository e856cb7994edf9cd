package dev.modproxy.gateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.security.Security;

/**
 * The gateway's entry point: bounds the JDK's DNS cache, leaves request targets to the gateway's
 * own checks ({@link #ownRequestTargetChecks}), then starts Quarkus.
 *
 * <p>Why: {@code dns+http://} fetcher entries are resolved with {@link java.net.InetAddress},
 * which caches every answer for the security property {@code networkaddress.cache.ttl}. That
 * property is read once, when the JDK first resolves a name, so it must be set before anything
 * resolves — here, first thing in {@code main}. Without it the JDK's default applies (30 s; and
 * "forever" under a security manager), so a fetcher that came or went could stay invisible for
 * that long on top of {@code modproxy.fetcher.dns-refresh}. We set {@value #DNS_CACHE_SECONDS} s
 * unless the operator has set a TTL already (the security property, or the system property
 * {@code sun.net.inetaddr.ttl}, e.g. in {@code JAVA_OPTS}), which then wins.
 */
@QuarkusMain
public class GatewayMain {

    /** Seconds the JDK keeps a resolved name; below the default fetcher DNS refresh of 10 s. */
    public static final int DNS_CACHE_SECONDS = 5;

    public static void main(String... args) {
        boundDnsCache();
        ownRequestTargetChecks();
        Quarkus.run(args);
    }

    /**
     * Turns off Quarkus' own check of the request target ({@code new URI(target)} for every
     * request, read once from the system property {@code vertx.disableURIValidation}), which
     * answered a malformed percent-escape with a bare 400 and no reason. The gateway judges
     * targets itself: the GOPROXY route parses the raw path strictly
     * ({@code gomod.proxy.ProxyRequest}), and what the router cannot decode gets a one-line
     * reason from {@code chain.RequestChain}. It also takes a URI parse off every hot request.
     */
    public static void ownRequestTargetChecks() {
        if (System.getProperty("vertx.disableURIValidation") == null) {
            System.setProperty("vertx.disableURIValidation", "true");
        }
    }

    /** Sets {@code networkaddress.cache.ttl} unless already set; effective only before the first lookup. */
    public static void boundDnsCache() {
        if (Security.getProperty("networkaddress.cache.ttl") == null && System.getProperty("sun.net.inetaddr.ttl") == null) {
            Security.setProperty("networkaddress.cache.ttl", Integer.toString(DNS_CACHE_SECONDS));
        }
    }
}

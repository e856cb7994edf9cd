package dev.modproxy.gateway.chain;

import dev.modproxy.gateway.auth.Authenticator;
import dev.modproxy.gateway.policy.RequestPolicy;
import dev.modproxy.gateway.qos.ClientRateLimit;
import dev.modproxy.gateway.qos.Hardening;
import dev.modproxy.gateway.rest.ProxyFailureHandler;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The one place the gateway's request chain is put together. Every request except Quarkus'
 * own endpoints ({@code /q/*}: health and metrics stay reachable for probes whatever the
 * limits) passes these steps, in this order, before the protocol handlers see it:
 * <ol>
 *   <li>{@link Hardening} — request target and query limits (header size, initial line and
 *       idle time are enforced by the HTTP server itself: {@code quarkus.http.limits.*});</li>
 *   <li>{@link Authenticator} — who is asking: basic (bcrypt users file) or bearer token,
 *       anonymous when no credentials are sent or authentication is off;</li>
 *   <li>{@link ClientRateLimit} — a token bucket per identity, or per IP for anonymous clients,
 *       after authentication so a company NAT does not share one bucket between its users;</li>
 *   <li>{@link RequestPolicy} — the admin role for {@code /api/v1/*}, read access to private
 *       modules (404 to others), deny rules, allow list and cooldown;</li>
 *   <li>the protocol: the GOPROXY route ({@code rest.GoproxyRoute}, order
 *       {@value RouteConstants#ROUTE_ORDER_BEFORE_DEFAULT}), the sumdb proxy, the admin API.</li>
 * </ol>
 * Each step is a Vert.x route of a lower order than the protocol's; it either fails the request
 * (through {@link ProxyFailureHandler}, the gateway's one error-to-HTTP place) or calls
 * {@code next()}. What a step learns is left on the context under {@link ContextKeys} for the
 * later steps and for the audit event.
 */
@ApplicationScoped
public class RequestChain {

    /** The first step's order; each later step takes the next number. */
    static final int FIRST = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 100;

    private final Hardening hardening;
    private final Authenticator authenticator;
    private final ClientRateLimit rateLimit;
    private final RequestPolicy policy;

    public RequestChain(Hardening hardening, Authenticator authenticator, ClientRateLimit rateLimit,
            RequestPolicy policy) {
        this.hardening = hardening;
        this.authenticator = authenticator;
        this.rateLimit = rateLimit;
        this.policy = policy;
    }

    void register(@Observes Router router) {
        // A target the router cannot decode (a malformed percent-escape) fails before any route
        // runs; it gets the same one-line text/plain 400 as every other bad request.
        router.errorHandler(400, ProxyFailureHandler::badTarget);
        int order = FIRST;
        step(router, order++, hardening);
        step(router, order++, authenticator);
        step(router, order++, rateLimit);
        step(router, order, policy);
    }

    private static void step(Router router, int order, Handler<RoutingContext> handler) {
        ProxyFailureHandler failures = new ProxyFailureHandler();
        router.route().order(order).handler(ctx -> {
            if (isQuarkusEndpoint(ctx.request().path())) {
                ctx.next();
                return;
            }
            try {
                handler.handle(ctx);
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        }).failureHandler(failures);
    }

    /** {@code /q} and below: health, metrics. */
    static boolean isQuarkusEndpoint(String path) {
        return path != null && (path.equals("/q") || path.startsWith("/q/"));
    }
}

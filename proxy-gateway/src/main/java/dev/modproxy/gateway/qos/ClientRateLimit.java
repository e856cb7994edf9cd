package dev.modproxy.gateway.qos;

import dev.modproxy.gateway.auth.Identity;
import dev.modproxy.gateway.chain.ContextKeys;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import io.vertx.core.Handler;
import dev.modproxy.gateway.door.FrontDoor;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * The per-client rate limit: {@code modproxy.qos.per-client-rps} sustained, {@code per-client-burst}
 * at once. A client is its identity when it authenticated, else its IP address (behind a
 * reverse proxy, list it in {@code modproxy.gateway.trusted-proxies} so that is the real
 * client's: {@link FrontDoor#client}). Over the limit: 429 with {@code Retry-After} and a one-line reason; the
 * request never reaches storage or a fetcher.
 */
@ApplicationScoped
public class ClientRateLimit implements Handler<RoutingContext> {

    private final Buckets buckets;
    private final String rate;

    public ClientRateLimit(QosConfig config) {
        this.buckets = new Buckets(config.perClientRps(), config.perClientBurst(), config.maxBuckets(),
                config.sweepInterval().toNanos(), System::nanoTime);
        this.rate = ColdFetchLimit.format(config.perClientRps());
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!buckets.enabled()) {
            ctx.next(); // off: not even the client's key (its address) is worked out
            return;
        }
        String client = clientKey(ctx);
        ctx.put(ContextKeys.CLIENT, client);
        long wait = buckets.take(client);
        if (wait == 0) {
            ctx.next();
            return;
        }
        long seconds = Buckets.retryAfterSeconds(wait);
        ctx.fail(new ProxyException(Kind.TOO_MANY_REQUESTS, "rate limit: " + client + " is over "
                + rate + " requests per second; retry in " + seconds + "s",
                Map.of("Retry-After", Long.toString(seconds)), null));
    }

    static String clientKey(RoutingContext ctx) {
        Identity id = ctx.get(ContextKeys.IDENTITY);
        if (id != null && !id.anonymous()) {
            return "user:" + id.name();
        }
        String host = FrontDoor.client(ctx);
        return "ip:" + (host == null ? "unknown" : host);
    }
}

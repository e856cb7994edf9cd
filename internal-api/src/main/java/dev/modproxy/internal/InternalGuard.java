package dev.modproxy.internal;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * The door of a service that only modproxy's own services may use (fetcher-service,
 * sumdb-service, audit-service): every request must carry the {@link ServiceCredential}, except
 * the health probes ({@code /q/health...}) and Prometheus ({@code /q/metrics}), which stay open
 * for Kubernetes and the monitoring namespace.
 *
 * <p>It runs before every other route, on the path as the router resolves it (dot segments
 * removed, unreserved escapes decoded), so no spelling of a path reaches a resource around it.
 */
public final class InternalGuard implements Handler<RoutingContext> {

    private final ServiceCredential credential;

    private InternalGuard(ServiceCredential credential) {
        this.credential = credential;
    }

    /** Puts the guard in front of every route of {@code router}. */
    public static void install(Router router, ServiceCredential credential) {
        router.route().order(Integer.MIN_VALUE).handler(new InternalGuard(credential));
    }

    /** Paths open without the credential: the probes and the metrics scrape. */
    static boolean open(String path) {
        return path.equals("/q/health") || path.startsWith("/q/health/")
                || path.equals("/q/metrics") || path.startsWith("/q/metrics/");
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (open(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        Optional<String> refusal = credential.refusal(ctx.request().getHeader(ServiceCredential.HEADER));
        if (refusal.isEmpty()) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(401)
                .putHeader(ServiceCredential.CHALLENGE_HEADER, ServiceCredential.CHALLENGE)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(refusal.get() + "\n");
    }
}

package dev.modproxy.gateway.rest;

import dev.modproxy.gomod.proxy.ProxyRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;

/**
 * The gateway's request metrics, by route kind rather than by path so their cardinality stays
 * bounded whatever clients ask:
 * <ul>
 *   <li>{@code modproxy_gateway_requests_seconds{kind,status}}: a timer per route kind
 *       ({@code list|latest|info|mod|zip} for GOPROXY requests, {@code sumdb}, {@code api},
 *       {@code ui} for catalog/index/console, {@code invalid} for what is not a proxy request)
 *       and HTTP status, from the first handler to the last byte (or the connection closing);</li>
 *   <li>{@code modproxy_gateway_served_bytes_total{kind}}: bytes written to clients, body and
 *       headers, so an interrupted download counts what it got.</li>
 * </ul>
 * Quarkus' own {@code /q} endpoints are left out: scrapes and probes are not traffic.
 * The cache outcome counter lives with the cache, in {@link dev.modproxy.gateway.service.ArtifactService}.
 */
@ApplicationScoped
public class RequestMetrics {

    /** The GOPROXY route puts the request type here once the path parses. */
    static final String KIND = "modproxy.metrics.kind";

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void register(@Observes Router router) {
        // First of all routes, so every answer is seen however it ends (including failures).
        router.route().order(Integer.MIN_VALUE + 100).handler(this::observe);
    }

    static void kind(RoutingContext ctx, ProxyRequest request) {
        ctx.put(KIND, request.type().name().toLowerCase(Locale.ROOT));
    }

    private void observe(RoutingContext ctx) {
        String path = ctx.request().path();
        String fixed = fixedKind(path == null ? "" : path);
        if (!"q".equals(fixed)) {
            long start = System.nanoTime();
            ctx.addEndHandler(done -> record(ctx, fixed, System.nanoTime() - start));
        }
        ctx.next();
    }

    private void record(RoutingContext ctx, String fixed, long nanos) {
        String kind = fixed != null ? fixed : ctx.get(KIND, "invalid");
        Timer.builder("modproxy_gateway_requests")
                .description("Requests answered, by route kind and HTTP status")
                .tags("kind", kind, "status", Integer.toString(ctx.response().getStatusCode()))
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        Counter.builder("modproxy_gateway_served")
                .description("Bytes written to clients, by route kind")
                .baseUnit("bytes")
                .tag("kind", kind)
                .register(registry)
                .increment(ctx.response().bytesWritten());
    }

    /** The kind a path prefix decides, or null when the GOPROXY route decides it. */
    static String fixedKind(String path) {
        for (String prefix : GoproxyRoute.RESERVED) {
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return switch (prefix) {
                    case "/q" -> "q";
                    case "/sumdb" -> "sumdb";
                    case "/api" -> "api";
                    default -> "ui";
                };
            }
        }
        return null;
    }
}

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
    private final ConcurrentHashMap<String, KindMeters> byKind = new ConcurrentHashMap<>();

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
        KindMeters meters = byKind.computeIfAbsent(kind, KindMeters::new);
        meters.timer(ctx.response().getStatusCode()).record(nanos, TimeUnit.NANOSECONDS);
        meters.served.increment(ctx.response().bytesWritten());
    }

    /**
     * The meters of one route kind, looked up once: building and registering a meter per request
     * (tags, id, registry map) cost more than recording into it. Kinds are a fixed handful;
     * statuses are HTTP's 100-599.
     */
    private final class KindMeters {
        private final String kind;
        private final Counter served;
        private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(600);

        KindMeters(String kind) {
            this.kind = kind;
            this.served = Counter.builder("modproxy_gateway_served")
                    .description("Bytes written to clients, by route kind")
                    .baseUnit("bytes")
                    .tag("kind", kind)
                    .register(registry);
        }

        Timer timer(int status) {
            int slot = status >= 0 && status < 600 ? status : 0;
            Timer t = timers.get(slot);
            if (t == null) {
                t = Timer.builder("modproxy_gateway_requests")
                        .description("Requests answered, by route kind and HTTP status")
                        .tags("kind", kind, "status", Integer.toString(status))
                        .register(registry);
                if (slot != 0) {
                    timers.set(slot, t);
                }
            }
            return t;
        }
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

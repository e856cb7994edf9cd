package dev.modproxy.gateway.rest;

import dev.modproxy.gomod.proxy.ProxyRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

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
 *
 * <p>The gateway also writes the {@code http_server_*} series every modproxy service has (the
 * dashboards, alerts and the request-rate HPA read them): {@code http_server_requests_seconds
 * {method,outcome,status,uri}}, {@code http_server_active_requests},
 * and {@code http_server_bytes_written} (what the dashboards and alerts read), with the names and tags
 * Quarkus' HTTP binder gives the other services. Quarkus' binder itself is off in the gateway
 * ({@code quarkus.micrometer.binder.http-server.enabled=false}): it built and looked up its
 * meters from fresh tags on every request, a tenth of the gateway's CPU on a hot {@code .info};
 * here the meters are found once per (method, uri, status). {@code uri} is the route template
 * (the GOPROXY route's, or a REST resource's), {@code NOT_FOUND}/{@code REDIRECTION} as Quarkus
 * has them, or the owning prefix ({@code /sumdb/*}): never a raw path, so cardinality stays bounded.
 */
@ApplicationScoped
public class RequestMetrics {

    /** The GOPROXY route puts the request type here once the path parses. */
    static final String KIND = "modproxy.metrics.kind";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, KindMeters> byKind = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<HttpKey, HttpMeters> http = new ConcurrentHashMap<>();
    private final LongAdder active = new LongAdder();

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("http.server.active.requests", active, LongAdder::doubleValue)
                .description("Requests being served").register(registry);
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
        long start = System.nanoTime();
        active.increment();
        ctx.addEndHandler(done -> {
            long nanos = System.nanoTime() - start;
            active.decrement();
            recordHttp(ctx, path, fixed, nanos);
            if (!"q".equals(fixed)) {
                record(ctx, fixed, nanos);
            }
        });
        ctx.next();
    }

    private void recordHttp(RoutingContext ctx, String path, String fixed, long nanos) {
        int status = ctx.response().getStatusCode();
        HttpKey key = new HttpKey(ctx.request().method().name(), uri(ctx, path, fixed, status), status);
        HttpMeters m = http.get(key);
        if (m == null) {
            m = http.computeIfAbsent(key, HttpMeters::new);
        }
        m.requests.record(nanos, TimeUnit.NANOSECONDS);
        m.written.record(ctx.response().bytesWritten());
    }

    /** The bounded {@code uri} tag of a request (see the class comment). */
    static String uri(RoutingContext ctx, String path, String fixed, int status) {
        Object template = ctx.get("UrlPathTemplate");
        if (template instanceof String t) {
            return t;
        }
        if (status == 404) {
            return "NOT_FOUND";
        }
        if (status >= 300 && status < 400) {
            return "REDIRECTION";
        }
        if ("q".equals(fixed)) {
            return Q_PATHS.contains(path) ? path : "/q/*";
        }
        if (fixed != null) {
            return switch (fixed) {
                case "sumdb" -> "/sumdb/*";
                case "api" -> "/api/*";
                default -> "/ui/*";
            };
        }
        return "UNKNOWN";
    }

    private static final java.util.Set<String> Q_PATHS = java.util.Set.of("/q/health", "/q/health/live",
            "/q/health/ready", "/q/health/started", "/q/metrics");

    private record HttpKey(String method, String uri, int status) {
    }

    /** The http_server_* meters of one (method, uri, status), registered once. */
    private final class HttpMeters {
        final Timer requests;
        final DistributionSummary written;

        HttpMeters(HttpKey k) {
            Tags tags = Tags.of("method", k.method(), "outcome", Outcome.forStatus(k.status()).name(),
                    "status", Integer.toString(k.status()), "uri", k.uri());
            requests = Timer.builder("http.server.requests").description("HTTP server request processing time")
                    .tags(tags).register(registry);
            written = DistributionSummary.builder("http.server.bytes.written").description("Bytes written to clients")
                    .tags(tags).register(registry);
        }
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

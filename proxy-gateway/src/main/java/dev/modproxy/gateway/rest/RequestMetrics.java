package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.door.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

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

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, KindMeters> byKind = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<HttpKey, HttpMeters> http = new ConcurrentHashMap<>();
    private final LongAdder active = new LongAdder();

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("http.server.active.requests", active, LongAdder::doubleValue)
                .description("Requests being served").register(registry);
    }

    /**
     * The chain's first step (chain.RequestChain): hooks the end of the response, so every
     * answer is seen however it ends (refusals at the door included). The kind comes from the
     * door's {@link Target}, read when the response ends.
     */
    public void observe(RoutingContext ctx) {
        long start = System.nanoTime();
        active.increment();
        ctx.addEndHandler(done -> {
            long nanos = System.nanoTime() - start;
            active.decrement();
            Target target = Target.of(ctx);
            String fixed = fixedKind(target);
            recordHttp(ctx, target, fixed, nanos);
            if (!"q".equals(fixed)) {
                record(ctx, fixed, nanos);
            }
        });
        ctx.next();
    }

    private void recordHttp(RoutingContext ctx, Target target, String fixed, long nanos) {
        int status = ctx.response().getStatusCode();
        HttpKey key = new HttpKey(ctx.request().method().name(), uri(ctx, target, fixed, status), status);
        HttpMeters m = http.get(key);
        if (m == null) {
            m = http.computeIfAbsent(key, HttpMeters::new);
        }
        m.requests.record(nanos, TimeUnit.NANOSECONDS);
        m.written.record(ctx.response().bytesWritten());
    }

    /** The bounded {@code uri} tag of a request (see the class comment). */
    static String uri(RoutingContext ctx, Target target, String fixed, int status) {
        Object template = ctx.get("UrlPathTemplate");
        if (template instanceof String t) {
            return t;
        }
        if (target != null && target.kind() == Target.Kind.GOPROXY) {
            return GoproxyRoute.template(target.goproxy().request());
        }
        if (status == 404) {
            return "NOT_FOUND";
        }
        if (status >= 300 && status < 400) {
            return "REDIRECTION";
        }
        if ("q".equals(fixed)) {
            return target.path(); // one of the door's few /q paths
        }
        if (fixed != null) {
            return switch (fixed) {
                case "sumdb" -> "/sumdb/*";
                case "api" -> "/api/*";
                case "invalid" -> "UNKNOWN";
                default -> "/ui/*";
            };
        }
        return "UNKNOWN";
    }

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
        KindMeters meters = byKind.computeIfAbsent(fixed, KindMeters::new);
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

    /**
     * The kind the door's target decides: {@code invalid} when the door refused the request, the
     * request type for a GOPROXY request.
     */
    static String fixedKind(Target target) {
        if (target == null) {
            return "invalid";
        }
        if (target.kind() != Target.Kind.GOPROXY) {
            return target.kind().metric();
        }
        return switch (target.goproxy().request().type()) {
            case LIST -> "list";
            case LATEST -> "latest";
            case INFO -> "info";
            case MOD -> "mod";
            case ZIP -> "zip";
        };
    }
}

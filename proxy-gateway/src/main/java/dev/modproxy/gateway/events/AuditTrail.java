package dev.modproxy.gateway.events;

import dev.modproxy.audit.events.AuditEvent;
import dev.modproxy.audit.events.AuditPublisher;
import dev.modproxy.audit.events.KafkaConnection;
import dev.modproxy.gateway.auth.Identity;
import dev.modproxy.gateway.chain.ContextKeys;
import dev.modproxy.gateway.config.AuditPublishConfig;
import dev.modproxy.gateway.policy.PolicyDecision;
import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gateway.door.FrontDoor;
import dev.modproxy.gateway.door.Target;
import dev.modproxy.gomod.proxy.ProxyRequest;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

/**
 * One audit event per request, written ahead to the journal before the answer's last byte goes
 * out ({@link WriteAhead} says when) — from a step of the request chain that runs before the door and hooks the
 * response, the single place every answer (artifact, error, sumdb, API) passes. Quarkus' own
 * endpoints ({@code /q/…}) are not audited.
 *
 * <p>Other handlers add what only they know through context keys: {@link #CACHE}
 * ({@code hit}/{@code miss}/{@code bypass}), {@link #UPSTREAM}, {@link #IDENTITY},
 * {@link #DECISION} and {@link #REASON}.
 */
@ApplicationScoped
public class AuditTrail {

    public static final String CACHE = "modproxy.audit.cache";
    public static final String UPSTREAM = "modproxy.audit.upstream";
    public static final String IDENTITY = "modproxy.audit.identity";
    public static final String DECISION = "modproxy.audit.decision";
    public static final String REASON = "modproxy.audit.reason";

    private final AuditPublishConfig config;
    private final GatewayConfig gateway;
    private final MeterRegistry registry;
    private final String bootstrapServers;
    private final String replica;
    private volatile AuditPublisher publisher;

    public AuditTrail(AuditPublishConfig config, GatewayConfig gateway, MeterRegistry registry,
                      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.gateway = gateway;
        this.registry = registry;
        this.bootstrapServers = bootstrapServers;
        this.replica = config.replica().orElseGet(AuditTrail::hostName);
    }

    void start(@Observes StartupEvent ev) throws IOException {
        if (!config.enabled()) {
            return;
        }
        var settings = new AuditPublisher.Settings(config.topic(), config.queueCapacity(),
                config.spoolDir().orElse(gateway.dataDir().resolve("audit-spool")), config.spoolMaxBytes(),
                config.spoolSegmentBytes(), Duration.ofMillis(100), Duration.ofSeconds(1));
        var producer = AuditPublisher.producerConfig(bootstrapServers, config.deliveryTimeout());
        producer.putAll(KafkaConnection.settings(name -> ConfigProvider.getConfig().getOptionalValue(name, String.class)));
        publisher = new AuditPublisher(settings, producer);
        counter("modproxy.audit.events.published", AuditPublisher::published);
        counter("modproxy.audit.events.produced", AuditPublisher::produced);
        counter("modproxy.audit.events.spooled", AuditPublisher::spooled);
        counter("modproxy.audit.events.replayed", AuditPublisher::replayed);
        counter("modproxy.audit.events.dropped", AuditPublisher::dropped);
        Gauge.builder("modproxy.audit.spool.bytes", this, t -> t.publisher.spoolBytes()).register(registry);
        Gauge.builder("modproxy.audit.spool.events", this, t -> t.publisher.spoolPending()).register(registry);
        Gauge.builder("modproxy.audit.queue.events", this, t -> t.publisher.queued()).register(registry);
    }

    private void counter(String name, ToDoubleFunction<AuditPublisher> f) {
        FunctionCounter.builder(name, this, t -> f.applyAsDouble(t.publisher)).register(registry);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (publisher != null) {
            publisher.close(Duration.ofSeconds(5));
        }
    }

    /** The publisher, or null when auditing is off. */
    public AuditPublisher publisher() {
        return publisher;
    }

    /**
     * A step of the request chain (chain.RequestChain), before the front door: hooks the response
     * so refusals at the door are audited too, and writes the event ahead, before the answer's
     * last byte ({@link WriteAhead} says when). What the request was is read from the door's
     * {@link Target} then; probes and scrapes are not audited.
     */
    public void observe(RoutingContext ctx) {
        if (publisher != null) {
            WriteAhead.watch(ctx, (c, start, micros, bytes) -> {
                Target target = Target.of(c);
                if (target == null || !target.kind().probe()) {
                    publish(c, target, start, micros, bytes);
                }
            });
        }
        ctx.next();
    }

    private void publish(RoutingContext ctx, Target target, Instant start, long micros, long bytes) {
        HttpServerRequest req = ctx.request();
        UUID eventId = AuditEvent.newId();
        String requestId = req.getHeader("X-Request-Id");
        AuditEvent.Builder b = AuditEvent.builder().id(eventId).time(start).durationMicros(micros)
                .requestId(requestId != null ? requestId : eventId.toString())
                .client(FrontDoor.client(ctx))
                .userAgent(req.getHeader("User-Agent"))
                .method(req.method().name())
                .status(ctx.response().getStatusCode())
                .bytes(bytes)
                .identity(ctx.get(IDENTITY)).upstream(ctx.get(UPSTREAM)).decision(ctx.get(DECISION)).reason(ctx.get(REASON))
                .replica(replica);
        // What the request chain (auth, policy) decided, under its own keys.
        Object who = ctx.get(ContextKeys.IDENTITY);
        if (who instanceof Identity id && !id.anonymous()) {
            b.identity(id.name());
        }
        Object policy = ctx.get(ContextKeys.POLICY);
        if (policy == PolicyDecision.ALLOW) {
            // An admin action names itself (admin:<action>); a plain allow does not overwrite it.
            if (ctx.get(DECISION) == null) {
                b.decision(PolicyDecision.ALLOW.outcome());
            }
        } else if (policy instanceof PolicyDecision d) {
            String why = String.join(": ", java.util.stream.Stream.of(d.rule(), d.reason()).filter(x -> !x.isEmpty()).toList());
            b.decision(d.outcome()).reason(why.isEmpty() ? null : why);
        }
        String cache = ctx.get(CACHE);
        if (cache != null) {
            b.cache(AuditEvent.Cache.ofWire(cache));
        }
        describe(target, b);
        publisher.publish(b.build());
    }

    /** Kind, module and version from the door's target; a refused request is {@code api}. */
    static void describe(Target target, AuditEvent.Builder b) {
        if (target == null) {
            b.kind(AuditEvent.Kind.API);
            return;
        }
        switch (target.kind()) {
            case GOPROXY -> {
                ProxyRequest r = target.goproxy().request();
                b.module(r.module().value()).version(r.version()).kind(switch (r.type()) {
                    case LIST -> AuditEvent.Kind.LIST;
                    case LATEST -> AuditEvent.Kind.LATEST;
                    case INFO -> AuditEvent.Kind.INFO;
                    case MOD -> AuditEvent.Kind.MOD;
                    case ZIP -> AuditEvent.Kind.ZIP;
                });
            }
            case SUMDB -> {
                b.kind(AuditEvent.Kind.SUMDB);
                if (target.sumdb().lookup() != null) {
                    b.module(target.sumdb().lookup().path().value()).version(target.sumdb().lookup().version());
                }
            }
            default -> b.kind(AuditEvent.Kind.API);
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

package dev.modproxy.gateway.chain;

import dev.modproxy.gateway.auth.Authenticator;
import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gateway.doctor.DoctorConfig;
import dev.modproxy.gateway.door.AdminEndpoint;
import dev.modproxy.gateway.door.ClientAddress;
import dev.modproxy.gateway.door.FrontDoor;
import dev.modproxy.gateway.door.Target;
import dev.modproxy.gateway.events.AuditTrail;
import dev.modproxy.gateway.policy.RequestPolicy;
import dev.modproxy.gateway.qos.ClientRateLimit;
import dev.modproxy.gateway.qos.QosConfig;
import dev.modproxy.gateway.rest.ProxyFailureHandler;
import dev.modproxy.gateway.rest.RequestMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The one place the gateway's request chain is put together, in the order every request
 * passes it, before any handler that answers:
 * <ol>
 *   <li>{@link RequestMetrics} and {@link AuditTrail} — observers: they only hook the end of the
 *       response, so every answer is measured and audited however it ends, refusals included;</li>
 *   <li>{@link FrontDoor} — reads the request target once, refuses ambiguous spellings (400),
 *       unknown paths (404) and wrong methods (405), enforces the target's length limits (414),
 *       and leaves the {@link Target} every later step reads;</li>
 *   <li>{@link Authenticator} — who is asking: basic (bcrypt users file) or bearer token,
 *       anonymous when no credentials are sent or authentication is off; failed logins are
 *       throttled per client and per user name;</li>
 *   <li>{@link ClientRateLimit} — a token bucket per identity, or per IP for anonymous clients,
 *       after authentication so a company NAT does not share one bucket between its users;</li>
 *   <li>{@link RequestPolicy} — the admin roles, read access to protected modules and
 *       checksum-database lookups, deny rules, allow list and cooldown;</li>
 *   <li>then the handler of the target's kind: the GOPROXY route ({@code rest.GoproxyRoute},
 *       after quarantine), the sumdb and audit forwarders, the REST resources of the admin API,
 *       catalog and console. They match the same path the door classified: the door lets through
 *       only paths whose normalized form is the raw form.</li>
 * </ol>
 * Probes and scrapes ({@link Target.Kind#probe()}: health, metrics) pass the door and then skip
 * the other steps. A step either fails the request (through {@link ProxyFailureHandler}, the
 * gateway's one error-to-HTTP place) or calls {@code next()}; what it learns stays on the
 * context ({@link Target#KEY}, {@link ContextKeys}) for the later steps and the audit event.
 */
@ApplicationScoped
public class RequestChain {

    /** The first route's order: before every route Quarkus or a resource registers. */
    static final int FIRST = Integer.MIN_VALUE + 1000; // room below for test-only observers

    private final RequestMetrics metrics;
    private final AuditTrail audit;
    private final FrontDoor door;
    private final Authenticator authenticator;
    private final ClientRateLimit rateLimit;
    private final RequestPolicy policy;

    public RequestChain(RequestMetrics metrics, AuditTrail audit, QosConfig qos, GatewayConfig gateway,
                        DoctorConfig doctor, Authenticator authenticator, ClientRateLimit rateLimit,
                        RequestPolicy policy) {
        this.metrics = metrics;
        this.audit = audit;
        this.door = new FrontDoor(qos.maxPathLength(), qos.maxQueryLength(),
                new ClientAddress(gateway.gateway().trustedProxies().orElse(java.util.List.of())),
                doctor.debug().echo() ? java.util.Set.of()
                        : java.util.Set.of(AdminEndpoint.DEBUG_ECHO, AdminEndpoint.DEBUG_ROUTE));
        this.authenticator = authenticator;
        this.rateLimit = rateLimit;
        this.policy = policy;
    }

    void register(@Observes Router router) {
        // A target the router cannot decode (a malformed percent-escape) fails before any route
        // runs; it gets the same one-line text/plain 400 as every other bad request.
        router.errorHandler(400, ProxyFailureHandler::badTarget);
        int order = FIRST;
        router.route().order(order++).handler(metrics::observe);
        router.route().order(order++).handler(audit::observe);
        router.route().order(order++).handler(guarded(door)).failureHandler(new ProxyFailureHandler());
        step(router, order++, authenticator);
        step(router, order++, rateLimit);
        step(router, order, policy);
    }

    private static void step(Router router, int order, Handler<RoutingContext> handler) {
        Handler<RoutingContext> guarded = guarded(handler);
        router.route().order(order).handler(ctx -> {
            Target target = Target.of(ctx);
            if (target.kind().probe()) {
                ctx.next();
            } else {
                guarded.handle(ctx);
            }
        }).failureHandler(new ProxyFailureHandler());
    }

    private static Handler<RoutingContext> guarded(Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        };
    }
}

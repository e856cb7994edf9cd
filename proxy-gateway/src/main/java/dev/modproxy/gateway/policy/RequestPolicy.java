package dev.modproxy.gateway.policy;

import dev.modproxy.gateway.auth.AuthConfig;
import dev.modproxy.gateway.auth.Identity;
import dev.modproxy.gateway.chain.ContextKeys;
import dev.modproxy.gateway.service.ParsedRequests;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The policy step, before anything is read or fetched for a request:
 * <ol>
 *   <li>{@code /api/v1/*} (admin API) needs the admin group when authentication is on: no
 *       credentials 401, others 403.</li>
 *   <li>GOPROXY requests: read access first. A module an access rule covers is readable by the
 *       identities and groups it lists; to anyone else it does not exist (404 "not found", the
 *       same answer as for a module that really does not exist, so names do not leak). With
 *       {@code modproxy.auth.anonymous=false} a client without credentials gets a 401 challenge
 *       for modules no rule covers.</li>
 *   <li>Then deny rules and the allow list: 403 or 410 with the rule's reason as the body.</li>
 *   <li>For a request naming a version, the cooldown: its {@code .info} Time must be older than
 *       the minimum release age, else 403 with when it becomes available. Learning the Time may
 *       fetch the version (into storage, not to the client).</li>
 * </ol>
 * Requests that do not parse go on untouched: the GOPROXY route answers them 400. The decision
 * is left on the context ({@link ContextKeys#POLICY}).
 */
@ApplicationScoped
public class RequestPolicy implements Handler<RoutingContext> {

    private final PolicyStore store;
    private final VersionFacts facts;
    private final boolean authEnabled;
    private final boolean anonymousRead;
    private final String adminGroup;
    private final Clock clock;

    public RequestPolicy(PolicyStore store, VersionFacts facts, AuthConfig auth) {
        this.store = store;
        this.facts = facts;
        this.authEnabled = auth.enabled();
        this.anonymousRead = auth.anonymous();
        this.adminGroup = auth.adminGroup();
        this.clock = Clock.systemUTC();
    }

    /** Admin-API paths anyone may read. */
    static final java.util.Set<String> PUBLIC_API = java.util.Set.of("/api/v1/sumdb/verifier-key");

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        Identity id = ctx.get(ContextKeys.IDENTITY, Identity.ANONYMOUS);
        ctx.put(ContextKeys.POLICY, PolicyDecision.ALLOW);
        if (path == null) {
            ctx.next();
            return;
        }
        if (PUBLIC_API.contains(path)) {
            // The verifier key is what every go user needs to set GOSUMDB: public by nature.
            ctx.next();
            return;
        }
        if (path.equals("/api") || path.startsWith("/api/")) {
            admin(ctx, id);
            return;
        }
        if (path.equals("/sumdb") || path.startsWith("/sumdb/")) {
            ctx.next();
            return;
        }
        if (path.equals("/catalog") || path.equals("/index")) {
            // Read like the GOPROXY protocol; catalog.CatalogAccess hides what access rules cover.
            if (authEnabled && !anonymousRead && id.anonymous()) {
                ctx.fail(challenge("credentials required"));
            } else {
                ctx.next();
            }
            return;
        }
        ParsedRequests.Parsed parsed;
        try {
            parsed = ParsedRequests.parse(path.startsWith("/") ? path.substring(1) : path);
        } catch (GoModException | RuntimeException e) {
            ctx.next();
            return;
        }
        ProxyRequest request = parsed.request();
        PolicyRules rules = store.rules();
        String module = request.module().value();
        int rule = rules.accessRuleOf(module);
        if (rule >= 0) {
            if (rules.access().get(rule).readers().stream().noneMatch(id::matches)) {
                ctx.put(ContextKeys.POLICY, PolicyDecision.of("hidden", "access[" + rule + "]", "not found"));
                ctx.fail(new ProxyException(Kind.NOT_FOUND, "not found: " + request));
                return;
            }
        } else if (authEnabled && !anonymousRead && id.anonymous()) {
            ctx.fail(challenge("credentials required"));
            return;
        }
        boolean names = parsed.namesVersion();
        Optional<PolicyRules.Denial> denial = names
                ? rules.versionDenied(module, request.version()) : rules.moduleDenied(module);
        if (denial.isPresent()) {
            deny(ctx, denial.get());
            return;
        }
        Duration cooldown = rules.cooldownOf(module);
        if (!names || cooldown.isZero()) {
            ctx.next();
            return;
        }
        ctx.vertx().executeBlocking(() -> facts.time(request.module(), request.version()), false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            Optional<String> young = tooYoung(module, request.version(), ar.result(), cooldown, clock.instant());
            if (young.isPresent()) {
                deny(ctx, new PolicyRules.Denial(403, "cooldown", young.get()));
            } else {
                ctx.next();
            }
        });
    }

    private void admin(RoutingContext ctx, Identity id) {
        if (!authEnabled) {
            ctx.next();
            return;
        }
        if (id.anonymous()) {
            ctx.put(ContextKeys.POLICY, PolicyDecision.of("admin-denied", "admin", "credentials required"));
            ctx.fail(challenge("the admin API needs credentials"));
            return;
        }
        if (!id.inGroup(adminGroup)) {
            ctx.put(ContextKeys.POLICY, PolicyDecision.of("admin-denied", "admin", "admin role required"));
            ctx.fail(new ProxyException(Kind.FORBIDDEN, "forbidden: the admin API needs the " + adminGroup + " role"));
            return;
        }
        ctx.next();
    }

    private static void deny(RoutingContext ctx, PolicyRules.Denial d) {
        ctx.put(ContextKeys.POLICY, PolicyDecision.of("deny", d.rule(), d.reason()));
        ctx.fail(new ProxyException(d.status() == 410 ? Kind.GONE : Kind.FORBIDDEN, d.reason()));
    }

    /** The reason {@code version} is still in its cooldown, if it is. */
    static Optional<String> tooYoung(String module, String version, Instant published, Duration cooldown, Instant now) {
        if (published == null) {
            return Optional.empty();
        }
        Instant available = published.plus(cooldown);
        if (available.isAfter(now)) {
            return Optional.of(module + "@" + version + " was published " + published + "; this proxy serves versions "
                    + cooldown.toHours() + "h after release (cooldown), from " + available);
        }
        return Optional.empty();
    }

    /** Whether the request names one canonical version (.info/.mod/.zip, not a query). */
    static boolean names(ProxyRequest r) {
        return r.type() != Type.LIST && r.type() != Type.LATEST && !r.isQuery();
    }

    private static ProxyException challenge(String reason) {
        return new ProxyException(Kind.UNAUTHORIZED, "authentication required: " + reason,
                Map.of("WWW-Authenticate", "Basic realm=\"modproxy\", charset=\"UTF-8\""), null);
    }
}

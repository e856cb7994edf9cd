package dev.modproxy.gateway.policy;

import dev.modproxy.gateway.auth.AuthConfig;
import dev.modproxy.gateway.auth.Authenticator;
import dev.modproxy.gateway.auth.Identity;
import dev.modproxy.gateway.chain.ContextKeys;
import dev.modproxy.gateway.door.AdminEndpoint;
import dev.modproxy.gateway.door.Target;
import dev.modproxy.gateway.service.ParsedRequests;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.proxy.ProxyRequest;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The policy step: who may do what, decided on the front door's {@link Target} before anything
 * is read or fetched. By the target's kind:
 * <ul>
 *   <li><b>admin API</b> ({@link AdminEndpoint}): public endpoints for everyone; read endpoints
 *       for the read-only admin group ({@code modproxy.auth.admin-read-group}) or the admin group;
 *       the others for the admin group only, and never from another site (a browser's
 *       {@code Sec-Fetch-Site} or {@code Origin} naming another origin: 403), so a page on
 *       another site cannot make an admin's browser act. No credentials: 401.</li>
 *   <li><b>GOPROXY</b> and <b>checksum database lookups</b>: read access first. A module an access
 *       rule covers (case-insensitively) is readable by the identities and groups it lists; an
 *       anonymous client gets a 401 challenge (so {@code .netrc} and GOAUTH credentials are sent),
 *       an authenticated one outside the rule 404 "not found" (names do not leak), and answers
 *       about it are {@code Cache-Control: private}. With {@code modproxy.auth.anonymous=false}
 *       an anonymous client gets the challenge for every module and every checksum-database
 *       path.</li>
 *   <li>Then, for GOPROXY requests, deny rules and the allow list, and for a request naming a
 *       version the cooldown (its release must be older than the minimum age; a version whose
 *       release time is unknown is held). A block is always <b>403</b> with the reason as the
 *       body: the go command prints it and does not fall through to the next GOPROXY entry, as
 *       it would on 404 or 410.</li>
 *   <li><b>catalog</b> and index: like the GOPROXY protocol ({@code catalog.CatalogAccess}
 *       hides what access rules cover); <b>console</b>, health and metrics: open.</li>
 * </ul>
 * The decision is left on the context ({@link ContextKeys#POLICY}) for the audit event.
 */
@ApplicationScoped
public class RequestPolicy implements Handler<RoutingContext> {

    private final PolicyStore store;
    private final VersionFacts facts;
    private final boolean authEnabled;
    private final boolean anonymousRead;
    private final String adminGroup;
    private final String adminReadGroup;
    private final Clock clock;

    public RequestPolicy(PolicyStore store, VersionFacts facts, AuthConfig auth) {
        this.store = store;
        this.facts = facts;
        this.authEnabled = auth.enabled();
        this.anonymousRead = auth.anonymous();
        this.adminGroup = auth.adminGroup();
        this.adminReadGroup = auth.adminReadGroup();
        this.clock = Clock.systemUTC();
    }

    @Override
    public void handle(RoutingContext ctx) {
        Target target = Target.of(ctx);
        Identity id = ctx.get(ContextKeys.IDENTITY, Identity.ANONYMOUS);
        ctx.put(ContextKeys.POLICY, PolicyDecision.ALLOW);
        switch (target.kind()) {
            case ADMIN -> admin(ctx, id, target.admin());
            case GOPROXY -> goproxy(ctx, id, target.goproxy());
            case SUMDB -> sumdb(ctx, id, target.sumdb());
            case CATALOG -> {
                if (mustAuthenticate(id)) {
                    fail(ctx, challenge("credentials required"));
                } else {
                    ctx.next();
                }
            }
            default -> ctx.next();
        }
    }

    private boolean mustAuthenticate(Identity id) {
        return authEnabled && !anonymousRead && id.anonymous();
    }

    private void admin(RoutingContext ctx, Identity id, AdminEndpoint endpoint) {
        // Every request that changes state (any method but GET/HEAD, public ones included, such as
        // taking a canary ticket) is refused from another site, whatever the role.
        if (endpoint.method() != io.vertx.core.http.HttpMethod.GET) {
            Optional<String> cross = crossSite(ctx.request());
            if (cross.isPresent()) {
                refuse(ctx, "admin-denied", "cross-site", "forbidden: a state-changing admin request from another site ("
                        + cross.get() + ")");
                return;
            }
        }
        if (endpoint.access() == AdminEndpoint.Access.PUBLIC) {
            ctx.next();
            return;
        }
        if (!authEnabled) {
            ctx.next(); // documented: with authentication off the admin API is open
            return;
        }
        if (id.anonymous()) {
            ctx.put(ContextKeys.POLICY, PolicyDecision.of("admin-denied", "admin", "credentials required"));
            fail(ctx, challenge("the admin API needs credentials"));
            return;
        }
        boolean admin = id.inGroup(adminGroup);
        if (admin || endpoint.access() == AdminEndpoint.Access.READ && id.inGroup(adminReadGroup)) {
            ctx.next();
            return;
        }
        String role = endpoint.access() == AdminEndpoint.Access.READ ? adminReadGroup + " or " + adminGroup : adminGroup;
        refuse(ctx, "admin-denied", "admin", "forbidden: " + endpoint.method() + " " + endpoint.path()
                + (endpoint.prefix() ? "…" : "") + " needs the " + role + " role");
    }

    private void goproxy(RoutingContext ctx, Identity id, ParsedRequests.Parsed parsed) {
        ProxyRequest request = parsed.request();
        PolicyRules rules = store.rules();
        String module = request.module().value();
        if (!readable(ctx, id, rules, module, request.toString())) {
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
        ctx.vertx().executeBlocking(() -> Optional.ofNullable(facts.time(request.module(), request.version())), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ctx.fail(ar.cause());
                        return;
                    }
                    Optional<String> young = tooYoung(module, request.version(), ar.result().orElse(null), cooldown,
                            clock.instant());
                    if (young.isPresent()) {
                        deny(ctx, new PolicyRules.Denial(403, "cooldown", young.get()));
                    } else {
                        ctx.next();
                    }
                });
    }

    private void sumdb(RoutingContext ctx, Identity id, Target.Sumdb sumdb) {
        if (mustAuthenticate(id)) {
            fail(ctx, challenge("credentials required"));
            return;
        }
        if (sumdb.lookup() != null && !readable(ctx, id, store.rules(), sumdb.lookup().path().value(),
                "lookup " + sumdb.lookup().path().value() + "@" + sumdb.lookup().version())) {
            return;
        }
        ctx.next();
    }

    /**
     * Read access to {@code module}: true to go on; false when the request was answered (401
     * challenge for an anonymous client, 404 for an authenticated one outside the access rule).
     */
    private boolean readable(RoutingContext ctx, Identity id, PolicyRules rules, String module, String what) {
        int rule = rules.accessRuleOf(module);
        if (rule >= 0) {
            if (rules.access().get(rule).readers().stream().noneMatch(id::matches)) {
                if (id.anonymous() && authEnabled) {
                    ctx.put(ContextKeys.POLICY, PolicyDecision.of("challenged", "access[" + rule + "]", "credentials required"));
                    fail(ctx, challenge("credentials required"));
                } else {
                    ctx.put(ContextKeys.POLICY, PolicyDecision.of("hidden", "access[" + rule + "]", "not found"));
                    fail(ctx, new ProxyException(Kind.NOT_FOUND, "not found: " + what));
                }
                return false;
            }
            privately(ctx);
            return true;
        }
        if (mustAuthenticate(id)) {
            fail(ctx, challenge("credentials required"));
            return false;
        }
        if (authEnabled && !anonymousRead) {
            privately(ctx);
        }
        return true;
    }

    /**
     * Answers about a protected module are for their reader alone: {@code Cache-Control: private}
     * (never {@code public}, which would let a shared cache in front of the gateway serve them to
     * anyone), and {@code Vary: Authorization}.
     */
    static void privately(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> {
            MultiMap h = ctx.response().headers();
            String cc = h.get(HttpHeaders.CACHE_CONTROL);
            if (cc == null) {
                h.set(HttpHeaders.CACHE_CONTROL, "private");
            } else if (cc.startsWith("public")) {
                h.set(HttpHeaders.CACHE_CONTROL, "private" + cc.substring("public".length()));
            }
            h.add(HttpHeaders.VARY, "Authorization");
        });
    }

    /**
     * Why a state-changing request comes from another site, if it does, as browsers tell it:
     * {@code Sec-Fetch-Site} when sent (only {@code same-origin} and {@code none}, a user's own
     * navigation, pass), else an {@code Origin} whose host and port are not the request's own.
     * Clients that send neither (curl, scripts, the go command) are not browsers acting for
     * someone else, and pass.
     */
    static Optional<String> crossSite(HttpServerRequest req) {
        String site = req.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin") || site.equals("none") ? Optional.empty()
                    : Optional.of("Sec-Fetch-Site: " + ProxyException.oneLine(site));
        }
        String origin = req.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return Optional.empty();
        }
        // HTTP/2 carries the host as :authority, not a Host header.
        String host = req.authority() != null ? req.authority().toString() : req.getHeader(HttpHeaders.HOST);
        try {
            URI o = URI.create(origin);
            if (host != null && o.getRawAuthority() != null && o.getRawAuthority().equalsIgnoreCase(host)) {
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            // an Origin that is not a URI is not ours
        }
        return Optional.of("Origin: " + ProxyException.oneLine(origin));
    }

    private static void deny(RoutingContext ctx, PolicyRules.Denial d) {
        refuse(ctx, "deny", d.rule(), d.reason());
    }

    private static void refuse(RoutingContext ctx, String outcome, String rule, String reason) {
        ctx.put(ContextKeys.POLICY, PolicyDecision.of(outcome, rule, reason));
        fail(ctx, new ProxyException(Kind.FORBIDDEN, reason));
    }

    private static void fail(RoutingContext ctx, ProxyException e) {
        ctx.fail(e);
    }

    /**
     * The reason {@code version} is still held by the cooldown, if it is. A version whose release
     * time is unknown is held: letting it through would let anyone skip the cooldown by serving
     * a version without a time.
     */
    static Optional<String> tooYoung(String module, String version, Instant published, Duration cooldown, Instant now) {
        if (cooldown.isZero()) {
            return Optional.empty();
        }
        if (published == null) {
            return Optional.of(module + "@" + version + ": release time unknown; this proxy serves versions "
                    + cooldown.toHours() + "h after release (cooldown)");
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
        return r.type() != ProxyRequest.Type.LIST && r.type() != ProxyRequest.Type.LATEST && !r.isQuery();
    }

    static ProxyException challenge(String reason) {
        return new ProxyException(Kind.UNAUTHORIZED, "authentication required: " + reason,
                Map.of("WWW-Authenticate", Authenticator.CHALLENGE), null);
    }
}

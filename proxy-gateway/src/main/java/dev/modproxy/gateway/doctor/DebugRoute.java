package dev.modproxy.gateway.doctor;

import dev.modproxy.gateway.auth.Identity;
import dev.modproxy.gateway.chain.ContextKeys;
import dev.modproxy.gateway.client.FetcherRing;
import dev.modproxy.gateway.door.AdminEndpoint;
import dev.modproxy.gateway.door.FrontDoor;
import dev.modproxy.gateway.door.Target;
import dev.modproxy.gateway.policy.PolicyRules;
import dev.modproxy.gateway.policy.PolicyStore;
import dev.modproxy.gateway.rest.ProxyFailureHandler;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.env.PathPatterns;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The debug endpoints, off unless {@code modproxy.debug.echo} (then the door knows them, and
 * the policy lets only the admin read role through):
 * <ul>
 *   <li>{@code GET /api/v1/debug/echo}: what arrived — method, target, headers, the client
 *       address as the gateway decided it ({@link FrontDoor#client}), the connection's own
 *       address, the {@code X-Forwarded-*}/{@code Forwarded} chain, TLS — with every credential
 *       redacted ({@link Redaction});</li>
 *   <li>{@code GET /api/v1/debug/route/<module>}: how modproxy would serve a module — the
 *       server's GOPRIVATE/GONOPROXY/GONOSUMDB pattern that matches, the policy (access rule,
 *       deny rule or allow list, cooldown), the fetcher of the ring that owns it, and how many
 *       versions are stored.</li>
 * </ul>
 * Plain text, {@code no-store}.
 */
@ApplicationScoped
public class DebugRoute {

    private final PolicyStore policy;
    private final FetcherRing ring;
    private final BlobStore store;
    private final String privatePatterns;
    private final String noproxy;
    private final String nosumdb;

    public DebugRoute(PolicyStore policy, FetcherRing ring, BlobStore store, DoctorConfig config) {
        this.policy = policy;
        this.ring = ring;
        this.store = store;
        this.privatePatterns = config.privatePatterns().orElse("");
        this.noproxy = config.noproxy().orElse(privatePatterns);
        this.nosumdb = config.nosumdb().orElse(privatePatterns);
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 2).handler(this::handle)
                .failureHandler(new ProxyFailureHandler());
    }

    private void handle(RoutingContext ctx) {
        Target t = Target.of(ctx);
        if (t != null && t.kind() == Target.Kind.ADMIN && t.admin() == AdminEndpoint.DEBUG_ECHO) {
            Answers.text(ctx, 200, echo(ctx));
        } else if (t != null && t.kind() == Target.Kind.ADMIN && t.admin() == AdminEndpoint.DEBUG_ROUTE) {
            String module = t.path().substring(AdminEndpoint.DEBUG_ROUTE.path().length());
            ctx.vertx().executeBlocking(() -> route(module), false).onComplete(ar -> {
                if (ar.failed()) {
                    ctx.fail(ar.cause());
                } else {
                    Answers.text(ctx, 200, ar.result());
                }
            });
        } else {
            ctx.next();
        }
    }

    static String echo(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        Identity id = ctx.get(ContextKeys.IDENTITY, Identity.ANONYMOUS);
        StringBuilder b = new StringBuilder();
        String query = Redaction.query(req.query());
        b.append("method: ").append(req.method()).append('\n');
        b.append("target: ").append(req.path()).append(query.isEmpty() ? "" : "?" + query).append('\n');
        b.append("version: ").append(req.version()).append('\n');
        b.append("identity: ").append(id.name()).append(" (").append(id.method()).append(")\n");
        b.append("client: ").append(FrontDoor.client(ctx))
                .append(" (as the gateway decided: the connection's address, or the forwarded one from a trusted proxy)\n");
        b.append("connection: ").append(req.remoteAddress()).append(" -> ").append(req.localAddress()).append('\n');
        StringBuilder chain = new StringBuilder();
        for (Map.Entry<String, String> h : req.headers()) {
            String n = h.getKey().toLowerCase(java.util.Locale.ROOT);
            if (n.startsWith("x-forwarded-") || n.equals("forwarded") || n.equals("x-real-ip") || n.equals("via")) {
                chain.append("  ").append(h.getKey()).append(": ").append(Redaction.header(h.getKey(), h.getValue())).append('\n');
            }
        }
        b.append("forwarded:").append(chain.isEmpty() ? " none\n" : "\n" + chain);
        if (req.isSSL() && req.sslSession() != null) {
            b.append("tls: ").append(req.sslSession().getProtocol()).append(' ').append(req.sslSession().getCipherSuite())
                    .append(", server name ").append(String.valueOf(req.connection().indicatedServerName())).append('\n');
        } else {
            b.append("tls: none (plain HTTP to this gateway)\n");
        }
        b.append("headers:\n");
        for (Map.Entry<String, String> h : req.headers()) {
            b.append("  ").append(h.getKey()).append(": ").append(Redaction.header(h.getKey(), h.getValue())).append('\n');
        }
        return b.toString();
    }

    private String route(String escaped) throws ProxyException {
        ModulePath module;
        try {
            module = ModulePath.of(escaped);
        } catch (GoModException e) {
            throw new ProxyException(ProxyException.Kind.BAD_REQUEST, e.getMessage());
        }
        String m = module.value();
        StringBuilder b = new StringBuilder("module: ").append(m).append('\n');
        b.append("GOPRIVATE (modproxy.private): ").append(match(privatePatterns, m, "fetched by modproxy from git, not asked of an upstream proxy")).append('\n');
        b.append("GONOPROXY (modproxy.noproxy): ").append(match(noproxy, m, "fetched directly from its VCS")).append('\n');
        b.append("GONOSUMDB (modproxy.nosumdb): ").append(match(nosumdb, m, "not checked against the upstream checksum database (still recorded in modproxy's own)")).append('\n');
        PolicyRules rules = policy.rules();
        int access = rules.accessRuleOf(m);
        b.append("access: ").append(access < 0 ? "no access rule: readable like any public module"
                : "access[" + access + "] readers " + rules.access().get(access).readers()).append('\n');
        Optional<PolicyRules.Denial> denied = rules.moduleDenied(m);
        b.append("policy: ").append(denied.map(d -> "refused (" + d.rule() + "): " + d.reason())
                .orElse(rules.allowListMode() ? "allowed by the allow list (deny rules may still cover some versions)"
                        : "not denied as a whole (deny rules may still cover some versions)")).append('\n');
        Duration cooldown = rules.cooldownOf(m);
        b.append("cooldown: ").append(cooldown.isZero() ? "none" : cooldown.toHours() + "h after release").append('\n');
        List<URI> order = ring.order(module);
        b.append("fetcher: ").append(order.isEmpty() ? "none known" : order.get(0) + " (owner; then " + order.subList(1, order.size()) + ")").append('\n');
        try {
            long versions = store.list("modules/" + module.escaped() + "/@v/").stream().map(BlobKey::value)
                    .filter(k -> k.endsWith(".info")).count();
            b.append("stored: ").append(versions).append(" version(s) with .info\n");
        } catch (Exception e) {
            b.append("stored: unknown (storage: ").append(ProxyException.oneLine(String.valueOf(e.getMessage()))).append(")\n");
        }
        return b.toString();
    }

    private static String match(String patterns, String module, String meaning) {
        for (String p : patterns.split(",")) {
            String pattern = p.strip();
            if (!pattern.isEmpty() && PathPatterns.matchPrefixPatterns(pattern, module)) {
                return "matched by '" + pattern + "': " + meaning;
            }
        }
        return patterns.isBlank() ? "no patterns set" : "no pattern of '" + patterns + "' matches";
    }
}

package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.policy.PolicyAnswers;
import dev.modproxy.gateway.service.Artifact;
import dev.modproxy.gateway.service.ArtifactService;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gateway.door.Target;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.gomod.semver.Semver;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quarantine on the GOPROXY path, just before the GOPROXY route (one order lower; after the
 * request chain of auth, limits and policy). For a module with no quarantined version — nearly
 * every request — it only looks at an in-memory map and passes on. Otherwise:
 * <ul>
 *   <li>{@code .info}, {@code .mod}, {@code .zip} of a quarantined version: 403 with
 *       "quarantined: &lt;reason&gt;", which the go command prints to its user;</li>
 *   <li>{@code list}: the answer without the quarantined versions;</li>
 *   <li>{@code @latest} and {@code .info} queries resolving to a quarantined version: the
 *       highest version left in the list (releases before pre-releases, as go picks), or 403
 *       when none is left.</li>
 * </ul>
 * Filtered answers are produced here from {@link ArtifactService}, after the policy's own
 * filtering ({@link PolicyAnswers}: cooldown, retractions, deny rules) so both apply, and sent
 * {@code no-cache}.
 */
@ApplicationScoped
public class QuarantineRoute {

    private static final Logger LOG = Logger.getLogger(QuarantineRoute.class);
    private static final Pattern VERSION = Pattern.compile("\"Version\"\\s*:\\s*\"([^\"]*)\"");

    private final QuarantineService quarantine;
    private final ArtifactService service;
    private final PolicyAnswers policy;

    public QuarantineRoute(QuarantineService quarantine, ArtifactService service, PolicyAnswers policy) {
        this.quarantine = quarantine;
        this.service = service;
        this.policy = policy;
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 1).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Target target = Target.of(ctx);
        if (quarantine.isEmpty() || target == null || target.kind() != Target.Kind.GOPROXY) {
            ctx.next();
            return;
        }
        ProxyRequest request = target.goproxy().request();
        if (!quarantine.any(request.module())) {
            ctx.next();
            return;
        }
        if (request.type() != Type.LIST && request.type() != Type.LATEST && !request.isQuery()) {
            Optional<QuarantineService.Entry> q = version(request).flatMap(quarantine::find);
            if (q.isPresent()) {
                gone(ctx.response(), q.get());
            } else {
                ctx.next();
            }
            return;
        }
        ctx.vertx().executeBlocking(() -> filtered(ctx, request), false).onComplete(ar -> {
            HttpServerResponse out = ctx.response();
            if (ar.succeeded()) {
                out.putHeader(HttpHeaders.CONTENT_TYPE, ar.result().type).putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                        .setStatusCode(200).end(Buffer.buffer(ar.result().body));
            } else if (ar.cause() instanceof Gone g) {
                gone(out, g.entry);
            } else if (ar.cause() instanceof ProxyException p) {
                text(out, p.status(), p.getMessage());
            } else {
                LOG.error("filtering a quarantined module's answer failed", ar.cause());
                text(out, 500, "internal error in proxy-gateway (logged)");
            }
        });
    }

    private record Answer(String type, byte[] body) {
    }

    private static final class Gone extends Exception {
        final QuarantineService.Entry entry;

        Gone(QuarantineService.Entry entry) {
            super(null, null, false, false);
            this.entry = entry;
        }
    }

    private Answer filtered(RoutingContext ctx, ProxyRequest request) throws ProxyException, IOException, Gone {
        if (request.type() == Type.LIST) {
            return new Answer("text/plain; charset=utf-8", String.join("", allowed(ctx, request).stream()
                    .map(v -> v + "\n").toList()).getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = bytes(resolve(ctx, request));
        Matcher m = VERSION.matcher(new String(body, StandardCharsets.UTF_8));
        if (!m.find()) {
            return new Answer("application/json", body);
        }
        Optional<QuarantineService.Entry> q = mv(request, m.group(1)).flatMap(quarantine::find);
        if (q.isEmpty()) {
            return new Answer("application/json", body);
        }
        // Resolved to a quarantined version: fall back to the best one left, as go does from a list.
        List<String> left = allowed(ctx, new ProxyRequest(request.module(), Type.LIST, null));
        String best = null;
        for (String v : left) {
            boolean release = Semver.prerelease(v).isEmpty();
            if (best == null || (release && !Semver.prerelease(best).isEmpty())
                    || (release == Semver.prerelease(best).isEmpty() && Semver.compare(v, best) > 0)) {
                best = v;
            }
        }
        if (best == null) {
            throw new Gone(q.get());
        }
        return new Answer("application/json", bytes(service.resolve(new ProxyRequest(request.module(), Type.INFO, best))));
    }

    /** The answer as the GOPROXY route would serve it: resolved, then filtered by the policy. */
    private Artifact resolve(RoutingContext ctx, ProxyRequest request) throws ProxyException {
        Artifact a = service.resolve(request);
        return policy.filters(request) ? policy.apply(ctx, request, a) : a;
    }

    private List<String> allowed(RoutingContext ctx, ProxyRequest list) throws ProxyException, IOException {
        List<String> out = new ArrayList<>();
        for (String line : new String(bytes(resolve(ctx, list)), StandardCharsets.UTF_8).split("\n")) {
            String v = line.strip();
            if (!v.isEmpty() && mv(list, v).flatMap(quarantine::find).isEmpty()) {
                out.add(v);
            }
        }
        return out;
    }

    private byte[] bytes(Artifact a) throws ProxyException, IOException {
        if (a instanceof Artifact.InMemory m) {
            return m.bytes();
        }
        Artifact.Stored s = (Artifact.Stored) a;
        try (InputStream in = service.open(s, 0, s.size())) {
            return in.readAllBytes();
        }
    }

    private static Optional<ModuleVersion> version(ProxyRequest r) {
        return mv(r, r.version());
    }

    private static Optional<ModuleVersion> mv(ProxyRequest r, String version) {
        try {
            return Optional.of(ModuleVersion.of(r.module(), version));
        } catch (GoModException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * 403, not 410: the go command falls through to the next GOPROXY entry on 404 and 410
     * ("not found"), and a takedown must hold whatever the client's fallback is.
     */
    private static void gone(HttpServerResponse out, QuarantineService.Entry e) {
        text(out, Kind.FORBIDDEN.status(), "quarantined: " + e.reason());
    }

    private static void text(HttpServerResponse out, int status, String line) {
        if (!out.ended()) {
            out.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(ProxyException.oneLine(line) + "\n");
        }
    }
}

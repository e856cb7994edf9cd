package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gateway.policy.PolicyAnswers;
import dev.modproxy.gateway.service.Artifact;
import dev.modproxy.gateway.service.ArtifactService;
import dev.modproxy.gateway.service.ParsedRequests;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.proxy.ProxyRequest;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The GOPROXY protocol at the root of the server: {@code GET}/{@code HEAD} of
 * {@code <module>/@v/list}, {@code <module>/@latest} and {@code <module>/@v/<version>.info|.mod|.zip}.
 *
 * <p>A plain Vert.x route rather than a JAX-RS resource, for two reasons. It sees the request
 * path raw, exactly as it came off the wire ({@link io.vertx.core.http.HttpServerRequest#path()}),
 * which {@link ProxyRequest#parse} needs to judge percent-escapes, dot segments and bad UTF-8
 * itself instead of trusting a decoded, normalized path. And a hot {@code .info} or {@code .mod}
 * held in memory is answered on the event loop with no thread hop. Anything that must touch
 * storage or a fetcher runs on a worker thread.
 *
 * <p>The route catches everything but the prefixes other parts of the service own
 * ({@link #RESERVED}); those are passed on untouched, so health, metrics, the sumdb proxy
 * and the admin API win whatever order their routes were registered in.
 */
@ApplicationScoped
public class GoproxyRoute {

    /**
     * Path prefixes that belong to other handlers: Quarkus endpoints, admin API, sumdb proxy, and
     * the catalog, index feed and console (none of them can be a module path: no dot).
     */
    static final List<String> RESERVED = List.of("/q", "/api", "/sumdb", "/catalog", "/index", "/ui");

    private final ArtifactService service;
    private final ArtifactResponder responder;
    private final PolicyAnswers policy;

    public GoproxyRoute(ArtifactService service, GatewayConfig config, PolicyAnswers policy) {
        this.service = service;
        this.policy = policy;
        this.responder = new ArtifactResponder(service, config.gateway().streamChunk());
    }

    void register(@Observes Router router) {
        router.route()
                .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(this::handle)
                .failureHandler(new ProxyFailureHandler());
    }

    private void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path != null && isReserved(path)) {
            ctx.next();
            return;
        }
        try {
            HttpMethod method = ctx.request().method();
            if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
                throw new ProxyException(Kind.METHOD_NOT_ALLOWED, "method " + method + " not allowed (GET or HEAD)",
                        Map.of("Allow", "GET, HEAD"), null);
            }
            ParsedRequests.Parsed parsed = parse(path);
            ProxyRequest request = parsed.request();
            ctx.put("UrlPathTemplate", template(request));
            RequestMetrics.kind(ctx, request);
            // Answers the policy filters (list, @latest, queries) always take the worker path.
            boolean filtered = policy.filters(request);
            Optional<Artifact> cached = filtered ? Optional.empty() : service.cached(parsed);
            if (cached.isPresent()) {
                service.countMemoryHit();
                ctx.put(dev.modproxy.gateway.events.AuditTrail.CACHE, "hit");
                responder.send(ctx, cached.get());
                return;
            }
            ctx.vertx().executeBlocking(() -> filtered ? policy.apply(ctx, request, service.resolve(request))
                    : service.resolve(request), false).onComplete(ar -> {
                try {
                    if (ar.failed()) {
                        ctx.fail(ar.cause());
                    } else {
                        responder.send(ctx, ar.result());
                    }
                } catch (ProxyException | RuntimeException e) {
                    ctx.fail(e);
                }
            });
        } catch (ProxyException | RuntimeException e) {
            ctx.fail(e);
        }
    }

    static boolean isReserved(String path) {
        for (String prefix : RESERVED) {
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    private static ParsedRequests.Parsed parse(String path) throws ProxyException {
        if (path == null || !path.startsWith("/")) {
            throw new ProxyException(Kind.BAD_REQUEST, "not a module proxy request: request target is not a path");
        }
        try {
            return ParsedRequests.parse(path.substring(1));
        } catch (GoModException e) {
            throw new ProxyException(Kind.BAD_REQUEST, e.getMessage());
        }
    }

    /** The low-cardinality name the HTTP metrics use for this request. */
    private static String template(ProxyRequest request) {
        return switch (request.type()) {
            case LIST -> "/{module}/@v/list";
            case LATEST -> "/{module}/@latest";
            case INFO -> "/{module}/@v/{version}.info";
            case MOD -> "/{module}/@v/{version}.mod";
            case ZIP -> "/{module}/@v/{version}.zip";
        };
    }
}

package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gateway.door.Target;
import dev.modproxy.gateway.policy.PolicyAnswers;
import dev.modproxy.gateway.service.Artifact;
import dev.modproxy.gateway.service.ArtifactService;
import dev.modproxy.gateway.service.ParsedRequests;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gomod.proxy.ProxyRequest;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Optional;

/**
 * The GOPROXY protocol at the root of the server: {@code GET}/{@code HEAD} of
 * {@code <module>/@v/list}, {@code <module>/@latest} and {@code <module>/@v/<version>.info|.mod|.zip}.
 *
 * <p>A plain Vert.x route rather than a JAX-RS resource: a hot {@code .info} or {@code .mod}
 * held in memory is answered on the event loop with no thread hop. Anything that must touch
 * storage or a fetcher runs on a worker thread. It serves exactly the requests the front door
 * classified as {@link Target.Kind#GOPROXY} (with the method checked and the path parsed by
 * golang.org/x/mod's rules there, once) and passes every other kind on.
 *
 * <p>{@code Disable-Module-Fetch: true} (the header proxy.golang.org honours) answers from
 * memory and storage only; a miss is 404 saying fetching was disabled by the header.
 */
@ApplicationScoped
public class GoproxyRoute {

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
        Target target = Target.of(ctx);
        if (target == null || target.kind() != Target.Kind.GOPROXY) {
            ctx.next();
            return;
        }
        try {
            ParsedRequests.Parsed parsed = target.goproxy();
            ProxyRequest request = parsed.request();
            // Answers the policy filters (list, @latest, queries) always take the worker path.
            boolean filtered = policy.filters(request);
            Optional<Artifact> cached = filtered ? Optional.empty() : service.cached(parsed);
            if (cached.isPresent()) {
                service.countMemoryHit();
                ctx.put(dev.modproxy.gateway.events.AuditTrail.CACHE, "hit");
                responder.send(ctx, cached.get());
                return;
            }
            boolean fetchDisabled = ArtifactService.fetchDisabled(ctx.request().getHeader(ArtifactService.DISABLE_MODULE_FETCH));
            ctx.vertx().executeBlocking(() -> filtered ? policy.apply(ctx, request, service.resolve(request, fetchDisabled))
                    : service.resolve(request, fetchDisabled), false).onComplete(ar -> {
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

    /** The low-cardinality name the HTTP metrics use for this request. */
    static String template(ProxyRequest request) {
        return switch (request.type()) {
            case LIST -> "/{module}/@v/list";
            case LATEST -> "/{module}/@latest";
            case INFO -> "/{module}/@v/{version}.info";
            case MOD -> "/{module}/@v/{version}.mod";
            case ZIP -> "/{module}/@v/{version}.zip";
        };
    }
}

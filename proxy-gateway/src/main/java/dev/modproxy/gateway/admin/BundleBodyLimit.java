package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gateway.config.OpsConfig;
import dev.modproxy.gateway.door.AdminEndpoint;
import dev.modproxy.gateway.door.Target;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Request body limits, per route, since Quarkus has one limit for all
 * ({@code quarkus.http.limits.max-body-size}, which application.properties therefore sets to the
 * largest, {@code modproxy.bundle.max-bytes}). The rules:
 * <ul>
 *   <li>the bundle import ({@link AdminEndpoint#BUNDLE_IMPORT} as the front door classified it):
 *       up to {@code modproxy.bundle.max-bytes}
 *       (a bundle is streamed to the data directory, never held in memory);</li>
 *   <li>every other request: up to {@code modproxy.gateway.max-body-bytes} (1 MiB).</li>
 * </ul>
 * A declared length over the limit is a 413 with a one-line reason before anything is read; a
 * chunked body is counted by the REST layer against the limit put in the request's context
 * under the key Quarkus' own limit uses, which this route, running just after it, overwrites
 * (which is why it is not a step of chain.RequestChain: Quarkus' upload-limit route runs after
 * the chain and would overwrite the limit again).
 */
@ApplicationScoped
public class BundleBodyLimit {

    /** The context key RESTEasy Reactive counts a body against (Quarkus' own limit sets it). */
    static final String LIMIT_KEY = "io.quarkus.max-request-size";
    private final long generalLimit;
    private final long bundleLimit;

    public BundleBodyLimit(GatewayConfig gateway, OpsConfig ops) {
        this.generalLimit = gateway.gateway().maxBodyBytes();
        this.bundleLimit = ops.bundle().maxBytes();
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(this::limit);
    }

    private void limit(RoutingContext ctx) {
        // On the front door's classification, like every other decision (null: the door refused it).
        Target target = Target.of(ctx);
        boolean bundle = target != null && target.admin() == AdminEndpoint.BUNDLE_IMPORT;
        long limit = bundle ? bundleLimit : generalLimit;
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            declared = -1; // the HTTP codec refuses a malformed length before this runs
        }
        if (declared > limit) {
            ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end("request body of " + declared + " bytes is over the limit of " + limit + " bytes ("
                            + (bundle ? "modproxy.bundle.max-bytes" : "modproxy.gateway.max-body-bytes") + ")\n");
            return;
        }
        ctx.put(LIMIT_KEY, limit);
        ctx.next();
    }
}

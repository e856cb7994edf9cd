package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.config.AuditPublishConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Set;

/**
 * Forwards {@code /api/v1/audit} to audit-service ({@code modproxy.audit.endpoint}): the raw
 * query goes as it came, the answer (a JSON page, an NDJSON stream, or a 400 with its reason)
 * comes back streamed with its status and content type. audit-service unreachable is a 502.
 */
@ApplicationScoped
public class AuditForwardRoute {

    private final ServiceForwarder forwarder;

    public AuditForwardRoute(Vertx vertx, AuditPublishConfig config) {
        this.forwarder = new ServiceForwarder(vertx, "audit service",
                config.endpoint().orElse(AuditPublishConfig.DEFAULT_ENDPOINT), Set.of(HttpMethod.GET, HttpMethod.HEAD),
                List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH), 300_000);
    }

    void register(@Observes Router router) {
        router.route("/api/v1/audit").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(forwarder::forward);
    }
}

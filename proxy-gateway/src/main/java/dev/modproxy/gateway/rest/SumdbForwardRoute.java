package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.config.GatewayConfig;
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
 * Forwards the checksum database paths to sumdb-service ({@code modproxy.sumdb.endpoint}):
 * {@code /sumdb/<name>/supported|latest|lookup/…|tile/…} and {@code /api/v1/sumdb/verifier-key}.
 * A reverse proxy and nothing more: the raw request URI goes as it came, the answer comes back
 * streamed with its status, body and content headers, so sumdb-service alone judges names,
 * lookups and tiles. sumdb-service unreachable is a 502 that says so.
 */
@ApplicationScoped
public class SumdbForwardRoute {

    private static final List<CharSequence> COPIED = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH,
            HttpHeaders.CACHE_CONTROL, HttpHeaders.ETAG, HttpHeaders.LAST_MODIFIED);

    private final ServiceForwarder forwarder;

    public SumdbForwardRoute(Vertx vertx, GatewayConfig config) {
        this.forwarder = new ServiceForwarder(vertx, "checksum database service", config.sumdb().endpoint(),
                Set.of(HttpMethod.GET, HttpMethod.HEAD), COPIED, 300_000);
    }

    void register(@Observes Router router) {
        router.route("/sumdb/*").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(forwarder::forward);
        router.route("/api/v1/sumdb/verifier-key").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(forwarder::forward);
    }
}

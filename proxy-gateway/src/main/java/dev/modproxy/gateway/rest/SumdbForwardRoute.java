package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.config.GatewayConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.util.List;

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

    private final URI endpoint;
    private final HttpClient client;

    public SumdbForwardRoute(Vertx vertx, GatewayConfig config) {
        this.endpoint = config.sumdb().endpoint();
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setIdleTimeout(60));
    }

    void register(@Observes Router router) {
        router.route("/sumdb/*").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::forward);
        router.route("/api/v1/sumdb/verifier-key").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::forward);
    }

    private void forward(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            text(ctx.response().putHeader("Allow", "GET, HEAD"), 405, "method " + method + " not allowed (GET or HEAD)");
            return;
        }
        boolean https = "https".equals(endpoint.getScheme());
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : https ? 443 : 80;
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        RequestOptions options = new RequestOptions().setMethod(method).setHost(endpoint.getHost()).setPort(port)
                .setSsl(https).setURI(base + ctx.request().uri()).setTimeout(300_000);
        ctx.request().pause();
        client.request(options)
                .compose(req -> req.send())
                .onComplete(ar -> {
                    HttpServerResponse out = ctx.response();
                    if (ar.failed()) {
                        text(out, 502, "checksum database service " + endpoint + " unavailable: " + ar.cause().getMessage());
                        return;
                    }
                    HttpClientResponse in = ar.result();
                    out.setStatusCode(in.statusCode());
                    for (CharSequence h : COPIED) {
                        String v = in.getHeader(h);
                        if (v != null) {
                            out.putHeader(h, v);
                        }
                    }
                    if (in.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
                        out.setChunked(true);
                    }
                    in.pipeTo(out);
                });
    }

    private static void text(HttpServerResponse out, int status, String line) {
        if (!out.ended()) {
            out.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(line + "\n");
        }
    }
}

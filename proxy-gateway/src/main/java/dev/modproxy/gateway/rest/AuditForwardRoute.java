package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.config.AuditPublishConfig;
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

/**
 * Forwards {@code /api/v1/audit} to audit-service ({@code modproxy.audit.endpoint}): the raw
 * query goes as it came, the answer (a JSON page, an NDJSON stream, or a 400 with its reason)
 * comes back streamed with its status and content type. audit-service unreachable is a 502.
 */
@ApplicationScoped
public class AuditForwardRoute {

    private final URI endpoint;
    private final HttpClient client;

    public AuditForwardRoute(Vertx vertx, AuditPublishConfig config) {
        this.endpoint = config.endpoint().orElse(AuditPublishConfig.DEFAULT_ENDPOINT);
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setIdleTimeout(300));
    }

    void register(@Observes Router router) {
        router.route("/api/v1/audit").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::forward);
    }

    private void forward(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET) {
            text(ctx.response().putHeader("Allow", "GET"), 405, "method " + method + " not allowed (GET)");
            return;
        }
        boolean https = "https".equals(endpoint.getScheme());
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : https ? 443 : 80;
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        RequestOptions options = new RequestOptions().setMethod(method).setHost(endpoint.getHost()).setPort(port)
                .setSsl(https).setURI(base + ctx.request().uri()).setIdleTimeout(300_000);
        ctx.request().pause();
        client.request(options)
                .compose(req -> req.send())
                .onComplete(ar -> {
                    HttpServerResponse out = ctx.response();
                    if (ar.failed()) {
                        text(out, 502, "audit service " + endpoint + " unavailable: " + ar.cause().getMessage());
                        return;
                    }
                    HttpClientResponse in = ar.result();
                    out.setStatusCode(in.statusCode());
                    for (CharSequence h : new CharSequence[]{HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH}) {
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

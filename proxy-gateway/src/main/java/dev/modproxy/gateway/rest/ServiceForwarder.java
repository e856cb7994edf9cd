package dev.modproxy.gateway.rest;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Passes a request through to one of modproxy's own services and streams the answer back: the
 * raw path and query go as they came, the status, the listed headers and the body come back
 * unchanged (so a service's one-line reason reaches the {@code go} command as it wrote it). The
 * service being unreachable is a 502 that names it. Nothing is buffered: the body is piped with
 * back-pressure.
 */
final class ServiceForwarder {

    private final String service;
    private final URI endpoint;
    private final Set<HttpMethod> methods;
    private final List<CharSequence> headers;
    private final long idleTimeoutMillis;
    private final HttpClient client;

    ServiceForwarder(Vertx vertx, String service, URI endpoint, Set<HttpMethod> methods,
                     List<CharSequence> headers, long idleTimeoutMillis) {
        this.service = service;
        this.endpoint = endpoint;
        this.methods = methods;
        this.headers = headers;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000)
                .setIdleTimeout((int) Math.max(1, idleTimeoutMillis / 1000)));
    }

    void forward(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (!methods.contains(method)) {
            String allowed = methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
            text(ctx.response().putHeader("Allow", allowed), 405, "method " + method + " not allowed (" + allowed + ")");
            return;
        }
        boolean https = "https".equals(endpoint.getScheme());
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : https ? 443 : 80;
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        RequestOptions options = new RequestOptions().setMethod(method).setHost(endpoint.getHost()).setPort(port)
                .setSsl(https).setURI(base + ctx.request().uri()).setIdleTimeout(idleTimeoutMillis);
        ctx.request().pause();
        client.request(options)
                .compose(req -> req.send())
                .onComplete(ar -> {
                    HttpServerResponse out = ctx.response();
                    if (ar.failed()) {
                        text(out, 502, service + " " + endpoint + " unavailable: " + ar.cause().getMessage());
                        return;
                    }
                    HttpClientResponse in = ar.result();
                    out.setStatusCode(in.statusCode());
                    for (CharSequence h : headers) {
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

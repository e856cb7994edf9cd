package dev.modproxy.gateway.rest;

import dev.modproxy.internal.ServiceCredential;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.spi.CDI;

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
 *
 * <p>The request carries the gateway's {@link ServiceCredential} (modproxy's services answer only
 * each other) and none of the client's headers. A 401 from the service means the two disagree on
 * that credential: the client gets a 502 that says so, never the 401 itself (the {@code go}
 * command would take it as a question for the user's own credentials).
 */
final class ServiceForwarder {

    private final String service;
    private final URI endpoint;
    private final Set<HttpMethod> methods;
    private final List<CharSequence> headers;
    private final long idleTimeoutMillis;
    private final HttpClient client;
    private final ServiceCredential credential;

    /** With the gateway's credential looked up here, so the routes that make a forwarder need not name it. */
    ServiceForwarder(Vertx vertx, String service, URI endpoint, Set<HttpMethod> methods,
                     List<CharSequence> headers, long idleTimeoutMillis) {
        this(vertx, service, endpoint, methods, headers, idleTimeoutMillis,
                CDI.current().select(ServiceCredential.class).get());
    }

    ServiceForwarder(Vertx vertx, String service, URI endpoint, Set<HttpMethod> methods,
                     List<CharSequence> headers, long idleTimeoutMillis, ServiceCredential credential) {
        this.credential = credential;
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
        credential.authorization().ifPresent(a -> options.putHeader(ServiceCredential.HEADER, a));
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
                    if (in.statusCode() == 401) {
                        in.body().onComplete(b -> text(out, 502, service + " " + endpoint
                                + " refused the gateway's service credential: "
                                + (b.succeeded() ? firstLine(b.result().toString()) : "401")));
                        return;
                    }
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

    private static String firstLine(String body) {
        String s = body.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void text(HttpServerResponse out, int status, String line) {
        if (!out.ended()) {
            out.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(line + "\n");
        }
    }
}

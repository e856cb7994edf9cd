package dev.modproxy.gateway.doctor;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** How this package answers: whole bodies, never cached ({@code no-store}: they describe a moment). */
final class Answers {

    private Answers() {
    }

    static void send(RoutingContext ctx, int status, String contentType, byte[] body) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(Buffer.buffer(body));
        }
    }

    static void text(RoutingContext ctx, int status, String body) {
        send(ctx, status, "text/plain; charset=utf-8", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static void json(RoutingContext ctx, String body) {
        send(ctx, 200, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The URL clients reach the gateway by: the configured one, else this request's scheme and
     * authority (the {@code Host} header in HTTP/1.1, {@code :authority} in HTTP/2, which has no
     * {@code Host}).
     */
    static String externalUrl(RoutingContext ctx, java.util.Optional<java.net.URI> configured) {
        if (configured.isPresent()) {
            return configured.get().toString().replaceAll("/+$", "");
        }
        io.vertx.core.net.HostAndPort a = ctx.request().authority();
        String host = a == null ? ctx.request().getHeader(HttpHeaders.HOST)
                : a.host() + (a.port() >= 0 ? ":" + a.port() : "");
        return ctx.request().scheme() + "://" + (host == null ? "localhost" : host);
    }
}

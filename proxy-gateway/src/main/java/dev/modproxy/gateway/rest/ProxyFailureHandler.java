package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.service.ProxyException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * The one place where a failure of the GOPROXY route becomes an HTTP answer.
 *
 * <p>A {@link ProxyException} gives its status, its headers and its one-line message; anything
 * else is a bug, answered 500 with a fixed message while the stack trace goes to the log.
 * The body is always {@code text/plain; charset=utf-8}, one line plus a newline: the go command
 * prints it to its user. Errors are not cached ({@code no-store}): the next attempt may succeed.
 * If the body of a success had already begun, no error can be sent any more; the
 * connection is reset so the client sees a failed transfer. The request chain's steps
 * (auth, QoS, policy: {@code dev.modproxy.gateway.chain.RequestChain}) fail through it too.
 */
public final class ProxyFailureHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(ProxyFailureHandler.class);

    /**
     * The router's own 400, for a request target it could not decode before any route ran
     * (Vert.x Web decodes percent-escapes to match routes): one line naming what is wrong.
     */
    public static void badTarget(RoutingContext ctx) {
        Throwable cause = ctx.failure();
        String reason = cause != null && cause.getMessage() != null ? cause.getMessage()
                : "not a decodable path (a bad percent-escape?)";
        respond(ctx, new ProxyException(ProxyException.Kind.BAD_REQUEST, "malformed request target: " + reason));
    }

    @Override
    public void handle(RoutingContext ctx) {
        respond(ctx, ctx.failure());
    }

    private static void respond(RoutingContext ctx, Throwable failure) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        int status;
        String message;
        Map<String, String> extra = Map.of();
        if (failure instanceof ProxyException p) {
            status = p.status();
            message = p.getMessage();
            extra = p.headers();
        } else if (failure == null) {
            status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            message = status == 404 ? "not found" : "request failed";
        } else {
            LOG.errorf(failure, "unexpected failure on %s %s", ctx.request().method(), ctx.request().path());
            status = 500;
            message = "internal error in proxy-gateway (logged)";
        }
        response.headers().clear();
        extra.forEach(response::putHeader);
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(ProxyException.oneLine(message) + "\n");
    }
}

package dev.modproxy.gateway.qos;

import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Cheap checks before anything else looks at a request: the raw path and query lengths
 * ({@code modproxy.qos.max-path-length}, {@code max-query-length}; 414 beyond) and control
 * characters or NULs in the raw target (400). The HTTP server enforces the rest before a
 * request is even routed (see application.properties): the request line
 * ({@code quarkus.http.limits.max-initial-line-length}, 414), headers
 * ({@code max-header-size}, 431), idle connections ({@code quarkus.http.idle-timeout}, closed)
 * and the number of connections.
 */
@ApplicationScoped
public class Hardening implements Handler<RoutingContext> {

    private final int maxPath;
    private final int maxQuery;

    public Hardening(QosConfig config) {
        this.maxPath = config.maxPathLength();
        this.maxQuery = config.maxQueryLength();
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        String query = ctx.request().query();
        if (path != null && path.length() > maxPath) {
            ctx.fail(new ProxyException(Kind.URI_TOO_LONG, "request path longer than " + maxPath + " characters"));
            return;
        }
        if (query != null && query.length() > maxQuery) {
            ctx.fail(new ProxyException(Kind.URI_TOO_LONG, "query longer than " + maxQuery + " characters"));
            return;
        }
        if (path != null && hasControl(path) || query != null && hasControl(query)) {
            ctx.fail(new ProxyException(Kind.BAD_REQUEST, "control character in the request target"));
            return;
        }
        ctx.next();
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}

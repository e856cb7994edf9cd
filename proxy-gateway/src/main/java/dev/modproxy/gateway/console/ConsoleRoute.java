package dev.modproxy.gateway.console;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web console's address. Its files are static resources
 * ({@code META-INF/resources/ui/}: index.html, console.js, console.css — plain HTML, CSS and
 * JavaScript, nothing fetched from the internet) served by Quarkus under {@code /ui/}; this
 * only sends {@code /ui} to {@code /ui/} so relative links resolve.
 */
@ApplicationScoped
public class ConsoleRoute {

    void register(@Observes Router router) {
        router.routeWithRegex("^/ui$").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 1)
                .handler(ctx -> ctx.redirect("/ui/"));
    }
}

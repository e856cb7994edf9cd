package dev.modproxy.gateway.door;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Test bean: keeps the gateway's router, so a test can list the routes registered on it. */
@ApplicationScoped
public class RouterCapture {

    private volatile Router router;

    void capture(@Observes Router router) {
        this.router = router;
    }

    public Router router() {
        return router;
    }
}

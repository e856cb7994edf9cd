package dev.modproxy.gateway.chain;

import dev.modproxy.gateway.auth.Identity;
import dev.modproxy.gateway.policy.PolicyDecision;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Test only: shows what the chain left on the context as response headers, the way the audit
 * publisher reads it at the end of a request.
 */
@ApplicationScoped
public class DecisionHeaders {

    void register(@Observes Router router) {
        router.route().order(RequestChain.FIRST - 1).handler(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                PolicyDecision d = ctx.get(ContextKeys.POLICY);
                Identity id = ctx.get(ContextKeys.IDENTITY);
                if (d != null) {
                    ctx.response().putHeader("X-Test-Policy", d.outcome() + " " + d.rule() + " " + String.join(",", d.hidden()));
                }
                if (id != null) {
                    ctx.response().putHeader("X-Test-Identity", id.name());
                }
            });
            ctx.next();
        });
    }
}

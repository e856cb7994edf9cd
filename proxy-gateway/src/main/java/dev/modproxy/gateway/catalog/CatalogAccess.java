package dev.modproxy.gateway.catalog;

import dev.modproxy.gateway.auth.Identity;
import dev.modproxy.gateway.chain.ContextKeys;
import dev.modproxy.gateway.policy.PolicyRules;
import dev.modproxy.gateway.policy.PolicyStore;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Predicate;

/**
 * Which module paths a caller may see in {@code /catalog} and {@code /index}: the policy's
 * access rules, as for GOPROXY requests (a private module is invisible, not refused, to anyone
 * its rule does not list), so the feeds never leak a private module's name.
 */
@ApplicationScoped
public class CatalogAccess {

    private final PolicyStore policy;

    public CatalogAccess(PolicyStore policy) {
        this.policy = policy;
    }

    public Predicate<String> readable(RoutingContext ctx) {
        Identity id = ctx == null ? Identity.ANONYMOUS : ctx.get(ContextKeys.IDENTITY, Identity.ANONYMOUS);
        PolicyRules rules = policy.rules();
        return module -> {
            int rule = rules.accessRuleOf(module);
            return rule < 0 || rules.access().get(rule).readers().stream().anyMatch(id::matches);
        };
    }

    /** The caller's name for admin records: the authenticated identity, or "anonymous" when authentication is off. */
    public static String who(RoutingContext ctx) {
        Identity id = ctx == null ? Identity.ANONYMOUS : ctx.get(ContextKeys.IDENTITY, Identity.ANONYMOUS);
        return id.name();
    }
}

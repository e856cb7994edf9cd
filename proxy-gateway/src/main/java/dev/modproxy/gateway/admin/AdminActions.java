package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.events.AuditTrail;
import dev.modproxy.gateway.service.ProxyException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Where admin actions (quarantine, release, bundle import, prefetch, catalog rebuild) are
 * written down, twice on purpose: in the audit event of the request that made them (its policy
 * decision becomes {@code admin:<action>} and its reason names the subject, so
 * {@code /api/v1/audit?kind=api} answers "who quarantined what, when"), and as one log line
 * prefixed {@code ADMIN}, which the JSON logs of a cluster keep with the request id.
 */
@ApplicationScoped
public class AdminActions {

    private static final Logger LOG = Logger.getLogger(AdminActions.class);

    private final CurrentVertxRequest current;

    public AdminActions(CurrentVertxRequest current) {
        this.current = current;
    }

    public void record(String who, String action, String subject, String detail) {
        // Subjects come from request parameters: control characters are replaced, so one
        // action is one log line and cannot forge another.
        who = line(who);
        subject = line(subject);
        detail = detail == null ? null : line(detail);
        LOG.infof("ADMIN %s by %s on %s: %s", action, who, subject, detail);
        RoutingContext ctx = current.getCurrent();
        if (ctx != null) {
            ctx.put(AuditTrail.DECISION, "admin:" + action);
            ctx.put(AuditTrail.REASON, subject + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        }
    }

    private static String line(String s) {
        return s == null ? "" : ProxyException.withoutControls(s);
    }
}

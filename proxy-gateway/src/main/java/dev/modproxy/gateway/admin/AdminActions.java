package dev.modproxy.gateway.admin;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Where admin actions (quarantine, release, bundle import, prefetch, catalog rebuild) are
 * written down. Today: one log line each under the logger {@code dev.modproxy.gateway.admin.AdminActions},
 * prefixed {@code ADMIN}, which the JSON logs of a cluster keep with the request id.
 * TODO: emit them as audit events (kind {@code api}) through the gateway's audit publisher once
 * it is on main, so they are queryable at {@code /api/v1/audit}.
 */
@ApplicationScoped
public class AdminActions {

    private static final Logger LOG = Logger.getLogger(AdminActions.class);

    public void record(String who, String action, String subject, String detail) {
        LOG.infof("ADMIN %s by %s on %s: %s", action, who, subject, detail);
    }
}

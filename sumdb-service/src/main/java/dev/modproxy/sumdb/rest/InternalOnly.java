package dev.modproxy.sumdb.rest;

import dev.modproxy.internal.InternalGuard;
import dev.modproxy.internal.ServiceCredential;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Only modproxy's own services may call this service: every path but the health probes and
 * /q/metrics takes the service credential ({@link InternalGuard}). That covers the internal
 * verify/record API (a record is permanent) and the checksum databases and verifier key as well:
 * only the gateways (which forward {@code /sumdb/*} for go clients) and the fetchers ask them,
 * and a lookup here can start a fetch, which must go through a gateway's access checks.
 */
@ApplicationScoped
class InternalOnly {

    void register(@Observes Router router, ServiceCredential credential) {
        InternalGuard.install(router, credential);
    }
}

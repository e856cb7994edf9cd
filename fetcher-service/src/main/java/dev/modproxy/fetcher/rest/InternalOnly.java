package dev.modproxy.fetcher.rest;

import dev.modproxy.internal.InternalGuard;
import dev.modproxy.internal.ServiceCredential;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Only modproxy's own services may call this service: every path but the health probes and
 * /q/metrics takes the service credential ({@link InternalGuard}). That is the whole API of
 * fetcher-service ({@code /internal/v1/fetch/...}): the gateways and sumdb-service call it.
 */
@ApplicationScoped
class InternalOnly {

    void register(@Observes Router router, ServiceCredential credential) {
        InternalGuard.install(router, credential);
    }
}

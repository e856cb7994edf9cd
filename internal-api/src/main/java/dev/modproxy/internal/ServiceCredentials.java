package dev.modproxy.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the one {@link ServiceCredential} of a service from {@link InternalConfig}: both sources
 * set is a configuration error (which one wins would be a guess); neither is allowed, and said
 * once at start, because then nothing internal works.
 */
@ApplicationScoped
public class ServiceCredentials {

    private static final System.Logger LOG = System.getLogger(ServiceCredentials.class.getName());

    @Produces
    @Singleton
    ServiceCredential credential(InternalConfig config) {
        if (config.tokenFile().isPresent() && config.token().isPresent()) {
            throw new IllegalArgumentException("modproxy.internal.token-file and modproxy.internal.token are both set;"
                    + " set one (MODPROXY_INTERNAL_TOKEN_FILE or MODPROXY_INTERNAL_TOKEN)");
        }
        if (config.tokenFile().isPresent()) {
            ServiceCredential c = ServiceCredential.fromFile(config.tokenFile().get());
            c.problem(); // reads the file now, so its state is logged at start
            return c;
        }
        if (config.token().isPresent()) {
            return ServiceCredential.of(config.token().get());
        }
        LOG.log(System.Logger.Level.WARNING, "no service credential configured (MODPROXY_INTERNAL_TOKEN_FILE or"
                + " MODPROXY_INTERNAL_TOKEN): this service refuses every internal call and cannot call the others");
        return ServiceCredential.none();
    }
}

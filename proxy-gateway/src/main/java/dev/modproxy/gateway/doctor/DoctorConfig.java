package dev.modproxy.gateway.doctor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/**
 * What the client settings, the doctor and the debug endpoints read ({@code modproxy.*};
 * environment {@code MODPROXY_*}). The external URL is {@code modproxy.gateway.external-url}
 * ({@code GatewayConfig}).
 */
@ConfigMapping(prefix = "modproxy")
public interface DoctorConfig {

    Client client();

    Debug debug();

    /**
     * The server's own {@code GOPRIVATE} patterns ({@code modproxy.private}): modules the
     * fetchers read straight from git. Shown to clients only to say they need no such pattern.
     */
    @WithName("private")
    Optional<String> privatePatterns();

    /** {@code modproxy.noproxy} (default: {@code modproxy.private}), for the route explanation. */
    Optional<String> noproxy();

    /** {@code modproxy.nosumdb} (default: {@code modproxy.private}), for the route explanation. */
    Optional<String> nosumdb();

    /** The settings served at {@code /api/v1/client/env}. */
    interface Client {
        /**
         * Whether the advised GOPROXY ends in {@code ,direct} ({@code modproxy.client.direct-fallback}):
         * go then fetches from origin servers when modproxy answers 404/410. Off by default, so
         * every module goes through modproxy's checks, policy and audit trail.
         */
        @WithName("direct-fallback")
        @WithDefault("false")
        boolean directFallback();
    }

    /** The request echo and route explanation ({@code /api/v1/debug/…}). */
    interface Debug {
        /**
         * Whether {@code /api/v1/debug/echo} and {@code /api/v1/debug/route/…} answer
         * ({@code modproxy.debug.echo}; admin read role). Off by default: they are 404 then.
         */
        @WithDefault("false")
        boolean echo();
    }
}

package dev.modproxy.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the operator features (catalog, prefetch, bundles, quarantine, console);
 * environment {@code MODPROXY_*}. Separate from {@link GatewayConfig} so these features stay
 * out of the serving path's configuration.
 */
@ConfigMapping(prefix = "modproxy")
public interface OpsConfig {

    Audit audit();

    Prefetch prefetch();

    Quarantine quarantine();

    Bundle bundle();

    /** Where download counts come from. */
    interface Audit {
        /**
         * Base URL of audit-service ({@code modproxy.audit.endpoint}), asked for download counts.
         * Unset or unreachable: module pages show no counts and say why.
         */
        Optional<URI> endpoint();
    }

    interface Prefetch {
        /** Versions fetched at the same time by one prefetch. */
        @WithDefault("4")
        int concurrency();

        /** Most module versions one prefetch may reach through the module graph. */
        @WithName("max-versions")
        @WithDefault("5000")
        int maxVersions();
    }

    interface Quarantine {
        /**
         * How long a replica trusts its copy of the quarantine list before reading storage again;
         * the replica that took the action knows at once.
         */
        @WithDefault("5s")
        Duration refresh();
    }

    interface Bundle {
        /** Largest bundle accepted by an import, in bytes (spooled to the data directory). */
        @WithName("max-bytes")
        @WithDefault("10737418240")
        long maxBytes();

        /**
         * Verifier keys ({@code <name>+<hash>+<key>}) of the modproxy checksum databases whose
         * signed log entries an import accepts as evidence ({@code modproxy.bundle.trusted-keys});
         * a {@code nosumdb} module is imported only with such an entry. Never the key a bundle names.
         */
        @WithName("trusted-keys")
        Optional<List<String>> trustedKeys();
    }
}

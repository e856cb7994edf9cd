package dev.modproxy.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;

/**
 * The {@code modproxy.*} settings this service reads (environment: {@code MODPROXY_*}).
 * Names and defaults are the contract in DESIGN.md; only the keys used here are mapped.
 */
@ConfigMapping(prefix = "modproxy")
public interface AuditConfig {

    /** Where local state lives when storage is the local filesystem. */
    @WithName("data-dir")
    @WithDefault(".modproxy")
    Path dataDir();
}

package dev.modproxy.gateway.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where the policy rules live ({@code modproxy.policy.*}, env {@code MODPROXY_POLICY_*}). */
@ConfigMapping(prefix = "modproxy.policy")
public interface PolicyConfig {

    /** The rules file, YAML or JSON (see {@link PolicyRules}); none: everything is allowed. */
    Optional<Path> file();

    /** How often the rules file is checked for changes (it is reloaded without a restart). */
    @WithName("reload-interval")
    @WithDefault("5s")
    Duration reloadInterval();
}

package dev.modproxy.internal;

import io.smallrye.config.ConfigMapping;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a service finds the service credential ({@link ServiceCredential}). At most one of the
 * two; with neither, the service's internal API refuses every call and the service sends no
 * credential (see the README, "Internal APIs and the service credential").
 */
@ConfigMapping(prefix = "modproxy.internal")
public interface InternalConfig {

    /**
     * {@code MODPROXY_INTERNAL_TOKEN_FILE}: a file with the token on its first line and, during a
     * rotation, the previous token on the next; re-read when it changes (a mounted Secret).
     * Default: none.
     */
    Optional<Path> tokenFile();

    /**
     * {@code MODPROXY_INTERNAL_TOKEN}: the token itself, or {@code current,previous} during a
     * rotation; read at start only. For where no file can be mounted. Default: none.
     */
    Optional<List<String>> token();
}

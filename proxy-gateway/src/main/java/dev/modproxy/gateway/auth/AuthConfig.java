package dev.modproxy.gateway.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Authentication of gateway clients ({@code modproxy.auth.*}, env {@code MODPROXY_AUTH_*}). Off by default. */
@ConfigMapping(prefix = "modproxy.auth")
public interface AuthConfig {

    /** Whether credentials are checked at all; when off every client is anonymous. */
    @WithDefault("false")
    boolean enabled();

    /**
     * Users for HTTP basic authentication, one per line: {@code name:$2a$...bcrypt...[:group,group]}
     * (a mounted Kubernetes Secret). {@code #} starts a comment line.
     */
    @WithName("users-file")
    Optional<Path> usersFile();

    /**
     * Bearer tokens, one per line: {@code <sha256 of the token, hex>:name[:group,group]}. Only
     * hashes are stored, so the file can be read by more people than the tokens.
     */
    @WithName("tokens-file")
    Optional<Path> tokensFile();

    /** Whether clients without credentials may read modules no access rule restricts. */
    @WithDefault("true")
    boolean anonymous();

    /** The group whose members may use {@code /api/v1/*}. */
    @WithName("admin-group")
    @WithDefault("admin")
    String adminGroup();

    /**
     * The group whose members may use the admin API's read endpoints (module pages, audit
     * queries, prefetch status, the quarantine list) and nothing else.
     */
    @WithName("admin-read-group")
    @WithDefault("admin-read")
    String adminReadGroup();

    /**
     * Failed logins allowed per minute per client address and, separately, per user name; more
     * are answered 429 without checking the password (a bcrypt check costs tens of milliseconds).
     */
    @WithName("max-failed-logins")
    @WithDefault("20")
    int maxFailedLogins();

    /** How often the users and tokens files are checked for changes. */
    @WithName("reload-interval")
    @WithDefault("5s")
    Duration reloadInterval();

    /** How long a password that matched its bcrypt hash is trusted without hashing it again. */
    @WithName("cache-ttl")
    @WithDefault("5m")
    Duration cacheTtl();
}

package dev.modproxy.gateway.door;

import io.vertx.core.http.HttpMethod;

import java.util.Optional;

/**
 * Every endpoint of the admin API ({@code /api/v1/…}), with the role it needs. This table is
 * the admin API: the {@link FrontDoor} answers 404 for any other path under {@code /api} and
 * 405 for a listed path with another method, so an endpoint that is not listed here cannot be
 * reached whoever registered a route for it ({@code FrontDoorRoutesTest} fails on such a route).
 *
 * <p>Roles: {@link Access#PUBLIC} needs nothing (what every go user needs to configure a
 * client); {@link Access#READ} needs the read-only admin group or the admin group;
 * {@link Access#WRITE} needs the admin group and is refused when a browser sends it cross-site.
 * Bulk export is {@code WRITE} although it is a {@code GET}: it streams every stored module,
 * private ones included.
 */
public enum AdminEndpoint {

    VERIFIER_KEY(HttpMethod.GET, "/api/v1/sumdb/verifier-key", false, Access.PUBLIC),
    AUDIT_QUERY(HttpMethod.GET, "/api/v1/audit", false, Access.READ),
    MODULE_PAGE(HttpMethod.GET, "/api/v1/modules/", true, Access.READ),
    CATALOG_REBUILD(HttpMethod.POST, "/api/v1/catalog/rebuild", false, Access.WRITE),
    PREFETCH_START(HttpMethod.POST, "/api/v1/prefetch", false, Access.WRITE),
    PREFETCH_STATUS(HttpMethod.GET, "/api/v1/prefetch/", true, Access.READ),
    BUNDLE_EXPORT(HttpMethod.GET, "/api/v1/bundles", false, Access.WRITE),
    BUNDLE_IMPORT(HttpMethod.POST, "/api/v1/bundles", false, Access.WRITE),
    QUARANTINE_LIST(HttpMethod.GET, "/api/v1/quarantine", false, Access.READ),
    QUARANTINE_ADD(HttpMethod.POST, "/api/v1/quarantine/", true, Access.WRITE),
    QUARANTINE_LIFT(HttpMethod.DELETE, "/api/v1/quarantine/", true, Access.WRITE),
    /** Forget the fetchers' remembered not-founds of a module (fetcher negative cache). */
    NEGATIVE_CACHE_CLEAR(HttpMethod.DELETE, "/api/v1/negative-cache/", true, Access.WRITE),
    /** The settings a go client of this modproxy needs ({@code doctor.ClientSettings}). */
    CLIENT_ENV(HttpMethod.GET, "/api/v1/client/env", false, Access.PUBLIC),
    /**
     * The doctor's canary ticket. Public like the doctor itself; it appends nothing to the
     * checksum log beyond the fixed canary versions ({@code doctor.Canary}).
     */
    CANARY_TICKET(HttpMethod.POST, "/api/v1/canary", false, Access.PUBLIC),
    /** Did the canary request of this (unguessable) ticket arrive, as whom, from where. */
    CANARY_SEEN(HttpMethod.GET, "/api/v1/canary/", true, Access.PUBLIC),
    /** What arrived (credentials redacted); only with {@code modproxy.debug.echo}, else 404 at the door. */
    DEBUG_ECHO(HttpMethod.GET, "/api/v1/debug/echo", false, Access.READ),
    /** How a module would be served; only with {@code modproxy.debug.echo}, else 404 at the door. */
    DEBUG_ROUTE(HttpMethod.GET, "/api/v1/debug/route/", true, Access.READ);

    /** Who may call an endpoint (see the class comment). */
    public enum Access { PUBLIC, READ, WRITE }

    private final HttpMethod method;
    private final String path;
    private final boolean prefix;
    private final Access access;

    AdminEndpoint(HttpMethod method, String path, boolean prefix, Access access) {
        this.method = method;
        this.path = path;
        this.prefix = prefix;
        this.access = access;
    }

    public Access access() {
        return access;
    }

    public HttpMethod method() {
        return method;
    }

    /** The path, or for a prefix endpoint the part before its parameter. */
    public String path() {
        return path;
    }

    /** Whether the endpoint takes the rest of the path as a parameter (non-empty). */
    public boolean prefix() {
        return prefix;
    }

    /** Whether the (decoded) {@code path} names this endpoint, whatever the method. */
    boolean matches(String path) {
        return prefix ? path.length() > this.path.length() && path.startsWith(this.path) : path.equals(this.path);
    }

    /** The endpoint {@code method} and {@code path} name; {@code HEAD} counts as {@code GET}. */
    static Optional<AdminEndpoint> find(HttpMethod method, String path) {
        HttpMethod m = method == HttpMethod.HEAD ? HttpMethod.GET : method;
        for (AdminEndpoint e : values()) {
            if (e.method.equals(m) && e.matches(path)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Whether some endpoint has {@code path} (for 405 rather than 404). */
    static String allowed(String path) {
        StringBuilder allow = new StringBuilder();
        for (AdminEndpoint e : values()) {
            if (e.matches(path)) {
                if (!allow.isEmpty()) {
                    allow.append(", ");
                }
                allow.append(e.method.name());
                if (e.method == HttpMethod.GET) {
                    allow.append(", HEAD");
                }
            }
        }
        return allow.toString();
    }
}

package dev.modproxy.gateway.door;

import dev.modproxy.gateway.door.Target.Kind;
import dev.modproxy.gateway.service.ParsedRequests;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModuleVersion;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's one door: the first step of the request chain reads the request target once,
 * refuses every spelling that is not the one canonical form ({@link Spelling}), and classifies
 * what is left into exactly one {@link Target}, which it leaves on the context. Every later
 * step — authentication, rate limit, access and policy, audit, metrics, routing — reads that
 * target and never the raw path, so the decision and the handler act on the same request.
 *
 * <p>What the door does not know, nothing behind it serves: an unknown path under a reserved
 * prefix ({@code /q}, {@code /api}, {@code /sumdb}, {@code /catalog}, {@code /index},
 * {@code /ui}) is a 404 here, a known path with another method a 405, and every other path
 * must parse as a GOPROXY request (else 400 with the parser's reason).
 *
 * <p>Limits come first (414 for a path or query over its bound; control characters in the
 * query are a 400) so nothing long is parsed. The query string is not part of the
 * classification; each endpoint validates its own parameters.
 */
public final class FrontDoor implements Handler<RoutingContext> {

    private static final Set<String> HEALTH = Set.of("/q/health", "/q/health/live", "/q/health/ready",
            "/q/health/started");
    private static final String METRICS = "/q/metrics";
    private static final Set<String> SUMDB_OPS = Set.of("supported", "latest");
    private static final String READ_METHODS = "GET, HEAD";

    /**
     * The prefixes under which the door classifies paths itself (and answers 404 for the ones it
     * does not know): a router mounted at one of them serves only what the door let through.
     */
    static final Set<String> PREFIXES = Set.of("/", "/q/", "/api/", "/sumdb/", "/ui/");

    /** Where the client address, once worked out, is kept on the routing context. */
    private static final String CLIENT = "modproxy.client-address";

    /**
     * The one path outside the reserved prefixes that is not GOPROXY: the doctor script
     * ({@code curl -fsS <gateway>/doctor | sh}), public static content like the console.
     */
    static final String DOCTOR = "/doctor";

    /** The trusted-proxy rules of the running gateway (one door per application). */
    private static volatile ClientAddress clients = new ClientAddress(java.util.List.of());

    private final int maxPath;
    private final int maxQuery;
    /**
     * Endpoints switched off by configuration (the debug endpoints unless
     * {@code modproxy.debug.echo}): unknown to this door, so a 404 for everyone, before any
     * authentication, exactly as if they were not in {@link AdminEndpoint}.
     */
    private final Set<AdminEndpoint> off;

    public FrontDoor(int maxPath, int maxQuery, ClientAddress clients) {
        this(maxPath, maxQuery, clients, Set.of());
    }

    /** A door that also treats the {@code off} endpoints as unknown (404). */
    public FrontDoor(int maxPath, int maxQuery, ClientAddress clients, Set<AdminEndpoint> off) {
        this.maxPath = maxPath;
        this.maxQuery = maxQuery;
        this.off = Set.copyOf(off);
        FrontDoor.clients = clients;
    }

    /**
     * The client's address ({@link ClientAddress}: the connection's, or the forwarded one behind a
     * trusted proxy), worked out on first use and kept: the rate limit, the login throttle and the
     * audit event all use this one answer. Null when the connection has no address.
     */
    public static String client(RoutingContext ctx) {
        String c = ctx.get(CLIENT);
        if (c == null) {
            HttpServerRequest req = ctx.request();
            String remote = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
            ClientAddress rules = clients;
            c = rules.trustsAnyone() ? rules.resolve(remote, req.headers().getAll("X-Forwarded-For"),
                    req.headers().getAll("Forwarded")) : remote;
            if (c != null) {
                ctx.put(CLIENT, c);
            }
        }
        return c;
    }

    @Override
    public void handle(RoutingContext ctx) {
        try {
            ctx.put(Target.KEY, classify(ctx));
            ctx.next();
        } catch (ProxyException e) {
            ctx.fail(e);
        }
    }

    private Target classify(RoutingContext ctx) throws ProxyException {
        HttpServerRequest req = ctx.request();
        String uri = req.uri();
        if (uri == null || !uri.startsWith("/")) {
            throw Spelling.bad("the request target must be a path starting with '/'");
        }
        String raw = req.path();
        String query = req.query();
        if (raw != null && raw.length() > maxPath) {
            throw new ProxyException(ProxyException.Kind.URI_TOO_LONG, "request path longer than " + maxPath + " characters");
        }
        if (query != null) {
            if (query.length() > maxQuery) {
                throw new ProxyException(ProxyException.Kind.URI_TOO_LONG, "query longer than " + maxQuery + " characters");
            }
            for (int i = 0; i < query.length(); i++) {
                char c = query.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw Spelling.bad("control character in the request target");
                }
            }
        }
        String path = Spelling.decode(raw);
        if (path != raw && !raw.equals(ctx.normalizedPath())) {
            // Cannot happen after Spelling's rules; if a layer ever normalizes differently, refuse.
            throw Spelling.bad("the path has another normalized form (" + ctx.normalizedPath() + ")");
        }
        Target target = classify(req.method(), raw, path);
        if (target.admin() != null && off.contains(target.admin())) {
            throw notFound(path);
        }
        return target;
    }

    /** The target {@code method} and the raw/decoded path name (the spelling already checked). */
    static Target classify(HttpMethod method, String raw, String path) throws ProxyException {
        if (under(path, "/q")) {
            if (HEALTH.contains(path)) {
                return read(method, new Target(Kind.HEALTH, path, null, null, null));
            }
            if (path.equals(METRICS)) {
                return read(method, new Target(Kind.METRICS, path, null, null, null));
            }
            throw notFound(path);
        }
        if (under(path, "/api")) {
            return admin(method, path);
        }
        if (under(path, "/sumdb")) {
            return read(method, sumdb(path));
        }
        if (path.equals("/catalog") || path.equals("/index")) {
            return read(method, new Target(Kind.CATALOG, path, null, null, null));
        }
        if (under(path, "/catalog") || under(path, "/index")) {
            throw notFound(path);
        }
        if (path.equals("/ui") || path.startsWith("/ui/") && path.indexOf('/', 4) < 0) {
            return read(method, new Target(Kind.CONSOLE, path, null, null, null));
        }
        if (under(path, "/ui")) {
            throw notFound(path);
        }
        if (path.equals(DOCTOR)) {
            return read(method, new Target(Kind.CONSOLE, path, null, null, null));
        }
        ParsedRequests.Parsed parsed;
        try {
            parsed = ParsedRequests.parse(raw.substring(1));
        } catch (GoModException e) {
            throw new ProxyException(ProxyException.Kind.BAD_REQUEST, e.getMessage());
        }
        return read(method, new Target(Kind.GOPROXY, path, parsed, null, null));
    }

    private static Target admin(HttpMethod method, String path) throws ProxyException {
        Optional<AdminEndpoint> endpoint = AdminEndpoint.find(method, path);
        if (endpoint.isPresent()) {
            return new Target(Kind.ADMIN, path, null, endpoint.get(), null);
        }
        String allowed = AdminEndpoint.allowed(path);
        if (allowed.isEmpty()) {
            throw notFound(path);
        }
        throw notAllowed(method, allowed);
    }

    /** {@code /sumdb/<name>/supported|latest|lookup/<module>@<version>|tile/…}. */
    private static Target sumdb(String path) throws ProxyException {
        int nameEnd = path.indexOf('/', "/sumdb/".length());
        if (nameEnd < 0) {
            throw notFound(path);
        }
        String name = path.substring("/sumdb/".length(), nameEnd);
        String op = path.substring(nameEnd + 1);
        if (SUMDB_OPS.contains(op) || op.startsWith("tile/") && op.length() > "tile/".length()) {
            return new Target(Kind.SUMDB, path, null, null, new Target.Sumdb(name, null));
        }
        if (op.startsWith("lookup/")) {
            String mv = op.substring("lookup/".length());
            int at = mv.lastIndexOf('@');
            if (at <= 0) {
                throw new ProxyException(ProxyException.Kind.BAD_REQUEST,
                        "malformed checksum database lookup: want lookup/<module>@<version>");
            }
            try {
                ModuleVersion lookup = ModuleVersion.fromEscaped(mv.substring(0, at), mv.substring(at + 1));
                return new Target(Kind.SUMDB, path, null, null, new Target.Sumdb(name, lookup));
            } catch (GoModException e) {
                throw new ProxyException(ProxyException.Kind.BAD_REQUEST, "malformed checksum database lookup: "
                        + e.getMessage());
            }
        }
        throw notFound(path);
    }

    private static Target read(HttpMethod method, Target t) throws ProxyException {
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            throw notAllowed(method, READ_METHODS);
        }
        return t;
    }

    private static boolean under(String path, String prefix) {
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    private static ProxyException notFound(String path) {
        return new ProxyException(ProxyException.Kind.NOT_FOUND, "not found: " + path);
    }

    private static ProxyException notAllowed(HttpMethod method, String allowed) {
        return new ProxyException(ProxyException.Kind.METHOD_NOT_ALLOWED,
                "method " + method + " not allowed (" + allowed + ")", Map.of("Allow", allowed), null);
    }
}

package dev.modproxy.gateway.service;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.proxy.ProxyRequest;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Request paths parsed once and remembered, for the hot path.
 *
 * <p>Parsing a GOPROXY path checks the module path and version by golang.org/x/mod's rules;
 * on a hit served from memory that check, done by the policy step and again by the route, was
 * the largest share of the gateway's own CPU (bench/, "Performance" in the README). The parse
 * is a pure function of the raw path, so a path that parsed once parses the same way again:
 * successes are kept (failures are not, so junk cannot fill the map), with the cache key and
 * the answer/artifact split computed once too. Bounded: cleared when full, which costs one
 * re-parse per hot path.
 */
public final class ParsedRequests {

    /**
     * A parsed request, its cache key ({@link ProxyRequest#toString()}), whether it is an answer
     * (list, latest, query) and whether it names one canonical version (.info/.mod/.zip of a
     * version, not a query): the policy step asks the latter on every request, and it costs a
     * semver and module-path check.
     */
    public record Parsed(ProxyRequest request, String key, boolean answer, boolean namesVersion) {
    }

    static final int MAX_ENTRIES = 20_000;

    private static final ConcurrentHashMap<String, Parsed> PARSED = new ConcurrentHashMap<>();

    private ParsedRequests() {
    }

    /** {@link ProxyRequest#parse} of {@code path} (no leading '/'), remembered when it succeeds. */
    public static Parsed parse(String path) throws GoModException {
        Parsed p = PARSED.get(path);
        if (p != null) {
            return p;
        }
        ProxyRequest request = ProxyRequest.parse(path);
        boolean names = request.type() != ProxyRequest.Type.LIST && request.type() != ProxyRequest.Type.LATEST
                && !request.isQuery();
        p = new Parsed(request, request.toString(), ArtifactService.isAnswer(request), names);
        if (PARSED.size() >= MAX_ENTRIES) {
            PARSED.clear();
        }
        PARSED.put(path, p);
        return p;
    }
}

package dev.modproxy.gomod.env;

import java.util.Objects;

/**
 * A GOPRIVATE-style list of module path patterns (also used for GONOPROXY, GONOSUMDB and
 * GOINSECURE), matched like {@code golang.org/x/mod/module.MatchPrefixPatterns}.
 *
 * <p>Rules:
 * <ul>
 *   <li>The list is split at every comma; entries are not trimmed, and empty entries are
 *       skipped. One trailing slash on an entry is ignored.</li>
 *   <li>An entry with N slashes (N+1 path elements) is matched, with {@link GlobMatch} (Go's
 *       {@code path.Match}), against the first N+1 elements of the module path; if the path
 *       has fewer elements the entry does not match. So {@code rsc.io} matches
 *       {@code rsc.io/quote/v3}, and {@code *}{@code /quote} matches {@code rsc.io/quote/v3}
 *       but {@code *}{@code /v3} does not.</li>
 *   <li>A malformed glob never matches and is never an error.</li>
 *   <li>The path matches the list if any entry matches.</li>
 * </ul>
 *
 * @param globs the raw comma-separated list, as found in the environment ("" matches nothing)
 */
public record PathPatterns(String globs) {

    /** The empty list, which matches no path. */
    public static final PathPatterns NONE = new PathPatterns("");

    public PathPatterns {
        Objects.requireNonNull(globs, "globs");
    }

    /** True if the list has no characters at all (the variable is unset or empty). */
    public boolean isEmpty() {
        return globs.isEmpty();
    }

    /** Reports whether some path prefix of {@code target} matches an entry of this list. */
    public boolean matches(String target) {
        return matchPrefixPatterns(globs, target);
    }

    /** {@code module.MatchPrefixPatterns(globs, target)}. */
    public static boolean matchPrefixPatterns(String globs, String target) {
        if (globs.isEmpty()) {
            return false;
        }
        for (String entry : globs.split(",", -1)) {
            String glob = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
            if (glob.isEmpty()) {
                continue;
            }
            String prefix = elementPrefix(target, countSlashes(glob) + 1);
            if (prefix != null && GlobMatch.matches(glob, prefix)) {
                return true;
            }
        }
        return false;
    }

    private static int countSlashes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    /** The first {@code elements} slash-separated elements of target, or null if it has fewer. */
    private static String elementPrefix(String target, int elements) {
        int seen = 0;
        for (int i = 0; i < target.length(); i++) {
            if (target.charAt(i) == '/') {
                seen++;
                if (seen == elements) {
                    return target.substring(0, i);
                }
            }
        }
        return seen + 1 >= elements ? target : null;
    }
}

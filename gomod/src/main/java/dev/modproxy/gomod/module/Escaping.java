package dev.modproxy.gomod.module;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.GoModException.Kind;
import dev.modproxy.gomod.text.GoQuote;

/**
 * The case-escaped form of module paths and versions used in proxy URLs and in the module cache
 * (golang.org/x/mod/module EscapePath and friends).
 *
 * <p>Why: file systems and the web servers in front of them may not keep {@code rsc.io/QUOTE}
 * and {@code rsc.io/quote} apart, so the protocol never needs two casings of one URL. The rules:
 * <ul>
 *   <li>Every upper-case ASCII letter becomes {@code !} followed by its lower-case form
 *       ({@code github.com/Azure} &rarr; {@code github.com/!azure}); everything else stays.
 *       Paths without upper case are their own escaped form.
 *   <li>Only valid module paths are escaped. A version may be any valid file name element that
 *       has no {@code !} (and, to be escaped, only ASCII), since a query like a branch name may
 *       stand where a version does.
 *   <li>Unescaping accepts only ASCII, no upper case, and {@code !} only before a lower-case
 *       letter; the result must again be a valid module path, or valid file name element for a
 *       version. So every string has at most one escaped form and vice versa.
 * </ul>
 *
 * <p>Errors are x/mod's texts: the path check's own message for {@link #escapePath};
 * {@code version "v" invalid: disallowed version string}; {@code invalid escaped module path
 * "e"[: reason]}; {@code invalid escaped version "e"[: reason]}.
 */
public final class Escaping {

    private Escaping() {
    }

    /** The escaped form of module path {@code path}, which must be valid. */
    public static String escapePath(String path) throws GoModException {
        ModulePaths.checkPath(path);
        return escape(path);
    }

    /** The escaped form of version {@code v}. */
    public static String escapeVersion(String v) throws GoModException {
        if (PathRules.checkElem(v, PathRules.Kind.FILE) != null || v.contains("!")) {
            throw new GoModException(Kind.INVALID_VERSION,
                    "version " + GoQuote.quote(v) + " invalid: disallowed version string");
        }
        if (!v.chars().allMatch(c -> c < 0x80)) {
            // A valid file name may hold Unicode letters, which the escaping cannot represent.
            throw new GoModException(Kind.INVALID_VERSION, "internal error: inconsistency in EscapePath");
        }
        return escape(v);
    }

    /** The module path whose escaped form is {@code escaped}. */
    public static String unescapePath(String escaped) throws GoModException {
        String path = unescape(escaped);
        if (path == null) {
            throw new GoModException(Kind.INVALID_PATH, "invalid escaped module path " + GoQuote.quote(escaped));
        }
        try {
            ModulePaths.checkPath(path);
        } catch (GoModException e) {
            throw new GoModException(Kind.INVALID_PATH,
                    "invalid escaped module path " + GoQuote.quote(escaped) + ": " + e.getMessage());
        }
        return path;
    }

    /** The version whose escaped form is {@code escaped}. */
    public static String unescapeVersion(String escaped) throws GoModException {
        String v = unescape(escaped);
        if (v == null) {
            throw new GoModException(Kind.INVALID_VERSION, "invalid escaped version " + GoQuote.quote(escaped));
        }
        String why = PathRules.checkElem(v, PathRules.Kind.FILE);
        if (why != null) {
            // x/mod quotes the unescaped string here, unlike in unescapePath.
            throw new GoModException(Kind.INVALID_VERSION, "invalid escaped version " + GoQuote.quote(v) + ": " + why);
        }
        return v;
    }

    /** Escapes an ASCII string without {@code !}; callers have checked that. */
    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ('A' <= c && c <= 'Z') {
                if (b == null) {
                    b = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                b.append('!').append((char) (c + ('a' - 'A')));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** The string {@code escaped} stands for, or {@code null} if it is not a valid escaped form. */
    static String unescape(String escaped) {
        StringBuilder b = new StringBuilder(escaped.length());
        boolean bang = false;
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            if (bang) {
                bang = false;
                if (c < 'a' || 'z' < c) {
                    return null;
                }
                b.append((char) (c - ('a' - 'A')));
            } else if (c == '!') {
                bang = true;
            } else if ('A' <= c && c <= 'Z') {
                return null;
            } else {
                b.append(c);
            }
        }
        return bang ? null : b.toString();
    }
}

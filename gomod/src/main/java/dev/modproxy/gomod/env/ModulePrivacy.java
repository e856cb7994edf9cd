package dev.modproxy.gomod.env;

import java.util.Objects;

/**
 * The four path-pattern settings that decide how the {@code go} command treats a module, with
 * the defaulting of {@code cmd/go/internal/cfg}:
 * <ul>
 *   <li>GONOPROXY and GONOSUMDB default to GOPRIVATE when unset or empty. An explicitly set
 *       value replaces GOPRIVATE entirely (e.g. {@code GONOPROXY=none} proxies everything
 *       even though GOPRIVATE lists patterns, because "none" matches no real path).</li>
 *   <li>GOINSECURE has no default.</li>
 * </ul>
 * GOPRIVATE itself is kept for reference: a module is "private" if it matches it.
 */
public record ModulePrivacy(PathPatterns goPrivate, PathPatterns noProxy, PathPatterns noSumDb,
                            PathPatterns insecure) {

    public ModulePrivacy {
        Objects.requireNonNull(goPrivate, "goPrivate");
        Objects.requireNonNull(noProxy, "noProxy");
        Objects.requireNonNull(noSumDb, "noSumDb");
        Objects.requireNonNull(insecure, "insecure");
    }

    /**
     * Builds the settings from raw environment values; {@code null} means unset, which Go
     * treats exactly like the empty string.
     */
    public static ModulePrivacy fromEnvironment(String goprivate, String gonoproxy,
                                                String gonosumdb, String goinsecure) {
        String priv = orEmpty(goprivate);
        return new ModulePrivacy(new PathPatterns(priv),
                new PathPatterns(orDefault(gonoproxy, priv)),
                new PathPatterns(orDefault(gonosumdb, priv)),
                new PathPatterns(orEmpty(goinsecure)));
    }

    /** True if requests for this module bypass the proxies (GONOPROXY). */
    public boolean bypassesProxy(String modulePath) {
        return noProxy.matches(modulePath);
    }

    /** True if this module's checksums are not checked against the sum database (GONOSUMDB). */
    public boolean bypassesSumDb(String modulePath) {
        return noSumDb.matches(modulePath);
    }

    /** True if this module may be fetched over insecure schemes (GOINSECURE). */
    public boolean isInsecure(String modulePath) {
        return insecure.matches(modulePath);
    }

    /** True if the module matches GOPRIVATE. */
    public boolean isPrivate(String modulePath) {
        return goPrivate.matches(modulePath);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String orDefault(String s, String def) {
        return s == null || s.isEmpty() ? def : s;
    }
}

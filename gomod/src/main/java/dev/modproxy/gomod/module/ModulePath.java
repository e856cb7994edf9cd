package dev.modproxy.gomod.module;

import dev.modproxy.gomod.GoModException;

/**
 * A module path that passed {@link ModulePaths#checkPath}, such as {@code golang.org/x/text} or
 * {@code rsc.io/quote/v3}. Services turn request strings into this type at their edge, so the
 * rest of the code never handles an unchecked path.
 *
 * <p>A final class rather than a record: a record's constructor cannot report bad input with the
 * checked {@link GoModException}, and must not be callable without the check.
 */
public final class ModulePath implements Comparable<ModulePath> {

    private final String path;

    private ModulePath(String path) {
        this.path = path;
    }

    /** The module path {@code path}, checked. */
    public static ModulePath of(String path) throws GoModException {
        ModulePaths.checkPath(path);
        return new ModulePath(path);
    }

    /** The module path whose case-escaped form (as in proxy URLs) is {@code escaped}. */
    public static ModulePath fromEscaped(String escaped) throws GoModException {
        return new ModulePath(Escaping.unescapePath(escaped));
    }

    /** The path itself, as written in go.mod. */
    public String value() {
        return path;
    }

    /** The case-escaped form, as in proxy URLs and the module cache. */
    public String escaped() {
        return Escaping.escape(path);
    }

    /** The path without its major-version suffix: {@code rsc.io/quote} for {@code rsc.io/quote/v3}. */
    public String prefix() {
        return ModulePaths.splitPathVersion(path).prefix();
    }

    /** The major-version suffix: {@code "/v3"}, {@code ".v2"} for gopkg.in, or {@code ""}. */
    public String pathMajor() {
        return ModulePaths.splitPathVersion(path).pathMajor();
    }

    @Override
    public int compareTo(ModulePath o) {
        return path.compareTo(o.path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModulePath other && path.equals(other.path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}

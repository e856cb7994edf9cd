package dev.modproxy.gomod.module;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.semver.Semver;
import java.util.Comparator;

/**
 * A module path and a version that passed {@link ModulePaths#check}: the version is valid semver
 * (not necessarily canonical) and its major version matches the path's.
 *
 * <p>A final class rather than a record for the same reason as {@link ModulePath}.
 */
public final class ModuleVersion {

    /** The order of x/mod's {@code module.Sort}: by path, then by semantic version precedence. */
    public static final Comparator<ModuleVersion> ORDER = Comparator.comparing(ModuleVersion::path)
            .thenComparing(ModuleVersion::version, Semver.BY_VERSION);

    private final ModulePath path;
    private final String version;

    private ModuleVersion(ModulePath path, String version) {
        this.path = path;
        this.version = version;
    }

    /** The pair ({@code path}, {@code version}), checked. */
    public static ModuleVersion of(String path, String version) throws GoModException {
        return of(ModulePath.of(path), version);
    }

    /** The pair ({@code path}, {@code version}), with the version checked against the path. */
    public static ModuleVersion of(ModulePath path, String version) throws GoModException {
        ModulePaths.check(path.value(), version);
        return new ModuleVersion(path, version);
    }

    /** The pair whose case-escaped forms (as in proxy URLs) are the arguments. */
    public static ModuleVersion fromEscaped(String escapedPath, String escapedVersion) throws GoModException {
        return of(ModulePath.fromEscaped(escapedPath), Escaping.unescapeVersion(escapedVersion));
    }

    public ModulePath path() {
        return path;
    }

    public String version() {
        return version;
    }

    /** The case-escaped version, as in proxy URLs ({@code v1.0.0-!r!c1} for {@code v1.0.0-RC1}). */
    public String escapedVersion() {
        return Escaping.escape(version);
    }

    /** Whether the version is already canonical ({@link ModulePaths#canonicalVersion}). */
    public boolean isCanonical() {
        return version.equals(ModulePaths.canonicalVersion(version));
    }

    /** Whether the version is {@code +incompatible}: a v2+ release of a module without go.mod. */
    public boolean isIncompatible() {
        return Semver.isIncompatible(version);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModuleVersion other && path.equals(other.path) && version.equals(other.version);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + version.hashCode();
    }

    /** {@code path@version}, as the go command prints a module version. */
    @Override
    public String toString() {
        return path + "@" + version;
    }
}

package dev.modproxy.gomod.module;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.GoModException.Kind;
import dev.modproxy.gomod.semver.Semver;
import dev.modproxy.gomod.text.GoQuote;

/**
 * Which module paths, import paths and file paths are valid, and which versions go with a module
 * path (golang.org/x/mod/module).
 *
 * <p>The rules, from most lenient to strictest:
 * <ul>
 *   <li><b>File path</b>: one or more slash-separated elements; not empty, no leading or trailing
 *       slash, no empty element, no element made only of dots, none ending in a dot. Element
 *       characters: ASCII letters and digits, the space, {@code !#$%&()+,-.=@[]^_{}~}, and any
 *       non-ASCII Unicode letter. No element's part before its first dot may be a Windows
 *       device name ({@code CON PRN AUX NUL COM1..9 LPT1..9}, in any case). The string must be
 *       valid UTF-8 (in Java: no unpaired surrogate, see {@link GoQuote}).
 *   <li><b>Import path</b>: as a file path, but characters are only ASCII letters, digits and
 *       {@code - . _ ~ +}; it may not start with a dash; and the part of an element before its
 *       first dot may not end in a tilde followed by digits (a Windows short name).
 *   <li><b>Module path</b>: as an import path without {@code +}, no element may start with a
 *       dot, and the first element (by convention a domain name) must contain a dot and use only
 *       lower-case ASCII letters, digits, dots and dashes. A final element that looks like a
 *       major version, {@code /vN}, must have N &ge; 2 without leading zero or dots. Paths under
 *       {@code gopkg.in/} must instead end in {@code .vN} or {@code .vN-unstable}.
 *   <li><b>Path and version</b>: the version must be valid semver, and its major version must
 *       match the path's: no suffix allows v0, v1 and any {@code +incompatible} version;
 *       {@code /vN} and {@code .vN} allow only vN; {@code .v1} also allows the {@code v0.0.0-}
 *       pseudo-versions early versions of the go command made for gopkg.in.
 * </ul>
 *
 * <p>Errors are x/mod's texts: {@code malformed module path "p": reason} (also {@code import} and
 * {@code file}) with kind {@link Kind#INVALID_PATH}; {@code p@v: invalid version: reason} or
 * {@code version "v" invalid: reason} with kind {@link Kind#INVALID_VERSION}.
 */
public final class ModulePaths {

    private ModulePaths() {
    }

    /** Checks that {@code path} is a valid module path. */
    public static void checkPath(String path) throws GoModException {
        String why = modulePathProblem(path);
        if (why != null) {
            throw malformed("module", path, why);
        }
    }

    /** Reports whether {@code path} is a valid module path. */
    public static boolean isValidPath(String path) {
        return modulePathProblem(path) == null;
    }

    /** Checks that {@code path} is a valid package import path. */
    public static void checkImportPath(String path) throws GoModException {
        String why = PathRules.checkPath(path, PathRules.Kind.IMPORT);
        if (why != null) {
            throw malformed("import", path, why);
        }
    }

    /** Checks that {@code path} is a valid slash-separated file path inside a module. */
    public static void checkFilePath(String path) throws GoModException {
        String why = PathRules.checkPath(path, PathRules.Kind.FILE);
        if (why != null) {
            throw malformed("file", path, why);
        }
    }

    /**
     * Checks that {@code path} is a valid module path, {@code version} a valid semantic version,
     * and that the version's major version matches the path's.
     */
    public static void check(String path, String version) throws GoModException {
        checkPath(path);
        if (!Semver.isValid(version)) {
            throw new GoModException(Kind.INVALID_VERSION,
                    path + "@" + version + ": invalid version: not a semantic version");
        }
        String why = pathMajorProblem(version, splitPathVersion(path).pathMajor());
        if (why != null) {
            throw new GoModException(Kind.INVALID_VERSION, path + "@" + version + ": invalid version: " + why);
        }
    }

    /**
     * Splits {@code path} into a prefix and a major-version suffix ({@code ""}, {@code "/vN"} for
     * N &ge; 2, or for gopkg.in {@code ".vN"} with any N, optionally {@code -unstable}) so that
     * prefix + pathMajor is the path. {@code ok} is false when the last element looks like a major
     * version but breaks the rules (such as {@code /v1} or {@code /v1.2}); the whole path is then
     * the prefix.
     */
    public static PathVersionSplit splitPathVersion(String path) {
        if (path.startsWith("gopkg.in/")) {
            return splitGopkgIn(path);
        }
        int i = path.length();
        boolean dot = false;
        while (i > 0 && (isDigit(path.charAt(i - 1)) || path.charAt(i - 1) == '.')) {
            dot |= path.charAt(i - 1) == '.';
            i--;
        }
        if (i <= 1 || i == path.length() || path.charAt(i - 1) != 'v' || path.charAt(i - 2) != '/') {
            return new PathVersionSplit(path, "", true);
        }
        String pathMajor = path.substring(i - 2);
        if (dot || pathMajor.length() <= 2 || pathMajor.charAt(2) == '0' || pathMajor.equals("/v1")) {
            return new PathVersionSplit(path, "", false);
        }
        return new PathVersionSplit(path.substring(0, i - 2), pathMajor, true);
    }

    private static PathVersionSplit splitGopkgIn(String path) {
        int i = path.length();
        if (path.endsWith("-unstable")) {
            i -= "-unstable".length();
        }
        while (i > 0 && isDigit(path.charAt(i - 1))) {
            i--;
        }
        if (i <= 1 || path.charAt(i - 1) != 'v' || path.charAt(i - 2) != '.') {
            return new PathVersionSplit(path, "", false);
        }
        String pathMajor = path.substring(i - 2);
        if (pathMajor.length() <= 2 || pathMajor.charAt(2) == '0' && !pathMajor.equals(".v0")) {
            return new PathVersionSplit(path, "", false);
        }
        return new PathVersionSplit(path.substring(0, i - 2), pathMajor, true);
    }

    /** Reports whether version {@code v} matches the path major-version suffix {@code pathMajor}. */
    public static boolean matchPathMajor(String v, String pathMajor) {
        return pathMajorProblem(v, pathMajor) == null;
    }

    /** Checks that version {@code v} matches the path major-version suffix {@code pathMajor}. */
    public static void checkPathMajor(String v, String pathMajor) throws GoModException {
        String why = pathMajorProblem(v, pathMajor);
        if (why != null) {
            throw new GoModException(Kind.INVALID_VERSION,
                    "version " + GoQuote.quote(v) + " invalid: " + why);
        }
    }

    /**
     * The major version a path suffix asks for: {@code "v2"} for {@code "/v2"} or
     * {@code ".v2-unstable"}; {@code ""} for no suffix, which allows v0 or v1.
     *
     * @throws GoModException if {@code pathMajor} is neither empty nor a {@code /vN} or
     *     {@code .vN} suffix (where x/mod panics)
     */
    public static String pathMajorPrefix(String pathMajor) throws GoModException {
        if (pathMajor.isEmpty()) {
            return "";
        }
        if (pathMajor.charAt(0) != '/' && pathMajor.charAt(0) != '.') {
            throw new GoModException(Kind.INVALID_VERSION,
                    "pathMajor suffix " + pathMajor + " passed to PathMajorPrefix lacks separator");
        }
        String m = withoutUnstable(pathMajor).substring(1);
        if (!m.equals(Semver.major(m))) {
            throw new GoModException(Kind.INVALID_VERSION,
                    "pathMajor suffix " + pathMajor + "passed to PathMajorPrefix is not a valid major version");
        }
        return m;
    }

    /** {@link Semver#canonical}, but keeping the special build suffix {@code +incompatible}. */
    public static String canonicalVersion(String v) {
        return Semver.canonical(v) + (Semver.isIncompatible(v) ? "+incompatible" : "");
    }

    /** Why {@code path} is not a valid module path (without the "malformed" wrapper), or null. */
    static String modulePathProblem(String path) {
        String why = PathRules.checkPath(path, PathRules.Kind.MODULE);
        if (why != null) {
            return why;
        }
        int slash = path.indexOf('/');
        String first = slash < 0 ? path : path.substring(0, slash);
        if (first.isEmpty()) {
            return "leading slash";
        }
        if (!first.contains(".")) {
            return "missing dot in first path element";
        }
        if (path.charAt(0) == '-') {
            return "leading dash in first path element";
        }
        for (int i = 0; i < first.length(); i++) {
            if (!PathRules.firstElementAllowed(first.charAt(i))) {
                return "invalid char " + GoQuote.quoteRune(first.charAt(i)) + " in first path element";
            }
        }
        if (!splitPathVersion(path).ok()) {
            return "invalid version";
        }
        return null;
    }

    private static String pathMajorProblem(String v, String pathMajor) {
        pathMajor = withoutUnstable(pathMajor);
        if (v.startsWith("v0.0.0-") && pathMajor.equals(".v1")) {
            return null;
        }
        String m = Semver.major(v);
        String wanted;
        if (pathMajor.isEmpty()) {
            if (m.equals("v0") || m.equals("v1") || Semver.isIncompatible(v)) {
                return null;
            }
            wanted = "v0 or v1";
        } else if (pathMajor.charAt(0) == '/' || pathMajor.charAt(0) == '.') {
            if (m.equals(pathMajor.substring(1))) {
                return null;
            }
            wanted = pathMajor.substring(1);
        } else {
            wanted = pathMajor;
        }
        return "should be " + wanted + ", not " + m;
    }

    private static String withoutUnstable(String pathMajor) {
        if (pathMajor.startsWith(".v") && pathMajor.endsWith("-unstable")) {
            return pathMajor.substring(0, pathMajor.length() - "-unstable".length());
        }
        return pathMajor;
    }

    private static GoModException malformed(String kind, String path, String why) {
        return new GoModException(Kind.INVALID_PATH,
                "malformed " + kind + " path " + GoQuote.quote(path) + ": " + why);
    }

    private static boolean isDigit(char c) {
        return '0' <= c && c <= '9';
    }
}

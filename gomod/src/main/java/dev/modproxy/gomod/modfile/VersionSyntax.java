package dev.modproxy.gomod.modfile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few semantic-version and path-major rules that reading a go.mod needs
 * ({@code module.CanonicalVersion}, {@code module.SplitPathVersion},
 * {@code module.CheckPathMajor}). Kept package-private and minimal so that this package does
 * not depend on the semver package being built in parallel; they must agree with it.
 *
 * <p>Semver: {@code vMAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD]}, numbers without leading
 * zeros, the short forms only without prerelease or build; prerelease identifiers are
 * non-empty {@code [0-9A-Za-z-]+}, numeric ones without leading zeros; build identifiers are
 * non-empty {@code [0-9A-Za-z-]+}. The canonical form is {@code vMAJOR.MINOR.PATCH[-PRERELEASE]}
 * with the build dropped, except that {@code +incompatible} is kept.
 */
final class VersionSyntax {

    private static final String NUM = "(0|[1-9][0-9]*)";
    private static final String PRE_ID = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
    private static final String BUILD_ID = "[0-9A-Za-z-]+";
    private static final Pattern SEMVER = Pattern.compile("v" + NUM + "(?:\\." + NUM + "(?:\\." + NUM
            + "(-" + PRE_ID + "(?:\\." + PRE_ID + ")*)?(\\+" + BUILD_ID + "(?:\\." + BUILD_ID + ")*)?)?)?");

    private VersionSyntax() {
    }

    /** {@code module.CanonicalVersion}: the canonical form, or "" if v is not valid semver. */
    static String canonical(String v) {
        Matcher m = SEMVER.matcher(v);
        if (!m.matches()) {
            return "";
        }
        String minor = m.group(2) == null ? "0" : m.group(2);
        String patch = m.group(3) == null ? "0" : m.group(3);
        String pre = m.group(4) == null ? "" : m.group(4);
        String c = "v" + m.group(1) + "." + minor + "." + patch + pre;
        return "+incompatible".equals(m.group(5)) ? c + "+incompatible" : c;
    }

    /** {@code semver.Major}, for a valid version. */
    static String major(String v) {
        Matcher m = SEMVER.matcher(v);
        return m.matches() ? "v" + m.group(1) : "";
    }

    private static String build(String v) {
        Matcher m = SEMVER.matcher(v);
        return m.matches() && m.group(5) != null ? m.group(5) : "";
    }

    /**
     * {@code module.SplitPathVersion}'s path major ("", "/vN" or, for gopkg.in, ".vN"), or
     * null if the path's last element breaks the major-version suffix rules.
     */
    static String pathMajor(String path) {
        if (path.startsWith("gopkg.in/")) {
            return gopkgInMajor(path);
        }
        int i = path.length();
        boolean dot = false;
        while (i > 0 && (Character.isDigit(path.charAt(i - 1)) && path.charAt(i - 1) < 0x80
                || path.charAt(i - 1) == '.')) {
            dot |= path.charAt(i - 1) == '.';
            i--;
        }
        if (i <= 1 || i == path.length() || path.charAt(i - 1) != 'v' || path.charAt(i - 2) != '/') {
            return "";
        }
        String major = path.substring(i - 2);
        if (dot || major.length() <= 2 || major.charAt(2) == '0' || major.equals("/v1")) {
            return null;
        }
        return major;
    }

    private static String gopkgInMajor(String path) {
        int i = path.length();
        if (path.endsWith("-unstable")) {
            i -= "-unstable".length();
        }
        while (i > 0 && path.charAt(i - 1) >= '0' && path.charAt(i - 1) <= '9') {
            i--;
        }
        if (i <= 1 || path.charAt(i - 1) != 'v' || path.charAt(i - 2) != '.') {
            return null;
        }
        String major = path.substring(i - 2);
        if (major.length() <= 2 || major.charAt(2) == '0' && !major.equals(".v0")) {
            return null;
        }
        return major;
    }

    /**
     * {@code module.CheckPathMajor}: null if v fits pathMajor, else the reason text
     * ({@code should be v2, not v1}).
     */
    static String pathMajorMismatch(String v, String pathMajor) {
        String pm = pathMajor;
        if (pm.startsWith(".v") && pm.endsWith("-unstable")) {
            pm = pm.substring(0, pm.length() - "-unstable".length());
        }
        if (v.startsWith("v0.0.0-") && pm.equals(".v1")) {
            return null;
        }
        String m = major(v);
        if (pm.isEmpty()) {
            if (m.equals("v0") || m.equals("v1") || build(v).equals("+incompatible")) {
                return null;
            }
            pm = "v0 or v1";
        } else if (pm.charAt(0) == '/' || pm.charAt(0) == '.') {
            if (m.equals(pm.substring(1))) {
                return null;
            }
            pm = pm.substring(1);
        }
        return "should be " + pm + ", not " + m;
    }
}

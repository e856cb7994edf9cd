package dev.modproxy.gomod.semver;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoQuote;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * Pseudo-versions: the versions the {@code go} command makes up for untagged commits
 * (golang.org/x/mod/module/pseudo.go).
 *
 * <p>The rules. A pseudo-version has one of these forms, where {@code yyyymmddhhmmss} is the
 * commit time in UTC and {@code abcdef123456} the revision (usually a 12-character hash prefix):
 * <ol>
 *   <li>{@code vX.0.0-yyyymmddhhmmss-abcdef123456} when no earlier tag with major version vX is
 *       known; it sorts below every tagged vX version.
 *   <li>{@code vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef123456[+incompatible]} after the release tag
 *       {@code vX.Y.Z[+incompatible]}: a prerelease of the next patch that sorts below any real
 *       prerelease of it, thanks to the leading {@code 0} identifier.
 *   <li>{@code vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef123456[+incompatible]} after the prerelease tag
 *       {@code vX.Y.Z-pre[+incompatible]}.
 * </ol>
 * A string is a pseudo-version when it is a valid semantic version with at least two dashes that
 * matches {@code ^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$}.
 * The patch number of form 2 is incremented and decremented as a digit string, so it has no
 * size limit. The time must be a real date (Go's {@code time.Parse} with layout
 * {@code 20060102150405}); a form-1 version may not carry build metadata, and a form-2 version
 * must have a patch above zero, since its base would otherwise be negative.
 *
 * <p>Errors are x/mod's {@code InvalidVersionError} texts:
 * {@code pseudo-version "v" invalid: syntax error} and the like, of kind
 * {@link GoModException.Kind#INVALID_VERSION}.
 */
public final class PseudoVersion {

    /** The base the {@code go} command uses for the zero pseudo-version: Go's zero time. */
    public static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private static final Pattern PATTERN = Pattern.compile(
            "v[0-9]+\\.(0\\.0-|\\d+\\.\\d+-([^+]*\\.)?0\\.)\\d{14}-[A-Za-z0-9]+"
                    + "(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

    private PseudoVersion() {
    }

    /**
     * The pseudo-version for revision {@code rev} at time {@code t}, following the tag
     * {@code older} ({@code ""} if none, then major version {@code major}, {@code "v0"} if empty,
     * is used). Like x/mod, this does not validate its inputs.
     */
    public static String pseudoVersion(String major, String older, Instant t, String rev) {
        return pseudoVersionPrefix(major, older) + timestamp(t) + "-" + rev + Semver.build(older);
    }

    /** The placeholder pseudo-version of major version {@code major}, at zero time and revision. */
    public static String zeroPseudoVersion(String major) {
        return pseudoVersion(major, "", ZERO_TIME, "000000000000");
    }

    /** Reports whether {@code v} is a pseudo-version. */
    public static boolean isPseudoVersion(String v) {
        return v.chars().filter(c -> c == '-').count() >= 2 && Semver.isValid(v)
                && PATTERN.matcher(v).matches();
    }

    /** Reports whether {@code v} is the {@link #zeroPseudoVersion} of its major version. */
    public static boolean isZeroPseudoVersion(String v) {
        return v.equals(zeroPseudoVersion(Semver.major(v)));
    }

    /** The commit time recorded in pseudo-version {@code v}. */
    public static Instant pseudoVersionTime(String v) throws GoModException {
        String timestamp = Parts.of(v).timestamp();
        try {
            return LocalDateTime.of(
                    Integer.parseInt(timestamp.substring(0, 4)),
                    Integer.parseInt(timestamp.substring(4, 6)),
                    Integer.parseInt(timestamp.substring(6, 8)),
                    Integer.parseInt(timestamp.substring(8, 10)),
                    Integer.parseInt(timestamp.substring(10, 12)),
                    Integer.parseInt(timestamp.substring(12, 14))).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw invalid(v, "malformed time " + GoQuote.quote(timestamp));
        }
    }

    /** The revision identifier recorded in pseudo-version {@code v}. */
    public static String pseudoVersionRev(String v) throws GoModException {
        return Parts.of(v).rev();
    }

    /**
     * The canonical tag {@code v} was derived from (with its {@code +incompatible} or other build
     * suffix), or {@code ""} for a form-1 pseudo-version, which has none.
     */
    public static String pseudoVersionBase(String v) throws GoModException {
        Parts parts = Parts.of(v);
        String base = parts.base();
        String build = parts.build();
        String pre = Semver.prerelease(base);
        if (pre.isEmpty()) {
            if (!build.isEmpty()) {
                throw invalid(v, "lacks base version, but has build metadata " + GoQuote.quote(build));
            }
            return "";
        }
        if (pre.equals("-0")) {
            String release = base.substring(0, base.length() - pre.length());
            int i = release.lastIndexOf('.');
            String patch = decDecimal(release.substring(i + 1));
            if (patch.isEmpty()) {
                throw invalid(v, "version before " + release + " would have negative patch number");
            }
            return release.substring(0, i + 1) + patch + build;
        }
        return base.substring(0, base.length() - ".0".length()) + build;
    }

    /**
     * What every pseudo-version following tag {@code older} (or, with no tag, of major version
     * {@code major}) starts with, up to its timestamp: {@code "v1.2.4-0."} for {@code "v1.2.3"},
     * {@code "v1.2.3-pre.0."} for {@code "v1.2.3-pre"}, {@code "v2.0.0-"} for no tag and major
     * {@code "v2"}.
     */
    public static String pseudoVersionPrefix(String major, String older) {
        String base = Semver.canonical(older);
        if (base.isEmpty()) {
            return (major.isEmpty() ? "v0" : major) + ".0.0-";
        }
        if (!Semver.prerelease(base).isEmpty()) {
            return base + ".0.";
        }
        int i = base.lastIndexOf('.') + 1;
        return base.substring(0, i) + incDecimal(base.substring(i)) + "-0.";
    }

    /** The decimal digit string {@code decimal} plus one. */
    static String incDecimal(String decimal) {
        char[] digits = decimal.toCharArray();
        int i = digits.length - 1;
        for (; i >= 0 && digits[i] == '9'; i--) {
            digits[i] = '0';
        }
        if (i >= 0) {
            digits[i]++;
            return new String(digits);
        }
        return "1" + new String(digits);
    }

    /** The decimal digit string {@code decimal} minus one, or {@code ""} if it is all zeros. */
    static String decDecimal(String decimal) {
        char[] digits = decimal.toCharArray();
        int i = digits.length - 1;
        for (; i >= 0 && digits[i] == '0'; i--) {
            digits[i] = '9';
        }
        if (i < 0) {
            return "";
        }
        if (i == 0 && digits[i] == '1' && digits.length > 1) {
            return new String(digits, 1, digits.length - 1);
        }
        digits[i]--;
        return new String(digits);
    }

    /** Go's time layout {@code 20060102150405} in UTC; years keep at least four digits. */
    static String timestamp(Instant t) {
        LocalDateTime d = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        int year = d.getYear();
        String y = Integer.toString(Math.abs(year));
        return (year < 0 ? "-" : "") + "0".repeat(Math.max(0, 4 - y.length())) + y
                + String.format("%02d%02d%02d%02d%02d", d.getMonthValue(), d.getDayOfMonth(),
                        d.getHour(), d.getMinute(), d.getSecond());
    }

    static GoModException invalid(String v, String why) {
        return new GoModException(GoModException.Kind.INVALID_VERSION,
                "pseudo-version " + GoQuote.quote(v) + " invalid: " + why);
    }

    /**
     * A pseudo-version cut at its last two separators: {@code base} is {@code vX.0.0},
     * {@code vX.Y.(Z+1)-0} or {@code vX.Y.Z-pre.0}; {@code build} keeps its {@code +}.
     */
    private record Parts(String base, String timestamp, String rev, String build) {

        static Parts of(String v) throws GoModException {
            if (!isPseudoVersion(v)) {
                throw invalid(v, "syntax error");
            }
            String build = Semver.build(v);
            String rest = v.substring(0, v.length() - build.length());
            int j = rest.lastIndexOf('-');
            String rev = rest.substring(j + 1);
            rest = rest.substring(0, j);
            int dash = rest.lastIndexOf('-');
            int dot = rest.lastIndexOf('.');
            int cut = dot > dash ? dot : dash;
            return new Parts(rest.substring(0, cut), rest.substring(cut + 1), rev, build);
        }
    }
}

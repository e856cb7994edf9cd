package dev.modproxy.gomod.semver;

/**
 * A version split into its parts, as the grammar in {@link Semver} defines them. Numbers stay
 * digit strings. {@code shortFill} is what {@link Semver#canonical} appends to a shorthand
 * ({@code ".0.0"}, {@code ".0"} or nothing); {@code prerelease} and {@code build} keep their
 * leading {@code -} and {@code +}, and are empty when absent.
 */
record ParsedVersion(String major, String minor, String patch, String shortFill,
                     String prerelease, String build) implements Comparable<ParsedVersion> {

    /** The parts of {@code v}, or {@code null} if it is not a valid version. */
    static ParsedVersion parse(String v) {
        if (v == null || v.isEmpty() || v.charAt(0) != 'v') {
            return null;
        }
        int majorEnd = numberEnd(v, 1);
        if (majorEnd < 0) {
            return null;
        }
        String major = v.substring(1, majorEnd);
        if (majorEnd == v.length()) {
            return new ParsedVersion(major, "0", "0", ".0.0", "", "");
        }
        if (v.charAt(majorEnd) != '.') {
            return null;
        }
        int minorEnd = numberEnd(v, majorEnd + 1);
        if (minorEnd < 0) {
            return null;
        }
        String minor = v.substring(majorEnd + 1, minorEnd);
        if (minorEnd == v.length()) {
            return new ParsedVersion(major, minor, "0", ".0", "", "");
        }
        if (v.charAt(minorEnd) != '.') {
            return null;
        }
        int patchEnd = numberEnd(v, minorEnd + 1);
        if (patchEnd < 0) {
            return null;
        }
        String patch = v.substring(minorEnd + 1, patchEnd);
        int i = patchEnd;
        String prerelease = "";
        if (i < v.length() && v.charAt(i) == '-') {
            int end = identifiersEnd(v, i, '+', true);
            if (end < 0) {
                return null;
            }
            prerelease = v.substring(i, end);
            i = end;
        }
        String build = "";
        if (i < v.length() && v.charAt(i) == '+') {
            int end = identifiersEnd(v, i, (char) -1, false);
            if (end < 0) {
                return null;
            }
            build = v.substring(i, end);
            i = end;
        }
        if (i != v.length()) {
            return null;
        }
        return new ParsedVersion(major, minor, patch, "", prerelease, build);
    }

    /** End of the decimal number starting at {@code start}, or -1 if none or leading zero. */
    private static int numberEnd(String v, int start) {
        int i = start;
        while (i < v.length() && isDigit(v.charAt(i))) {
            i++;
        }
        if (i == start || (v.charAt(start) == '0' && i != start + 1)) {
            return -1;
        }
        return i;
    }

    /**
     * End of the dot-separated identifiers after the marker at {@code start}, scanning up to
     * {@code stop} or the end; -1 if an identifier is empty, has a bad character or (when
     * {@code numericRule}) is a number with a leading zero.
     */
    private static int identifiersEnd(String v, int start, char stop, boolean numericRule) {
        int i = start + 1;
        int identStart = i;
        for (; i < v.length() && v.charAt(i) != stop; i++) {
            char c = v.charAt(i);
            if (c == '.') {
                if (!goodIdentifier(v, identStart, i, numericRule)) {
                    return -1;
                }
                identStart = i + 1;
            } else if (!isIdentChar(c)) {
                return -1;
            }
        }
        return goodIdentifier(v, identStart, i, numericRule) ? i : -1;
    }

    private static boolean goodIdentifier(String v, int start, int end, boolean numericRule) {
        if (start == end) {
            return false;
        }
        return !numericRule || !(end - start > 1 && v.charAt(start) == '0' && isNumber(v, start, end));
    }

    private static boolean isIdentChar(char c) {
        return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || isDigit(c) || c == '-';
    }

    private static boolean isDigit(char c) {
        return '0' <= c && c <= '9';
    }

    private static boolean isNumber(String s, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(ParsedVersion o) {
        int c = compareNumbers(major, o.major);
        if (c == 0) {
            c = compareNumbers(minor, o.minor);
        }
        if (c == 0) {
            c = compareNumbers(patch, o.patch);
        }
        return c != 0 ? c : comparePrereleases(prerelease, o.prerelease);
    }

    /** Digit strings without leading zeros: the longer is larger, else the lexically larger. */
    private static int compareNumbers(String x, String y) {
        if (x.length() != y.length()) {
            return x.length() < y.length() ? -1 : +1;
        }
        return Integer.signum(x.compareTo(y));
    }

    private static int comparePrereleases(String x, String y) {
        if (x.equals(y)) {
            return 0;
        }
        if (x.isEmpty()) {
            return +1;
        }
        if (y.isEmpty()) {
            return -1;
        }
        String[] xs = x.substring(1).split("\\.", -1);
        String[] ys = y.substring(1).split("\\.", -1);
        for (int k = 0; k < xs.length && k < ys.length; k++) {
            int c = compareIdentifiers(xs[k], ys[k]);
            if (c != 0) {
                return c;
            }
        }
        return xs.length < ys.length ? -1 : +1;
    }

    private static int compareIdentifiers(String dx, String dy) {
        if (dx.equals(dy)) {
            return 0;
        }
        boolean nx = isNumber(dx, 0, dx.length());
        boolean ny = isNumber(dy, 0, dy.length());
        if (nx != ny) {
            return nx ? -1 : +1;
        }
        if (nx && dx.length() != dy.length()) {
            return dx.length() < dy.length() ? -1 : +1;
        }
        return dx.compareTo(dy) < 0 ? -1 : +1;
    }
}

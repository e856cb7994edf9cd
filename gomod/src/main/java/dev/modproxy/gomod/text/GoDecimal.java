package dev.modproxy.gomod.text;

/**
 * Decimal integers read as Go's {@code strconv.ParseInt(s, 10, 64)} reads them: an optional
 * '+' or '-', then one or more ASCII digits (leading zeros allowed), within int64. Java's
 * {@code Long.parseLong} also takes non-ASCII digits, which Go does not.
 */
public final class GoDecimal {

    private GoDecimal() {
    }

    /** The value, or null where Go reports a syntax or range error. */
    public static Long parse(String s) {
        int i = 0;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        if (i == s.length()) {
            return null;
        }
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long v = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            int d = c - '0';
            // Accumulate negatively so that Long.MIN_VALUE is reachable.
            if (v < (limit + d) / 10) {
                return null;
            }
            v = v * 10 - d;
            if (v < limit) {
                return null;
            }
        }
        return negative ? v : -v;
    }
}

package dev.modproxy.gomod.text;

/**
 * UTF-8 judged and decoded the way Go's {@code unicode/utf8} package does it, so that notes, log
 * records and patterns are accepted, rejected and matched exactly as x/mod and the go command do.
 *
 * <p>Valid UTF-8 is RFC 3629: no overlong forms, no encoded surrogates (U+D800..U+DFFF), nothing
 * above U+10FFFF. A literal U+FFFD is valid; only an undecodable byte is an error.
 *
 * <p>"Clean text" is the rule shared by signed notes and transparency-log records: valid UTF-8
 * with no ASCII control character (below U+0020) other than newline. U+007F is allowed, as in Go.
 *
 * <p>Decoding follows {@code utf8.DecodeRune}: an invalid or truncated sequence decodes to U+FFFD
 * with width 1, so byte-oriented Go algorithms can be followed step by step.
 *
 * <p>In a Java string, invalid UTF-8 can only appear as an unpaired surrogate (the convention
 * {@link GoQuote} documents), so a string is valid exactly when it has none.
 */
public final class GoUtf8 {

    /** What Go decodes an invalid sequence to. */
    public static final int RUNE_ERROR = 0xFFFD;

    private GoUtf8() {
    }

    /** Reports whether {@code b[from, to)} is valid UTF-8 without control characters except newline. */
    public static boolean isCleanText(byte[] b, int from, int to) {
        for (int i = from; i < to; ) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                if (c < 0x20 && c != '\n') {
                    return false;
                }
                i++;
                continue;
            }
            int size = sequenceLength(b, i, to);
            if (size == 0) {
                return false;
            }
            i += size;
        }
        return true;
    }

    /** Reports whether all of {@code b} is valid UTF-8. */
    public static boolean isValid(byte[] b) {
        for (int i = 0; i < b.length; ) {
            if ((b[i] & 0x80) == 0) {
                i++;
                continue;
            }
            int size = sequenceLength(b, i, b.length);
            if (size == 0) {
                return false;
            }
            i += size;
        }
        return true;
    }

    /**
     * Reports whether a Java string would be valid UTF-8 in Go, that is, has no unpaired
     * surrogate (those have no UTF-8 encoding at all).
     */
    public static boolean isValid(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The code point starting at {@code b[i]}, or U+FFFD if the bytes there are not valid. */
    public static int decode(byte[] b, int i) {
        int w = width(b, i);
        int c0 = b[i] & 0xFF;
        if (w == 1) {
            return c0 < 0x80 ? c0 : RUNE_ERROR;
        }
        int cp = c0 & (0xFF >> (w + 1));
        for (int k = 1; k < w; k++) {
            cp = (cp << 6) | (b[i + k] & 0x3F);
        }
        return cp;
    }

    /** Number of bytes {@link #decode} consumes at {@code b[i]} (1 for an invalid sequence). */
    public static int width(byte[] b, int i) {
        return (b[i] & 0x80) == 0 ? 1 : Math.max(1, sequenceLength(b, i, b.length));
    }

    /** Length of the well-formed multi-byte sequence at {@code b[i]}, or 0 if there is none. */
    private static int sequenceLength(byte[] b, int i, int to) {
        int c = b[i] & 0xff;
        int size;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            size = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            size = 3;
            if (c == 0xE0) {
                lo = 0xA0;
            } else if (c == 0xED) {
                hi = 0x9F;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            size = 4;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return 0;
        }
        if (i + size > to) {
            return 0;
        }
        int second = b[i + 1] & 0xff;
        if (second < lo || second > hi) {
            return 0;
        }
        for (int k = 2; k < size; k++) {
            int cont = b[i + k] & 0xff;
            if (cont < 0x80 || cont > 0xBF) {
                return 0;
            }
        }
        return size;
    }
}

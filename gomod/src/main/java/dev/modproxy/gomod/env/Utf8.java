package dev.modproxy.gomod.env;

/**
 * Decoding of one UTF-8 encoded character the way Go's {@code utf8.DecodeRune} does it: an
 * invalid or truncated sequence decodes to U+FFFD with width 1, so byte-oriented Go
 * algorithms can be followed step by step.
 */
final class Utf8 {

    static final int RUNE_ERROR = 0xFFFD;

    private Utf8() {
    }

    /** The code point starting at {@code i}, or U+FFFD if the bytes there are not valid. */
    static int decode(byte[] b, int i) {
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

    /** Number of bytes {@link #decode} consumes at {@code i} (1 for invalid sequences). */
    static int width(byte[] b, int i) {
        int c0 = b[i] & 0xFF;
        int w;
        int min;
        if (c0 < 0x80) {
            return 1;
        } else if (c0 >= 0xC2 && c0 <= 0xDF) {
            w = 2;
            min = 0x80;
        } else if (c0 >= 0xE0 && c0 <= 0xEF) {
            w = 3;
            min = 0x800;
        } else if (c0 >= 0xF0 && c0 <= 0xF4) {
            w = 4;
            min = 0x10000;
        } else {
            return 1;
        }
        if (i + w > b.length) {
            return 1;
        }
        int cp = c0 & (0xFF >> (w + 1));
        for (int k = 1; k < w; k++) {
            int ck = b[i + k] & 0xFF;
            if ((ck & 0xC0) != 0x80) {
                return 1;
            }
            cp = (cp << 6) | (ck & 0x3F);
        }
        boolean surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        return cp < min || cp > 0x10FFFF || surrogate ? 1 : w;
    }
}

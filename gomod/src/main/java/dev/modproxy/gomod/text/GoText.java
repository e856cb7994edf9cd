package dev.modproxy.gomod.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's notion of white space ({@code unicode.IsSpace}) and the {@code strings} functions built
 * on it, since environment values, go.mod lines and key names are split, trimmed and judged
 * with them; and Go's string order, which sorts by UTF-8 bytes, the same as by code point (not
 * Java's UTF-16 order, which puts U+E000..U+FFFF after the supplementary characters).
 *
 * <p>Go's {@code unicode.IsSpace} is not Java's {@code Character.isWhitespace}: Go counts
 * U+0085, U+00A0, U+202F as space and does not count U+001C..U+001F, so the set is spelled out:
 * the Latin-1 spaces {@code \t \n \v \f \r}, U+0020, U+0085, U+00A0, and the Unicode
 * White_Space characters above U+00FF (U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F,
 * U+3000).
 */
public final class GoText {

    private GoText() {
    }

    /** {@code unicode.IsSpace}. */
    public static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0,
                    0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** {@code strings.TrimSpace}. */
    public static String trimSpace(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isSpace(s.codePointAt(b))) {
            b += Character.charCount(s.codePointAt(b));
        }
        while (e > b && isSpace(s.codePointBefore(e))) {
            e -= Character.charCount(s.codePointBefore(e));
        }
        return s.substring(b, e);
    }

    /** {@code strings.Fields}: the non-empty runs of non-space characters. */
    public static List<String> fields(String s) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (isSpace(cp)) {
                if (start >= 0) {
                    out.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** Go's {@code a < b} for strings: bytewise over UTF-8, which is the same as code point order. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}

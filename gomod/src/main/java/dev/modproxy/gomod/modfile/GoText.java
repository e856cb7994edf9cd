package dev.modproxy.gomod.modfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's notion of white space ({@code unicode.IsSpace}) and the {@code strings} functions
 * built on it, since environment values are split and trimmed with them.
 */
public final class GoText {

    private GoText() {
    }

    /** {@code unicode.IsSpace}: Latin-1 spaces plus the Unicode White_Space characters. */
    public static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 11, '\f', '\r', ' ', 0x85, 0xA0 -> true;
            default -> cp > 0xFF && Character.isSpaceChar(cp);
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
}

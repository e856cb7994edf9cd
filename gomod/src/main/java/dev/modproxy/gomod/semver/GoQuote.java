package dev.modproxy.gomod.semver;

/**
 * Go's {@code %q} for strings and runes ({@code strconv.Quote}, {@code strconv.QuoteRune}), so
 * that error messages quote inputs exactly as x/mod does. It lives in this package because this
 * is the lowest of the gomod packages that report quoted input.
 *
 * <p>The rules: the result is wrapped in {@code "} (or {@code '} for a rune); the quote character
 * itself and {@code \} get a backslash; printable characters (letters, marks, numbers,
 * punctuation, symbols and the ASCII space) stay as they are; {@code \a \b \f \n \r \t \v} use
 * their short escapes; other control characters below U+0020 and U+007F become {@code \xNN},
 * other non-printable ones <code>&#92;uNNNN</code> or, above U+FFFF, <code>&#92;UNNNNNNNN</code>.
 *
 * <p>A Java string cannot hold invalid UTF-8, so this library reads an unpaired surrogate as the
 * Java form of it: U+DC80..U+DCFF stands for the single invalid byte 0x80..0xFF (the
 * "surrogateescape" convention), and any other unpaired surrogate for the three bytes of its
 * generalized UTF-8 encoding. Go quotes each invalid byte as {@code \xNN}, and so does this.
 */
public final class GoQuote {

    private GoQuote() {
    }

    /** {@code strconv.Quote(s)}. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            append(b, c, '"');
            i += Character.charCount(c);
        }
        return b.append('"').toString();
    }

    /** {@code strconv.QuoteRune(c)} for a code point. */
    public static String quoteRune(int c) {
        StringBuilder b = new StringBuilder().append('\'');
        append(b, c, '\'');
        return b.append('\'').toString();
    }

    /** Reports whether {@code s} holds an unpaired surrogate, the Java form of invalid UTF-8. */
    public static boolean hasInvalidUtf8(String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (isSurrogate(c)) {
                return true;
            }
            i += Character.charCount(c);
        }
        return false;
    }

    private static void append(StringBuilder b, int c, char quote) {
        if (c == quote || c == '\\') {
            b.append('\\').appendCodePoint(c);
        } else if (isSurrogate(c)) {
            if (c >= 0xDC80 && c <= 0xDCFF) {
                hex(b, "\\x", c & 0xFF, 2);
            } else {
                hex(b, "\\x", 0xE0 | (c >> 12), 2);
                hex(b, "\\x", 0x80 | ((c >> 6) & 0x3F), 2);
                hex(b, "\\x", 0x80 | (c & 0x3F), 2);
            }
        } else if (isPrint(c)) {
            b.appendCodePoint(c);
        } else {
            switch (c) {
                case 0x07 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x0B -> b.append("\\v");
                default -> {
                    if (c < ' ' || c == 0x7F) {
                        hex(b, "\\x", c, 2);
                    } else if (c < 0x10000) {
                        hex(b, "\\u", c, 4);
                    } else {
                        hex(b, "\\U", c, 8);
                    }
                }
            }
        }
    }

    /** Go's {@code strconv.IsPrint}: graphic characters, with U+0020 the only space allowed. */
    private static boolean isPrint(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    private static boolean isSurrogate(int c) {
        return c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE;
    }

    private static void hex(StringBuilder b, String prefix, int value, int width) {
        String h = Integer.toHexString(value);
        b.append(prefix).append("0".repeat(Math.max(0, width - h.length()))).append(h);
    }
}

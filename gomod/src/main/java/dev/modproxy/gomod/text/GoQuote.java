package dev.modproxy.gomod.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Go's string literal syntax: {@code %q} for strings and runes ({@code strconv.Quote},
 * {@code strconv.QuoteRune}), so that error messages quote inputs exactly as x/mod does, and
 * {@code strconv.Unquote}, since go.mod files hold quoted strings.
 *
 * <p>Quoting: the result is wrapped in {@code "} (or {@code '} for a rune); the quote character
 * itself and {@code \} get a backslash; printable characters (letters, marks, numbers,
 * punctuation, symbols and the ASCII space) stay as they are; {@code \a \b \f \n \r \t \v} use
 * their short escapes; other control characters below U+0020 and U+007F become {@code \xNN},
 * other non-printable ones <code>&#92;uNNNN</code> or, above U+FFFF, <code>&#92;UNNNNNNNN</code>.
 *
 * <p>A Java string cannot hold invalid UTF-8, so this library reads an unpaired surrogate as the
 * Java form of it: U+DC80..U+DCFF stands for the single invalid byte 0x80..0xFF (the
 * "surrogateescape" convention), and any other unpaired surrogate for the three bytes of its
 * generalized UTF-8 encoding. Go quotes each invalid byte as {@code \xNN}, and so does this.
 *
 * <p>Unquoting accepts a double-quoted literal (no raw newline; escapes {@code \a \b \f \n \r \t
 * \v \\ \"}, {@code \xNN}, three-digit octal up to 377, <code>&#92;uNNNN</code>,
 * <code>&#92;UNNNNNNNN</code> for valid non-surrogate code points), a back-quoted raw literal (no
 * backquote inside; carriage returns are dropped), or a single-quoted character literal holding
 * exactly one character.
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

    /** {@code strconv.Unquote(s)}; empty if s is not a valid literal. */
    public static Optional<String> unquote(String s) {
        if (s.length() < 2) {
            return Optional.empty();
        }
        char q = s.charAt(0);
        if (q != s.charAt(s.length() - 1)) {
            return Optional.empty();
        }
        String body = s.substring(1, s.length() - 1);
        if (q == '`') {
            return body.indexOf('`') >= 0 ? Optional.empty() : Optional.of(body.replace("\r", ""));
        }
        if (q != '"' && q != '\'') {
            return Optional.empty();
        }
        if (body.indexOf('\n') >= 0) {
            return Optional.empty();
        }
        Optional<String> out = unescape(body, q);
        if (q == '\'' && out.isPresent() && out.get().codePointCount(0, out.get().length()) != 1) {
            return Optional.empty();
        }
        return out;
    }

    private static Optional<String> unescape(String body, char quote) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length()) {
            int cp = body.codePointAt(i);
            if (cp == quote) {
                return Optional.empty();
            }
            if (cp != '\\') {
                out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= body.length()) {
                return Optional.empty();
            }
            char e = body.charAt(i + 1);
            i += 2;
            int simple = simpleEscape(e, quote);
            if (simple >= 0) {
                out.write(simple);
                continue;
            }
            boolean octal = e >= '0' && e <= '7';
            int digits = switch (e) {
                case 'x' -> 2;
                case 'u' -> 4;
                case 'U' -> 8;
                default -> octal ? 2 : -1;
            };
            if (digits < 0) {
                return Optional.empty();
            }
            int radix = octal ? 8 : 16;
            int start = octal ? i - 1 : i;
            int end = i + digits;
            if (end > body.length()) {
                return Optional.empty();
            }
            long v = 0;
            for (int k = start; k < end; k++) {
                int d = Character.digit(body.charAt(k), radix);
                if (d < 0) {
                    return Optional.empty();
                }
                v = v * radix + d;
            }
            i = end;
            if (e == 'x' || octal) {
                if (v > 255) {
                    return Optional.empty();
                }
                out.write((int) v);
            } else {
                if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
                    return Optional.empty();
                }
                out.writeBytes(Character.toString((int) v).getBytes(StandardCharsets.UTF_8));
            }
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }

    private static int simpleEscape(char e, char quote) {
        return switch (e) {
            case 'a' -> 7;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'v' -> 11;
            case '\\' -> '\\';
            case '"', '\'' -> e == quote ? e : -1;
            default -> -1;
        };
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

    /**
     * Go's {@code strconv.IsPrint}: graphic characters, with U+0020 the only space allowed.
     * Java's character categories agree with Go's tables except on code points newer than either.
     */
    public static boolean isPrint(int c) {
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

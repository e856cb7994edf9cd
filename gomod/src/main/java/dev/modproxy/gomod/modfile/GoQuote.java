package dev.modproxy.gomod.modfile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Go's string literal syntax, as {@code strconv.Quote} writes it and {@code strconv.Unquote}
 * reads it, since go.mod files and many of x/mod's error messages use it.
 *
 * <p>Quoting: {@code "} and {@code \} are backslash-escaped; printable characters stay as they
 * are; {@code \a \b \f \n \r \t \v} use their short escapes; other control characters below
 * U+0080 become {@code \xNN}; other non-printable characters become <code>&#92;uNNNN</code> or
 * <code>&#92;UNNNNNNNN</code>.
 *
 * <p>Unquoting accepts a double-quoted literal (no raw newline; escapes {@code \a \b \f \n \r \t
 * \v \\ \"}, {@code \xNN}, three-digit octal up to 377, <code>&#92;uNNNN</code>, <code>&#92;UNNNNNNNN</code> for
 * valid non-surrogate code points), a back-quoted raw literal (no backquote inside; carriage
 * returns are dropped), or a single-quoted character literal holding exactly one character.
 */
public final class GoQuote {

    private GoQuote() {
    }

    /** {@code strconv.Quote(s)}. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> appendQuoted(b, cp));
        return b.append('"').toString();
    }

    /** {@code strconv.QuoteRune(r)}: a single-quoted Go character literal. */
    public static String quoteRune(int cp) {
        StringBuilder b = new StringBuilder("'");
        if (cp == '\'') {
            b.append("\\'");
        } else if (cp == '"') {
            b.append('"');
        } else {
            appendQuoted(b, cp);
        }
        return b.append('\'').toString();
    }

    private static void appendQuoted(StringBuilder b, int cp) {
        switch (cp) {
            case '"' -> b.append("\\\"");
            case '\\' -> b.append("\\\\");
            case 7 -> b.append("\\a");
            case '\b' -> b.append("\\b");
            case '\f' -> b.append("\\f");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            case 11 -> b.append("\\v");
            default -> {
                if (isPrint(cp)) {
                    b.appendCodePoint(cp);
                } else if (cp < ' ' || cp == 0x7F) {
                    b.append(String.format("\\x%02x", cp));
                } else if (cp < 0x10000) {
                    b.append(String.format("\\u%04x", cp));
                } else {
                    b.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    /** An approximation of Go's {@code unicode.IsPrint}: graphic characters plus U+0020. */
    public static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
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
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
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
            int digits = switch (e) {
                case 'x' -> 2;
                case 'u' -> 4;
                case 'U' -> 8;
                case '0', '1', '2', '3', '4', '5', '6', '7' -> 2;
                default -> -1;
            };
            if (digits < 0) {
                return Optional.empty();
            }
            int radix = Character.isDigit(e) ? 8 : 16;
            int start = Character.isDigit(e) ? i - 1 : i;
            int end = Character.isDigit(e) ? i + 2 : i + digits;
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
            if (e == 'x' || radix == 8) {
                if (v > 255) {
                    return Optional.empty();
                }
                out.write((int) v);
            } else {
                if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
                    return Optional.empty();
                }
                out.writeBytes(new String(Character.toChars((int) v)).getBytes(StandardCharsets.UTF_8));
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
}

package dev.modproxy.gomod.testdata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The two ways a table field ({@link TestData}) writes text that a tab-separated line cannot
 * hold.
 *
 * <ul>
 *   <li>Backslash escapes ({@link #unescape}): {@code \\ \t \n \r}, {@code \s} for a space
 *       (so that leading and trailing spaces show), <code>&#92;uNNNN</code> and
 *       <code>&#92;UNNNNNNNN</code> for a code point; a field that is exactly {@code <empty>} is
 *       the empty string. Any other escape is an error in the data file.</li>
 *   <li>Go string literals ({@link #goBytes}, {@link #goString}): {@code "..."} with Go's
 *       escapes, which can also hold invalid UTF-8 ({@code \xff}). As a Java string, each byte
 *       that is not valid UTF-8 becomes U+DC80..U+DCFF, the convention of
 *       {@link dev.modproxy.gomod.text.GoQuote}. Some tables quote only the fields that need it
 *       ({@link #goIfQuoted}).</li>
 * </ul>
 */
public final class Cells {

    private Cells() {
    }

    /** A backslash-escaped field. */
    public static String unescape(String s) {
        if (s.equals("<empty>")) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 't' -> b.append('\t');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 's' -> b.append(' ');
                case '\\' -> b.append('\\');
                case 'u', 'U' -> {
                    int len = e == 'u' ? 4 : 8;
                    b.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 1 + len), 16));
                    i += len;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
            }
        }
        return b.toString();
    }

    /** A field that is a Go string literal if it starts with {@code "}, else plain text. */
    public static String goIfQuoted(String s) {
        return s.startsWith("\"") ? goString(s) : s;
    }

    /** A Go string literal as a Java string (invalid UTF-8 as U+DC80..U+DCFF). */
    public static String goString(String literal) {
        return decodeUtf8(goBytes(literal));
    }

    /** The bytes of a Go interpreted string literal. */
    public static byte[] goBytes(String literal) {
        if (literal.length() < 2 || !literal.startsWith("\"") || !literal.endsWith("\"")) {
            throw new IllegalArgumentException("not a quoted string: " + literal);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = literal.substring(1, literal.length() - 1);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                int cp = s.codePointAt(i);
                out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(0x0B);
                case '\\', '"', '\'' -> out.write(e);
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int len = e == 'u' ? 4 : 8;
                    int cp = Integer.parseInt(s.substring(i + 1, i + 1 + len), 16);
                    out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                    i += len;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + literal);
            }
        }
        return out.toByteArray();
    }

    /** UTF-8 decoding that maps each byte Go would not decode to U+DC00 + byte. */
    public static String decodeUtf8(byte[] b) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < b.length) {
            int n = sequenceLength(b, i);
            if (n == 0) {
                out.append((char) (0xDC00 | (b[i] & 0xFF)));
                i++;
            } else {
                out.append(new String(b, i, n, StandardCharsets.UTF_8));
                i += n;
            }
        }
        return out.toString();
    }

    /**
     * Length of the valid UTF-8 sequence at {@code b[i]}, or 0; written out here rather than
     * taken from the library under test (RFC 3629: no overlong forms, no surrogates, at most
     * U+10FFFF).
     */
    private static int sequenceLength(byte[] b, int i) {
        int lead = b[i] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (lead < 0x80) {
            return 1;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            n = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            n = 3;
            lo = lead == 0xE0 ? 0xA0 : lo;
            hi = lead == 0xED ? 0x9F : hi;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            n = 4;
            lo = lead == 0xF0 ? 0x90 : lo;
            hi = lead == 0xF4 ? 0x8F : hi;
        } else {
            return 0;
        }
        if (i + n > b.length || (b[i + 1] & 0xFF) < lo || (b[i + 1] & 0xFF) > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return n;
    }
}

package dev.modproxy.storage.catalog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The catalog's JSON: one flat object whose values are all strings, as {@code .info} files are.
 *
 * <p>Rules: written with the keys in insertion order, no whitespace, strings escaped as JSON
 * requires ({@code "} {@code \} and control characters; non-ASCII kept as UTF-8). Read back
 * leniently: whitespace anywhere between tokens, any escape JSON allows; a value that is not a
 * string (number, null, object) makes the whole object invalid. The storage module carries no
 * JSON library, and these objects are too small to want one.
 */
final class FlatJson {

    private FlatJson() {
    }

    static String encode(Map<String, String> fields) {
        StringBuilder b = new StringBuilder("{");
        for (var e : fields.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (b.length() > 1) {
                b.append(',');
            }
            quote(b, e.getKey()).append(':');
            quote(b, e.getValue());
        }
        return b.append('}').toString();
    }

    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    static Map<String, String> decode(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] pos = {skip(s, 0)};
        expect(s, pos, '{');
        if (peek(s, pos) == '}') {
            return out;
        }
        while (true) {
            String key = string(s, pos);
            expect(s, pos, ':');
            out.put(key, string(s, pos));
            char c = next(s, pos);
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or } at " + (pos[0] - 1));
            }
        }
    }

    private static String string(String s, int[] pos) {
        expect(s, pos, '"');
        StringBuilder b = new StringBuilder();
        int i = pos[0];
        while (true) {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                break;
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
        }
        pos[0] = skip(s, i);
        return b.toString();
    }

    private static void expect(String s, int[] pos, char c) {
        if (next(s, pos) != c) {
            throw new IllegalArgumentException("expected " + c + " at " + (pos[0] - 1));
        }
    }

    private static char peek(String s, int[] pos) {
        if (pos[0] >= s.length()) {
            throw new IllegalArgumentException("unexpected end");
        }
        return s.charAt(pos[0]);
    }

    private static char next(String s, int[] pos) {
        char c = peek(s, pos);
        pos[0] = skip(s, pos[0] + 1);
        return c;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}

package dev.modproxy.gomod.note;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tab-separated test tables under src/test/resources: '#' lines are comments, and a
 * cell holding bytes that are not plain text is written Go-quoted ({@code "..."} with Go's
 * {@code %q} escapes), so the tables can hold control characters and invalid UTF-8 exactly.
 */
public final class TsvData {

    private TsvData() {
    }

    /** The rows of a resource table; a missing resource fails the test. */
    public static List<String[]> rows(String resource) {
        try (InputStream in = TsvData.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    rows.add(line.split("\t", -1));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of a Go-quoted string literal. */
    public static byte[] unquote(String quoted) {
        if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
            throw new IllegalArgumentException("not a quoted string: " + quoted);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = quoted.substring(1, quoted.length() - 1);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                int end = Character.isHighSurrogate(c) ? i + 2 : i + 1;
                out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
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
                case '\\', '"' -> out.write(e);
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int len = e == 'u' ? 4 : 8;
                    int cp = Integer.parseInt(s.substring(i + 1, i + 1 + len), 16);
                    out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                    i += len;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + quoted);
            }
        }
        return out.toByteArray();
    }

    /** A Go-quoted cell as a Java string (the bytes must be valid UTF-8). */
    public static String unquoteString(String quoted) {
        return new String(unquote(quoted), StandardCharsets.UTF_8);
    }
}

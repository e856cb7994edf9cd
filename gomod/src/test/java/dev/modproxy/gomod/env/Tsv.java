package dev.modproxy.gomod.env;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Reads tab-separated test vectors from the classpath. Lines starting with '#' and blank lines
 * are skipped. In fields, {@code \\}, {@code \t}, {@code \n}, {@code \r} and {@code \s} (space)
 * are escapes, and a field that is exactly {@code <empty>} is the empty string.
 */
final class Tsv {

    private Tsv() {
    }

    static Stream<Arguments> read(String resource) {
        InputStream in = Tsv.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + resource);
        }
        List<Arguments> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] raw = line.split("\t", -1);
                Object[] fields = new Object[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    fields[i] = unescape(raw[i]);
                }
                rows.add(Arguments.of(fields));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows.stream();
    }

    static String unescape(String s) {
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
                default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
            }
        }
        return b.toString();
    }
}

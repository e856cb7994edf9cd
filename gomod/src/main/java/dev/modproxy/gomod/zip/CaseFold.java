package dev.modproxy.gomod.zip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Case folding as Go's {@code strings.EqualFold} sees it, used to find file names that would
 * collide on a case-insensitive file system.
 *
 * <p>Rule: two strings are equal under folding iff their {@link #fold} images are equal, where
 * each code point is replaced by the smallest member of its Unicode simple case-folding orbit
 * (Go's {@code unicode.SimpleFold} cycle), with A-Z then lowered to a-z. Java's own case
 * mappings differ from Go's orbits in corner cases (for example U+0130 has no simple fold in
 * Go), so the orbit table is data: {@code casefold.txt}, generated from Go 1.19 and checked
 * against the installed {@code go} by CaseFoldTest.
 */
final class CaseFold {

    private static final Map<Integer, Integer> TABLE = load();

    private CaseFold() {
    }

    static String fold(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(TABLE.getOrDefault(c, c)));
        return b.toString();
    }

    static boolean equalFold(String a, String b) {
        return fold(a).equals(fold(b));
    }

    private static Map<Integer, Integer> load() {
        Map<Integer, Integer> table = new HashMap<>();
        try (InputStream in = CaseFold.class.getResourceAsStream("casefold.txt")) {
            if (in == null) {
                throw new IllegalStateException("casefold.txt missing from the gomod jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                table.put(Integer.parseInt(f[0], 16), Integer.parseInt(f[1], 16));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(table);
    }
}

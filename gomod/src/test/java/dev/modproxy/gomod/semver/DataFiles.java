package dev.modproxy.gomod.semver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Reads the test vectors under {@code src/test/resources}: tab-separated rows, {@code #} lines
 * are comments. A field that starts with {@code "} is a Go string literal, used for inputs that
 * are not plain text (invalid UTF-8, newlines); invalid UTF-8 bytes become the unpaired
 * surrogates U+DC80..U+DCFF, the Java form of them that {@link dev.modproxy.gomod.text.GoQuote} documents.
 */
public final class DataFiles {

    private DataFiles() {
    }

    /** The rows of resource {@code name}, each as its fields. */
    public static List<String[]> rows(String name) {
        try (InputStream in = DataFiles.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = fields[i].startsWith("\"") ? unquote(fields[i]) : fields[i];
                }
                rows.add(fields);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of {@code name} as JUnit arguments, every field a string. */
    public static List<Arguments> arguments(String name) {
        return rows(name).stream().map(r -> Arguments.of((Object[]) r)).toList();
    }

    /** A Go interpreted string literal. */
    static String unquote(String literal) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String s = literal.substring(1, literal.length() - 1);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                int cp = s.codePointAt(i);
                bytes.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'x' -> {
                    bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case 'u' -> {
                    bytes.writeBytes(Character.toString(Integer.parseInt(s.substring(i + 1, i + 5), 16))
                            .getBytes(StandardCharsets.UTF_8));
                    i += 4;
                }
                case 'U' -> {
                    bytes.writeBytes(Character.toString(Integer.parseInt(s.substring(i + 1, i + 9), 16))
                            .getBytes(StandardCharsets.UTF_8));
                    i += 8;
                }
                case 'a' -> bytes.write(0x07);
                case 'b' -> bytes.write('\b');
                case 'f' -> bytes.write('\f');
                case 'v' -> bytes.write(0x0B);
                case 'n' -> bytes.write('\n');
                case 't' -> bytes.write('\t');
                case 'r' -> bytes.write('\r');
                default -> bytes.write(e);
            }
        }
        return decodeSurrogateEscape(bytes.toByteArray());
    }

    /** UTF-8 decoding that maps each byte of an invalid sequence to U+DC00 + byte. */
    static String decodeSurrogateEscape(byte[] b) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < b.length) {
            int n = sequenceLength(b, i);
            if (n == 0) {
                out.append((char) (0xDC00 | (b[i] & 0xFF)));
                i++;
            } else {
                out.append(new String(Arrays.copyOfRange(b, i, i + n), StandardCharsets.UTF_8));
                i += n;
            }
        }
        return out.toString();
    }

    /** Length of the valid UTF-8 sequence at {@code i}, or 0. */
    private static int sequenceLength(byte[] b, int i) {
        int lead = b[i] & 0xFF;
        int n = lead < 0x80 ? 1 : lead >= 0xC2 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3
                : lead >= 0xF0 && lead < 0xF5 ? 4 : 0;
        if (n == 0 || i + n > b.length) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, i, n));
            return n;
        } catch (CharacterCodingException e) {
            return 0;
        }
    }
}

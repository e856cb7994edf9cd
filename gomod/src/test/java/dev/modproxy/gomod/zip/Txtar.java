package dev.modproxy.gomod.zip;

import dev.modproxy.gomod.testdata.Cells;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A txtar archive (golang.org/x/tools/txtar), the format of x/mod's zip test vectors.
 *
 * <p>Format: a comment, then files. Each file starts with a marker line {@code -- NAME --}
 * (NAME trimmed, non-empty) and holds the lines up to the next marker. Comment and file data
 * end in a newline if non-empty. Names and the comment are decoded from UTF-8 with invalid
 * bytes mapped to U+DC80..U+DCFF (the convention of dev.modproxy.gomod.text.GoQuote), so
 * vectors with invalid UTF-8 paths keep them.
 */
record Txtar(String comment, List<Entry> files) {

    record Entry(String name, byte[] data) {
    }

    static Txtar parse(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static Txtar parse(byte[] bytes) {
        List<Entry> files = new ArrayList<>();
        String comment = null;
        String name = null;
        java.io.ByteArrayOutputStream section = new java.io.ByteArrayOutputStream();
        for (int pos = 0; pos < bytes.length; ) {
            int end = pos;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int next = Math.min(end + 1, bytes.length);
            String marker = markerName(bytes, pos, end);
            if (marker == null) {
                section.write(bytes, pos, next - pos);
            } else {
                if (name == null) {
                    comment = decode(fixNewline(section.toByteArray()));
                } else {
                    files.add(new Entry(name, fixNewline(section.toByteArray())));
                }
                name = marker;
                section.reset();
            }
            pos = next;
        }
        if (name == null) {
            comment = decode(fixNewline(section.toByteArray()));
        } else {
            files.add(new Entry(name, fixNewline(section.toByteArray())));
        }
        return new Txtar(comment, files);
    }

    /** Key=value lines of the comment, '#' starting a remark, as x/mod's readTest reads them. */
    java.util.Map<String, String> header() {
        java.util.Map<String, String> values = new java.util.HashMap<>();
        for (String line : comment.split("\n")) {
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("missing = separator: " + line);
            }
            values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return values;
    }

    private static String markerName(byte[] b, int from, int to) {
        int len = to - from;
        if (len > 0 && b[to - 1] == '\r') {
            len--;
        }
        if (len < 6 || b[from] != '-' || b[from + 1] != '-' || b[from + 2] != ' '
                || b[from + len - 3] != ' ' || b[from + len - 2] != '-' || b[from + len - 1] != '-') {
            return null;
        }
        String name = decode(java.util.Arrays.copyOfRange(b, from + 3, from + len - 3)).strip();
        return name.isEmpty() ? null : name;
    }

    private static byte[] fixNewline(byte[] data) {
        if (data.length == 0 || data[data.length - 1] == '\n') {
            return data;
        }
        byte[] fixed = java.util.Arrays.copyOf(data, data.length + 1);
        fixed[data.length] = '\n';
        return fixed;
    }

    private static String decode(byte[] bytes) {
        return Cells.decodeUtf8(bytes);
    }
}

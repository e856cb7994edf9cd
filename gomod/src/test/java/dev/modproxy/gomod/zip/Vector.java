package dev.modproxy.gomod.zip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One x/mod zip test vector: the header fields (path, version, wantErr, hash), the files, and
 * the expected CheckedFiles listing of the check_* vectors (the file named {@code want}).
 */
record Vector(String path, String version, String wantErr, String hash, List<Txtar.Entry> files,
              String want) {

    private static final Set<String> KEYS = Set.of("path", "version", "wantErr", "hash");

    static Vector read(Path file) throws IOException {
        Txtar t = Txtar.parse(file);
        Map<String, String> h = t.header();
        if (!KEYS.containsAll(h.keySet())) {
            throw new IllegalArgumentException(file + ": unknown key in " + h.keySet());
        }
        String want = null;
        List<Txtar.Entry> files = new java.util.ArrayList<>();
        for (Txtar.Entry e : t.files()) {
            if (e.name().equals("want") && want == null) {
                want = new String(e.data(), java.nio.charset.StandardCharsets.UTF_8);
            } else {
                files.add(e);
            }
        }
        return new Vector(h.getOrDefault("path", ""), h.getOrDefault("version", ""),
                h.getOrDefault("wantErr", ""), h.getOrDefault("hash", ""), files, want);
    }

    /** Writes the files below {@code dir}, as x/mod's extractTxtarToTempDir. */
    void extractTo(Path dir) throws IOException {
        for (Txtar.Entry e : files) {
            Path p = dir.resolve(e.name());
            Files.createDirectories(p.getParent());
            Files.write(p, e.data());
        }
    }

    /** Writes the files as entries of a zip, as x/mod's extractTxtarToTempZip. */
    void zipTo(Path zip) throws IOException {
        RawZip raw = new RawZip();
        files.forEach(e -> raw.add(e.name(), e.data()));
        raw.writeTo(zip);
    }

    List<ModuleFile> moduleFiles() {
        return files.stream().map(e -> ModuleFile.of(e.name(), e.data())).toList();
    }

    /** The report in x/mod's formatCheckedFiles layout. */
    static String format(CheckedFiles cf) {
        StringBuilder b = new StringBuilder("valid:\n");
        cf.valid().forEach(v -> b.append(v).append('\n'));
        b.append("\nomitted:\n");
        cf.omitted().forEach(e -> b.append(e).append('\n'));
        b.append("\ninvalid:\n");
        cf.invalid().forEach(e -> b.append(e).append('\n'));
        return b.toString();
    }
}

package dev.modproxy.gomod.dirhash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DirHash against the cases of x/mod's hash_test.go (data in resources/.../dirhash). */
class DirHashTest {

    private static final String RESOURCES = "dev/modproxy/gomod/dirhash/";

    @TempDir
    Path tmp;

    static Stream<Arguments> hash1Cases() throws IOException {
        return TestData.rows(RESOURCES + "hash1.tsv").stream().map(r -> Arguments.of(r[0], r[1], r[2]));
    }

    static Stream<Arguments> treeCases() throws IOException {
        return TestData.rows(RESOURCES + "trees.tsv").stream().map(r -> Arguments.of(r[0], r[1], r[2], r[3]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hash1Cases")
    void hash1(String description, String names, String expected) throws Exception {
        List<String> files = names.isEmpty() ? List.of() : Arrays.stream(names.split(",")).map(Cells::unescape).toList();
        DirHash.Opener open = name -> new ByteArrayInputStream(("data for " + name).getBytes(StandardCharsets.UTF_8));
        if (expected.startsWith("error: ")) {
            GoModException e = assertThrows(GoModException.class, () -> DirHash.hash1(files, open));
            assertEquals(expected.substring("error: ".length()), e.getMessage());
        } else {
            assertEquals(expected, DirHash.hash1(files, open));
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("treeCases")
    void tree(String kind, String prefix, String files, String expected) throws Exception {
        List<String[]> pairs = new ArrayList<>();
        for (String pair : files.split("\\|")) {
            int eq = pair.indexOf('=');
            pairs.add(new String[] {pair.substring(0, eq), Cells.unescape(pair.substring(eq + 1))});
        }
        String actual = switch (kind) {
            case "dir" -> {
                for (String[] p : pairs) {
                    Path f = tmp.resolve(p[0]);
                    Files.createDirectories(f.getParent());
                    Files.writeString(f, p[1]);
                }
                yield DirHash.hashDir(tmp, prefix);
            }
            case "zip" -> {
                Path zip = tmp.resolve("t.zip");
                try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
                    for (String[] p : pairs) {
                        z.putNextEntry(new ZipEntry(p[0]));
                        z.write(p[1].getBytes(StandardCharsets.UTF_8));
                    }
                }
                yield DirHash.hashZip(zip);
            }
            case "gomod" -> DirHash.hashGoMod(pairs.get(0)[1].getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException(kind);
        };
        assertEquals(expected, actual);
    }

    /** x/mod's TestDirFiles: every name carries the prefix, subdirectories included. */
    @Test
    void dirFilesCarryPrefix() throws Exception {
        Files.writeString(tmp.resolve("xyz"), "data for xyz");
        Files.writeString(tmp.resolve("abc"), "data for abc");
        Files.createDirectory(tmp.resolve("subdir"));
        Files.writeString(tmp.resolve("subdir/xyz"), "data for subdir xyz");
        List<String> files = new ArrayList<>(DirHash.dirFiles(tmp, "foo/bar@v2.3.4"));
        files.sort(null);
        assertEquals(List.of("foo/bar@v2.3.4/abc", "foo/bar@v2.3.4/subdir/xyz", "foo/bar@v2.3.4/xyz"), files);
    }

    @Test
    void openFailureIsReported() {
        DirHash.Opener failing = name -> {
            throw new IOException("boom");
        };
        GoModException e = assertThrows(GoModException.class, () -> DirHash.hash1(List.of("a"), failing));
        assertEquals(GoModException.Kind.IO, e.kind());
        assertTrue(e.getMessage().contains("boom"));
    }
}

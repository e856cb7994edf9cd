package dev.modproxy.gomod.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModuleVersion;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every txtar vector of x/mod's zip tests against ModuleZip, interpreted as x/mod's
 * zip_test.go does: create and create_from_dir vectors give either an error containing
 * {@code wantErr} or a zip with h1 {@code hash}; unzip vectors are zipped, extracted and the
 * directory hashed; check_* vectors compare the CheckedFiles listing with the {@code want} file,
 * and the error with the invalid files.
 */
class ModuleZipVectorsTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> create() {
        return XmodTestdata.vectors("create");
    }

    static Stream<Arguments> createFromDir() {
        return XmodTestdata.vectors("create_from_dir");
    }

    static Stream<Arguments> unzip() {
        return XmodTestdata.vectors("unzip");
    }

    static Stream<Arguments> checkFiles() {
        return XmodTestdata.vectors("check_files");
    }

    static Stream<Arguments> checkDir() {
        return XmodTestdata.vectors("check_dir");
    }

    static Stream<Arguments> checkZip() {
        return XmodTestdata.vectors("check_zip");
    }

    @ParameterizedTest
    @MethodSource
    void create(Path file) throws Exception {
        Vector v = Vector.read(file);
        Path zip = tmp.resolve("out.zip");
        expectHashOrError(v, zip, m -> {
            try (OutputStream out = Files.newOutputStream(zip)) {
                ModuleZip.create(out, m, v.moduleFiles());
            }
        });
    }

    @ParameterizedTest
    @MethodSource
    void createFromDir(Path file) throws Exception {
        Vector v = Vector.read(file);
        Path dir = Files.createDirectory(tmp.resolve("tree"));
        v.extractTo(dir);
        Path zip = tmp.resolve("out.zip");
        expectHashOrError(v, zip, m -> {
            try (OutputStream out = Files.newOutputStream(zip)) {
                ModuleZip.createFromDir(out, m, dir);
            }
        });
    }

    @ParameterizedTest
    @MethodSource
    void unzip(Path file) throws Exception {
        Vector v = Vector.read(file);
        Path zip = tmp.resolve("in.zip");
        v.zipTo(zip);
        Path dir = tmp.resolve("out");
        ModuleVersion m = moduleOrExpectedError(v);
        if (m == null) {
            return;
        }
        if (v.wantErr().isEmpty()) {
            ModuleZip.unzip(zip, m, dir);
            assertEquals(v.hash(), DirHash.hashDir(dir, ModuleZip.prefix(m)));
        } else {
            GoModException e = assertThrows(GoModException.class, () -> ModuleZip.unzip(zip, m, dir));
            assertContains(e.getMessage(), v.wantErr());
            assertTrue(e.getMessage().startsWith("unzip " + zip + ": "), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource
    void checkFiles(Path file) throws Exception {
        Vector v = Vector.read(file);
        CheckedFiles cf = ModuleZip.checkFiles(v.moduleFiles());
        assertEquals(v.want(), Vector.format(cf));
        assertErrorListsInvalid(cf);
    }

    @ParameterizedTest
    @MethodSource
    void checkDir(Path file) throws Exception {
        Vector v = Vector.read(file);
        Path dir = Files.createDirectory(tmp.resolve("tree"));
        v.extractTo(dir);
        CheckedFiles cf = ModuleZip.checkDir(dir);
        assertEquals(v.want(), Vector.format(cf).replace(dir.toString(), "$work"));
        assertErrorListsInvalid(cf);
    }

    @ParameterizedTest
    @MethodSource
    void checkZip(Path file) throws Exception {
        Vector v = Vector.read(file);
        Path zip = tmp.resolve("in.zip");
        v.zipTo(zip);
        CheckedFiles cf = ModuleZip.checkZip(ModuleVersion.of(v.path(), v.version()), zip);
        assertEquals(v.want(), Vector.format(cf));
        assertErrorListsInvalid(cf);
    }

    /** Size errors are not part of these vectors, so the error is exactly the invalid files. */
    private static void assertErrorListsInvalid(CheckedFiles cf) {
        if (cf.invalid().isEmpty()) {
            assertFalse(cf.error().isPresent());
            return;
        }
        String want = cf.invalid().stream().map(FileError::toString).collect(Collectors.joining("; "));
        assertEquals(want, cf.error().orElseThrow().getMessage());
    }

    interface ZipAction {
        void run(ModuleVersion m) throws Exception;
    }

    private static void expectHashOrError(Vector v, Path zip, ZipAction action) throws Exception {
        ModuleVersion m = moduleOrExpectedError(v);
        if (m == null) {
            return;
        }
        if (v.wantErr().isEmpty()) {
            action.run(m);
            assertEquals(v.hash(), DirHash.hashZip(zip));
        } else {
            GoModException e = assertThrows(GoModException.class, () -> action.run(m));
            assertContains(e.getMessage(), v.wantErr());
            assertTrue(e.getMessage().startsWith("create zip"), e.getMessage());
        }
    }

    /**
     * The vector's module, or null when building it already fails as the vector expects: a
     * ModuleVersion is checked when made, where x/mod checks path and major version in Create.
     */
    private static ModuleVersion moduleOrExpectedError(Vector v) {
        try {
            return ModuleVersion.of(v.path(), v.version());
        } catch (GoModException e) {
            assertFalse(v.wantErr().isEmpty(), "unexpected error: " + e.getMessage());
            assertContains(e.getMessage(), v.wantErr());
            return null;
        }
    }

    private static void assertContains(String actual, String wanted) {
        assertTrue(actual.contains(wanted), "got error \"" + actual + "\"; want error containing \"" + wanted + "\"");
    }
}

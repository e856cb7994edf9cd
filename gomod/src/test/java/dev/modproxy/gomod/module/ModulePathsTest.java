package dev.modproxy.gomod.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.GoModException.Kind;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.util.List;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * module_test.go's TestCheck, TestCheckPath, TestSplitPathVersion and TestMatchPathMajor, with
 * the error texts x/mod gives for each case; and random paths of our own checked the same way.
 */
class ModulePathsTest {

    static List<Arguments> checks() {
        return TestData.arguments("module/check.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource("checks")
    void check(String path, String version, String error) {
        expect(error, null, () -> ModulePaths.check(path, version));
    }

    static List<Arguments> paths() {
        return TestData.arguments("module/check_path.tsv", Cells::goIfQuoted).toList();
    }

    /** Random paths of our own (fixed seed), mixing every character class, expected from x/mod. */
    static List<Arguments> randomPaths() {
        return TestData.arguments("module/check_path_random.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource({"paths", "randomPaths"})
    void checkPath(String path, String moduleError, String importError, String fileError) {
        expect(moduleError, Kind.INVALID_PATH, () -> ModulePaths.checkPath(path));
        assertEquals(moduleError.isEmpty(), ModulePaths.isValidPath(path), "isValidPath");
        expect(importError, Kind.INVALID_PATH, () -> ModulePaths.checkImportPath(path));
        expect(fileError, Kind.INVALID_PATH, () -> ModulePaths.checkFilePath(path));
    }

    static List<Arguments> splits() {
        return TestData.arguments("module/split_path_version.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource("splits")
    void splitPathVersion(String path, String prefix, String pathMajor, String ok) {
        assertEquals(new PathVersionSplit(prefix, pathMajor, Boolean.parseBoolean(ok)),
                ModulePaths.splitPathVersion(path));
    }

    static List<Arguments> pathMajors() {
        return TestData.arguments("module/match_path_major.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource("pathMajors")
    void matchPathMajor(String v, String pathMajor, String match, String error) {
        assertEquals(Boolean.parseBoolean(match), ModulePaths.matchPathMajor(v, pathMajor));
        expect(error, Kind.INVALID_VERSION, () -> ModulePaths.checkPathMajor(v, pathMajor));
    }

    @ParameterizedTest
    @CsvSource(value = {"'',''", "/v2,v2", ".v0,v0", ".v1-unstable,v1", ".v3,v3"}, emptyValue = "")
    void pathMajorPrefix(String pathMajor, String prefix) throws GoModException {
        assertEquals(prefix, ModulePaths.pathMajorPrefix(pathMajor));
    }

    @ParameterizedTest
    @CsvSource({"v2", "/x", "/v2.0"})
    void pathMajorPrefixRejectsNonSuffixes(String pathMajor) {
        assertThrows(GoModException.class, () -> ModulePaths.pathMajorPrefix(pathMajor));
    }

    @ParameterizedTest
    @CsvSource(value = {"v1,v1.0.0", "v2.0.0+incompatible,v2.0.0+incompatible", "v2.0+incompatible,''", "v1.2.3+meta,v1.2.3",
        "bad,''", "v1.2.3-pre+incompatible,v1.2.3-pre+incompatible"}, emptyValue = "")
    void canonicalVersion(String v, String want) {
        assertEquals(want, ModulePaths.canonicalVersion(v));
    }

    /**
     * Runs {@code call}: it must succeed when {@code error} is empty, else fail with exactly that
     * text (and kind, when given).
     */
    static void expect(String error, Kind kind, Executable call) {
        if (error.isEmpty()) {
            try {
                call.execute();
            } catch (Throwable t) {
                throw new AssertionError("unexpected error: " + t.getMessage(), t);
            }
            return;
        }
        GoModException e = assertThrows(GoModException.class, call);
        assertEquals(error, e.getMessage());
        if (kind != null) {
            assertEquals(kind, e.kind());
        }
    }
}

package dev.modproxy.gomod.module;

import static dev.modproxy.gomod.module.ModulePathsTest.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.GoModException.Kind;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * module_test.go's TestEscapePath and TestUnescapePath (every invalid path of TestCheckPath, the
 * escape table, the bad escapes), with x/mod's results and error texts; plus version escaping
 * cases and random strings of our own, expected values also from x/mod.
 */
class EscapingTest {

    static List<Arguments> escapes() {
        return TestData.arguments("module/escape_path.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource("escapes")
    void escapePath(String path, String escaped, String error) throws GoModException {
        expect(error, Kind.INVALID_PATH, () -> Escaping.escapePath(path));
        if (error.isEmpty()) {
            assertEquals(escaped, Escaping.escapePath(path));
        }
    }

    static List<Arguments> unescapes() {
        return TestData.arguments("module/unescape_path.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource("unescapes")
    void unescapePath(String escaped, String path, String error) throws GoModException {
        expect(error, Kind.INVALID_PATH, () -> Escaping.unescapePath(escaped));
        if (error.isEmpty()) {
            assertEquals(path, Escaping.unescapePath(escaped));
        }
    }

    static List<Arguments> randomStrings() {
        return TestData.arguments("module/escaping_random.tsv", Cells::goIfQuoted).toList();
    }

    /** Random strings of our own (fixed seed) through every escaping function and the path split. */
    @ParameterizedTest
    @MethodSource("randomStrings")
    void randomStrings(String s, String escapedPath, String escapePathError, String unescapedPath,
                       String unescapePathError, String escapedVersion, String escapeVersionError,
                       String unescapedVersion, String unescapeVersionError, String prefix, String pathMajor,
                       String ok) throws GoModException {
        expect(escapePathError, Kind.INVALID_PATH, () -> Escaping.escapePath(s));
        if (escapePathError.isEmpty()) {
            assertEquals(escapedPath, Escaping.escapePath(s));
        }
        expect(unescapePathError, Kind.INVALID_PATH, () -> Escaping.unescapePath(s));
        if (unescapePathError.isEmpty()) {
            assertEquals(unescapedPath, Escaping.unescapePath(s));
        }
        expect(escapeVersionError, Kind.INVALID_VERSION, () -> Escaping.escapeVersion(s));
        if (escapeVersionError.isEmpty()) {
            assertEquals(escapedVersion, Escaping.escapeVersion(s));
        }
        expect(unescapeVersionError, Kind.INVALID_VERSION, () -> Escaping.unescapeVersion(s));
        if (unescapeVersionError.isEmpty()) {
            assertEquals(unescapedVersion, Escaping.unescapeVersion(s));
        }
        assertEquals(new PathVersionSplit(prefix, pathMajor, Boolean.parseBoolean(ok)), ModulePaths.splitPathVersion(s));
    }

    static List<Arguments> versionEscapes() {
        return TestData.arguments("module/escape_version.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource("versionEscapes")
    void escapeVersion(String v, String escaped, String error, String again, String againError)
            throws GoModException {
        expect(error, Kind.INVALID_VERSION, () -> Escaping.escapeVersion(v));
        if (error.isEmpty()) {
            assertEquals(escaped, Escaping.escapeVersion(v));
            assertEquals(again, Escaping.unescapeVersion(escaped));
        }
    }

    static List<Arguments> versionUnescapes() {
        return TestData.arguments("module/unescape_version.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource("versionUnescapes")
    void unescapeVersion(String escaped, String v, String error) throws GoModException {
        expect(error, Kind.INVALID_VERSION, () -> Escaping.unescapeVersion(escaped));
        if (error.isEmpty()) {
            assertEquals(v, Escaping.unescapeVersion(escaped));
        }
    }
}

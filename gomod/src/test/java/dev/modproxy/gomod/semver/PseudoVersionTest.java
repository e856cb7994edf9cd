package dev.modproxy.gomod.semver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pseudo_test.go: building ({@code semver/pseudo_versions.tsv}); parsing time, revision and base,
 * valid and invalid, with x/mod's results and error texts ({@code semver/pseudo_parse.tsv},
 * which adds impossible dates and zero pseudo-versions of our own); incDecimal and decDecimal.
 */
class PseudoVersionTest {

    private static final Instant PSEUDO_TIME = Instant.parse("2006-01-02T15:04:05Z");

    static List<Arguments> built() {
        return TestData.arguments("semver/pseudo_versions.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource("built")
    void pseudoVersion(String major, String older, String version) {
        assertEquals(version, PseudoVersion.pseudoVersion(major, older, PSEUDO_TIME, "hash"));
    }

    static List<Arguments> parsed() {
        return TestData.arguments("semver/pseudo_parse.tsv", Cells::goIfQuoted).toList();
    }

    /** Random pseudo-versions and near misses of our own (fixed seed), expected from x/mod. */
    static List<Arguments> randomParsed() {
        return TestData.arguments("semver/pseudo_parse_random.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource({"parsed", "randomParsed"})
    void parse(String v, String isPseudo, String isZero, String time, String timeError,
               String rev, String revError, String base, String baseError) {
        assertEquals(Boolean.parseBoolean(isPseudo), PseudoVersion.isPseudoVersion(v), "isPseudoVersion");
        assertEquals(Boolean.parseBoolean(isZero), PseudoVersion.isZeroPseudoVersion(v), "isZeroPseudoVersion");
        expect(time.isEmpty() ? null : Instant.parse(time), timeError, () -> PseudoVersion.pseudoVersionTime(v));
        expect(rev, revError, () -> PseudoVersion.pseudoVersionRev(v));
        expect(base, baseError, () -> PseudoVersion.pseudoVersionBase(v));
    }

    static List<Arguments> zeros() {
        return TestData.arguments("semver/zero_pseudo_versions.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource("zeros")
    void zeroPseudoVersion(String major, String version) {
        assertEquals(version, PseudoVersion.zeroPseudoVersion(major));
    }

    @ParameterizedTest
    @CsvSource({"0,1", "1,2", "99,100", "100,101", "101,102"})
    void incDecimal(String in, String want) {
        assertEquals(want, PseudoVersion.incDecimal(in));
    }

    @ParameterizedTest
    @CsvSource(value = {"'',''", "0,''", "00,''", "1,0", "2,1", "99,98", "100,99", "101,100"}, emptyValue = "")
    void decDecimal(String in, String want) {
        assertEquals(want, PseudoVersion.decDecimal(in));
    }

    @ParameterizedTest
    @CsvSource({"v1,v1.2.3,v1.2.4-0.", "v1,v1.2.3-pre,v1.2.3-pre.0.", "v2,'',v2.0.0-", "'','',v0.0.0-",
        "v2,v2.0.0+incompatible,v2.0.1-0."})
    void pseudoVersionPrefix(String major, String older, String prefix) {
        assertEquals(prefix, PseudoVersion.pseudoVersionPrefix(major, older));
    }

    /** Either the call returns {@code want}, or (when {@code error} is set) fails with that text. */
    static <T> void expect(T want, String error, ThrowingSupplier<T> call) {
        if (error.isEmpty()) {
            try {
                assertEquals(want, call.get());
            } catch (Throwable t) {
                throw new AssertionError("unexpected error: " + t.getMessage(), t);
            }
        } else {
            GoModException e = assertThrows(GoModException.class, call::get);
            assertEquals(error, e.getMessage());
            assertEquals(GoModException.Kind.INVALID_VERSION, e.kind());
        }
    }
}

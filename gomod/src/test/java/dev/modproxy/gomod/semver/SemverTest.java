package dev.modproxy.gomod.semver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * semver_test.go: every version of its table, with what x/mod returns for each accessor
 * ({@code semver/versions.tsv}); Compare and Max over every pair, using that the table is in
 * ascending order.
 */
class SemverTest {

    private static final List<String[]> ROWS = TestData.rows("semver/versions.tsv", Cells::goIfQuoted);

    static List<Arguments> versions() {
        return TestData.arguments("semver/versions.tsv", Cells::goIfQuoted).toList();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void accessors(String in, String valid, String canonical, String major, String majorMinor,
                   String prerelease, String build) {
        assertEquals(Boolean.parseBoolean(valid), Semver.isValid(in), "isValid");
        assertEquals(canonical, Semver.canonical(in), "canonical");
        assertEquals(major, Semver.major(in), "major");
        assertEquals(majorMinor, Semver.majorMinor(in), "majorMinor");
        assertEquals(prerelease, Semver.prerelease(in), "prerelease");
        assertEquals(build, Semver.build(in), "build");
    }

    static List<Arguments> randomVersions() {
        return TestData.arguments("semver/versions_random.tsv", Cells::goIfQuoted).toList();
    }

    /** Random version-like strings of our own (fixed seed), expected values from x/mod. */
    @ParameterizedTest
    @MethodSource("randomVersions")
    void randomVersions(String v, String valid, String canonical, String major, String majorMinor,
                        String prerelease, String build, String moduleCanonical, String w, String compare) {
        accessors(v, valid, canonical, major, majorMinor, prerelease, build);
        assertEquals(moduleCanonical, dev.modproxy.gomod.module.ModulePaths.canonicalVersion(v), "canonicalVersion");
        assertEquals(Integer.parseInt(compare), Semver.compare(v, w), "compare with " + w);
    }

    static Stream<Arguments> pairs() {
        return ROWS.stream().flatMap(a -> ROWS.stream().map(b -> Arguments.of(
                a[0], a[2], ROWS.indexOf(a), b[0], b[2], ROWS.indexOf(b))));
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void compareAndMax(String v, String canonicalV, int i, String w, String canonicalW, int j) {
        int want = canonicalV.equals(canonicalW) ? 0 : i < j ? -1 : +1;
        assertEquals(want, Semver.compare(v, w), "compare");
        assertEquals(i < j ? canonicalW : canonicalV, Semver.max(v, w), "max");
    }

    @Test
    void sortIsSortedAfterShuffle() {
        List<String> versions = new ArrayList<>(ROWS.stream().map(r -> r[0]).toList());
        Collections.shuffle(versions, new Random(1));
        Semver.sort(versions);
        for (int k = 1; k < versions.size(); k++) {
            String a = versions.get(k - 1);
            String b = versions.get(k);
            assertEquals(true, Semver.BY_VERSION.compare(a, b) <= 0, a + " before " + b);
        }
    }

    @Test
    void incompatible() {
        assertEquals(true, Semver.isIncompatible("v2.0.0+incompatible"));
        assertEquals(false, Semver.isIncompatible("v2.0.0"));
        assertEquals(false, Semver.isIncompatible("v2+incompatible"));
    }
}

package dev.modproxy.gomod.semver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modproxy.gomod.GoModException;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A pseudo-version built from (tag, time, revision) gives them back, and sorts just above its
 * tag and below the next patch release.
 */
class PseudoVersionProperties {

    @Property
    void buildThenParse(@ForAll("tags") String tag, @ForAll("times") Instant time, @ForAll("revisions") String rev)
            throws GoModException {
        String pv = PseudoVersion.pseudoVersion(Semver.major(tag), tag, time, rev);
        assertTrue(PseudoVersion.isPseudoVersion(pv), pv);
        assertEquals(tag, PseudoVersion.pseudoVersionBase(pv));
        assertEquals(time, PseudoVersion.pseudoVersionTime(pv));
        assertEquals(rev, PseudoVersion.pseudoVersionRev(pv));
        assertTrue(pv.startsWith(PseudoVersion.pseudoVersionPrefix(Semver.major(tag), tag)));
    }

    @Property
    void sortsBetweenTagAndNextPatch(@ForAll("tags") String tag, @ForAll("times") Instant time,
                                     @ForAll("revisions") String rev) {
        String pv = PseudoVersion.pseudoVersion(Semver.major(tag), tag, time, rev);
        assertTrue(Semver.compare(pv, tag) > 0, pv + " > " + tag);
        String release = Semver.canonical(tag).replaceFirst("-.*", "");
        int dot = release.lastIndexOf('.') + 1;
        String nextPatch = release.substring(0, dot) + PseudoVersion.incDecimal(release.substring(dot));
        assertTrue(Semver.compare(pv, nextPatch) < 0, pv + " < " + nextPatch);
        if (!Semver.prerelease(tag).isEmpty()) {
            assertTrue(Semver.compare(pv, release) < 0, pv + " < " + release);
        }
    }

    @Property
    void withoutTagSortsBelowEveryReleaseOfTheMajor(@ForAll("majors") String major, @ForAll("times") Instant time,
                                                    @ForAll("revisions") String rev) throws GoModException {
        String pv = PseudoVersion.pseudoVersion(major, "", time, rev);
        assertEquals("", PseudoVersion.pseudoVersionBase(pv));
        assertTrue(Semver.compare(pv, major + ".0.0") < 0);
        assertEquals(major, Semver.major(pv));
    }

    @Provide
    Arbitrary<String> majors() {
        return Arbitraries.integers().between(0, 30).map(n -> "v" + n);
    }

    /** Canonical tags, release or prerelease, sometimes {@code +incompatible}. */
    @Provide
    Arbitrary<String> tags() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.integers().between(0, 20).map(String::valueOf),
                Arbitraries.of("9", "99", "99999999999999999999"));
        Arbitrary<String> pre = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.of("-pre", "-rc.1", "-0", "-alpha.0", "-1.2.3", "--"));
        return Combinators.combine(number, number, number, pre, Arbitraries.of("", "+incompatible"))
                .as((ma, mi, pa, p, b) -> "v" + ma + "." + mi + "." + pa + p + b);
    }

    /** Whole seconds between years 1 and 9999, the range Go's 14-digit timestamp can hold. */
    @Provide
    Arbitrary<Instant> times() {
        long min = PseudoVersion.ZERO_TIME.getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        return Arbitraries.longs().between(min, max).map(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<String> revisions() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .ofMinLength(1).ofMaxLength(12);
    }
}

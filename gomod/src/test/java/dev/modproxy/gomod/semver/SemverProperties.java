package dev.modproxy.gomod.semver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Semver#compare} is a total order that agrees with canonical forms, max and sort. */
class SemverProperties {

    @Property
    void compareIsAntisymmetric(@ForAll("versions") String a, @ForAll("versions") String b) {
        assertEquals(Semver.compare(a, b), -Semver.compare(b, a));
    }

    @Property
    void compareIsTransitive(@ForAll("versions") String a, @ForAll("versions") String b,
                             @ForAll("versions") String c) {
        List<String> l = new ArrayList<>(List.of(a, b, c));
        l.sort(Semver::compare);
        assertTrue(Semver.compare(l.get(0), l.get(2)) <= 0);
        if (Semver.compare(l.get(0), l.get(1)) == 0 && Semver.compare(l.get(1), l.get(2)) == 0) {
            assertEquals(0, Semver.compare(l.get(0), l.get(2)));
        }
    }

    @Property
    void equalExactlyWhenCanonicalFormsAreEqual(@ForAll("versions") String a, @ForAll("versions") String b) {
        assertEquals(Semver.canonical(a).equals(Semver.canonical(b)), Semver.compare(a, b) == 0);
        assertEquals(0, Semver.compare(a, Semver.canonical(a)));
        assertEquals(Semver.canonical(a), Semver.canonical(Semver.canonical(a)));
    }

    @Property
    void maxAgreesWithCompare(@ForAll("versions") String a, @ForAll("versions") String b) {
        String max = Semver.max(a, b);
        assertTrue(Semver.compare(max, a) >= 0 && Semver.compare(max, b) >= 0);
        assertTrue(max.equals(Semver.canonical(a)) || max.equals(Semver.canonical(b)));
    }

    @Property
    void sortDoesNotDependOnInputOrder(@ForAll("versionLists") List<String> versions, @ForAll long seed) {
        List<String> shuffled = new ArrayList<>(versions);
        Collections.shuffle(shuffled, new Random(seed));
        List<String> sorted = Semver.sorted(versions);
        assertEquals(sorted, Semver.sorted(shuffled));
        for (int i = 1; i < sorted.size(); i++) {
            assertTrue(Semver.compare(sorted.get(i - 1), sorted.get(i)) <= 0);
        }
    }

    @Provide
    Arbitrary<List<String>> versionLists() {
        return versions().list().ofMaxSize(20);
    }

    /** Mostly valid versions in every shape, with small numbers so that ties happen; some junk. */
    @Provide
    static Arbitrary<String> versions() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.integers().between(0, 3).map(String::valueOf),
                Arbitraries.of("10", "99999999999999999999"));
        Arbitrary<String> ident = Arbitraries.oneOf(number, Arbitraries.of("alpha", "beta", "rc", "0a", "-", "A", "x-y"));
        Arbitrary<String> dotted = ident.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l));
        Arbitrary<String> full = Combinators.combine(number, number, number,
                Arbitraries.oneOf(Arbitraries.just(""), dotted.map(p -> "-" + p)),
                Arbitraries.oneOf(Arbitraries.just(""), dotted.map(b -> "+" + b), Arbitraries.just("+incompatible")))
                .as((ma, mi, pa, pre, build) -> "v" + ma + "." + mi + "." + pa + pre + build);
        Arbitrary<String> shorthand = Combinators.combine(number, number, Arbitraries.of(true, false))
                .as((ma, mi, both) -> both ? "v" + ma + "." + mi : "v" + ma);
        Arbitrary<String> junk = Arbitraries.of("", "v", "1.0.0", "v01.0.0", "v1.0.0-", "v1.0.0-01", "v1.2-pre", "bad");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, full), net.jqwik.api.Tuple.of(2, shorthand), net.jqwik.api.Tuple.of(1, junk));
    }
}

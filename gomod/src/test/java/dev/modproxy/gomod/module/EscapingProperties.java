package dev.modproxy.gomod.module;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modproxy.gomod.GoModException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Escaping is a bijection between valid module paths and their escaped forms. */
class EscapingProperties {

    @Property
    void escapedPathsRoundTrip(@ForAll("modulePaths") String path) throws GoModException {
        String escaped = Escaping.escapePath(path);
        assertEquals(escaped, escaped.toLowerCase(java.util.Locale.ROOT), "escaped form has no upper case");
        assertEquals(path, Escaping.unescapePath(escaped));
        assertEquals(ModulePath.of(path), ModulePath.fromEscaped(ModulePath.of(path).escaped()));
    }

    @Property
    void lowerCasePathsAreTheirOwnEscapedForm(@ForAll("modulePaths") String path) throws GoModException {
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        if (ModulePaths.isValidPath(lower)) {
            assertEquals(lower, Escaping.escapePath(lower));
        }
    }

    /** Whatever unescapes, escapes back to the same string: no path has two escaped forms. */
    @Property
    void unescapingIsInjective(@ForAll("escapedCandidates") String s) {
        String unescaped = Escaping.unescape(s);
        if (unescaped != null) {
            assertEquals(s, Escaping.escape(unescaped));
        }
    }

    @Provide
    Arbitrary<String> modulePaths() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> domain = label.list().ofMinSize(2).ofMaxSize(3).map(l -> String.join(".", l));
        Arbitrary<String> element = Combinators.combine(
                Arbitraries.chars().range('a', 'z').range('A', 'Z'),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                        .withChars("-_~.").ofMaxLength(10))
                .as((first, rest) -> first + rest);
        Arbitrary<String> tail = element.list().ofMaxSize(4).map(l -> l.isEmpty() ? "" : "/" + String.join("/", l));
        return Combinators.combine(domain, tail).as(String::concat).filter(ModulePaths::isValidPath);
    }

    @Provide
    Arbitrary<String> escapedCandidates() {
        return Arbitraries.strings().withChars("!aAbBzZ.-/~_0").ofMaxLength(12);
    }
}

package dev.modproxy.gomod.modfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modproxy.gomod.text.GoQuote;
import java.io.IOException;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Vectors from go 1.19's strconv (resource modfile/go-quote.tsv; some fields hold raw control characters). */
class GoQuoteTest {

    private static Stream<String[]> rows() throws IOException {
        return GoModTest.resourceLines("/modfile/go-quote.tsv").stream()
                .filter(l -> !l.startsWith("#") && !l.isEmpty())
                .map(l -> l.split("\t", -1));
    }

    private static String field(String s) {
        return s.equals("<empty>") ? "" : Escapes.unescape(s);
    }

    static Stream<Arguments> unquote() throws IOException {
        return rows().filter(r -> !r[0].equals("quote"))
                .map(r -> Arguments.of(field(r[0]), r[1], field(r[2])));
    }

    static Stream<Arguments> quote() throws IOException {
        return rows().filter(r -> r[0].equals("quote"))
                .map(r -> Arguments.of(field(r[1]), field(r[2])));
    }

    @ParameterizedTest(name = "Unquote({0})")
    @MethodSource("unquote")
    void unquotesLikeStrconv(String literal, String status, String value) {
        assertEquals(status.equals("ok") ? Optional.of(value) : Optional.empty(), GoQuote.unquote(literal));
    }

    @ParameterizedTest(name = "Quote({0})")
    @MethodSource("quote")
    void quotesLikeStrconv(String s, String quoted) {
        assertEquals(quoted, GoQuote.quote(s));
    }
}

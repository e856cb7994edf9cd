package dev.modproxy.gomod.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Go's {@code strconv.Quote}, {@code strconv.QuoteRune} and {@code strconv.Unquote}, with the
 * results go 1.19 gives: on strings of our own that reach every escape (controls, format and
 * private-use characters, separators, supplementary characters, invalid UTF-8;
 * {@code text/go_quote.tsv}) and on strconv's own literals ({@code text/strconv_unquote.tsv}).
 */
class GoQuoteTest {

    static Stream<Arguments> quotes() {
        return TestData.arguments("text/go_quote.tsv", Cells::goIfQuoted);
    }

    @ParameterizedTest
    @MethodSource("quotes")
    void quote(String in, String quoted, String runes) {
        assertEquals(quoted, GoQuote.quote(in));
        assertEquals(!runes.isEmpty() || in.isEmpty(), GoUtf8.isValid(in));
        if (!runes.isEmpty()) {
            List<String> each = new ArrayList<>();
            in.codePoints().forEach(c -> each.add(GoQuote.quoteRune(c)));
            assertEquals(runes, String.join(" ", each));
        }
    }

    private static Stream<String[]> strconvRows() {
        return TestData.rows("text/strconv_unquote.tsv").stream();
    }

    static Stream<Arguments> strconvUnquotes() {
        return strconvRows().filter(r -> !r[0].equals("quote"))
                .map(r -> Arguments.of(Cells.unescape(r[0]), r[1], Cells.unescape(r[2])));
    }

    static Stream<Arguments> strconvQuotes() {
        return strconvRows().filter(r -> r[0].equals("quote"))
                .map(r -> Arguments.of(Cells.unescape(r[1]), Cells.unescape(r[2])));
    }

    @ParameterizedTest(name = "Unquote({0})")
    @MethodSource("strconvUnquotes")
    void unquotesLikeStrconv(String literal, String status, String value) {
        assertEquals(status.equals("ok") ? Optional.of(value) : Optional.empty(), GoQuote.unquote(literal));
    }

    @ParameterizedTest(name = "Quote({0})")
    @MethodSource("strconvQuotes")
    void quotesLikeStrconv(String s, String quoted) {
        assertEquals(quoted, GoQuote.quote(s));
    }
}

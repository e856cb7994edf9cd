package dev.modproxy.gomod.semver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modproxy.gomod.text.GoQuote;
import dev.modproxy.gomod.text.GoUtf8;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Go's {@code strconv.Quote} and {@code strconv.QuoteRune} on strings of our own that reach every
 * escape (controls, format and private-use characters, separators, supplementary characters,
 * invalid UTF-8), with the results Go gives ({@code semver/go_quote.tsv}).
 */
class GoQuoteTest {

    static List<Arguments> cases() {
        return DataFiles.arguments("semver/go_quote.tsv");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void quote(String in, String quoted, String runes) {
        assertEquals(quoted, GoQuote.quote(in));
        assertEquals(!runes.isEmpty() || in.isEmpty(), GoUtf8.isValid(in));
        if (!runes.isEmpty()) {
            List<String> each = new ArrayList<>();
            in.codePoints().forEach(c -> each.add(GoQuote.quoteRune(c)));
            assertEquals(runes, String.join(" ", each));
        }
    }
}

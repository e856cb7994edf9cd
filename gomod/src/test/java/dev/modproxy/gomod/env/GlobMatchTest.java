package dev.modproxy.gomod.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** path.Match as go 1.19 matches (env/glob-match.tsv). */
class GlobMatchTest {

    static Stream<Arguments> vectors() {
        return TestData.arguments("env/glob-match.tsv", Cells::unescape);
    }

    @ParameterizedTest(name = "Match({0}, {1}) = {2}, {3}")
    @MethodSource("vectors")
    void matchesLikeGoPathMatch(String pattern, String name, String match, String err)
            throws GoModException {
        if (err.equals("bad")) {
            GoModException e = assertThrows(GoModException.class, () -> GlobMatch.match(pattern, name));
            assertEquals(GlobMatch.BAD_PATTERN, e.getMessage());
            assertEquals(GoModException.Kind.INVALID_SETTING, e.kind());
            assertEquals(false, GlobMatch.matches(pattern, name));
        } else {
            assertEquals(Boolean.parseBoolean(match), GlobMatch.match(pattern, name));
            assertEquals(Boolean.parseBoolean(match), GlobMatch.matches(pattern, name));
        }
    }
}

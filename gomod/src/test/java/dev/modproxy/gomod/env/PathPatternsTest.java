package dev.modproxy.gomod.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** x/mod MatchPrefixPatterns and the GOPRIVATE defaults (env/match-prefix-patterns.tsv). */
class PathPatternsTest {

    static Stream<Arguments> vectors() {
        return TestData.arguments("env/match-prefix-patterns.tsv", Cells::unescape);
    }

    @ParameterizedTest(name = "MatchPrefixPatterns({0}, {1}) = {2}")
    @MethodSource("vectors")
    void matchesLikeXMod(String globs, String target, String want) {
        assertEquals(Boolean.parseBoolean(want), new PathPatterns(globs).matches(target));
    }

    @Test
    void noProxyAndNoSumDbDefaultToGoPrivate() {
        ModulePrivacy p = ModulePrivacy.fromEnvironment("*.corp.example", null, "", null);
        assertTrue(p.bypassesProxy("git.corp.example/x"));
        assertTrue(p.bypassesSumDb("git.corp.example/x"));
        assertFalse(p.isInsecure("git.corp.example/x"));
        assertTrue(p.isPrivate("git.corp.example/x"));
    }

    @Test
    void explicitSettingReplacesGoPrivate() {
        // mod_gonoproxy.txt: GOPRIVATE set, GONOPROXY=none proxies everything.
        ModulePrivacy p = ModulePrivacy.fromEnvironment("*/quote,*/*mple*,golang.org/x", "none",
                null, "golang.org");
        assertFalse(p.bypassesProxy("rsc.io/quote"));
        assertTrue(p.bypassesSumDb("rsc.io/quote"));
        assertTrue(p.isInsecure("golang.org/x/text"));
    }
}

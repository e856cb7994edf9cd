package dev.modproxy.gomod.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GOSUMDB settings as cmd/go 1.19 reads them (env/gosumdb.tsv). */
class SumdbSettingTest {

    static Stream<Arguments> vectors() {
        return TestData.arguments("env/gosumdb.tsv", Cells::unescape);
    }

    @ParameterizedTest(name = "GOSUMDB={0}")
    @MethodSource("vectors")
    void parsesLikeCmdGo(String gosumdb, String status, String want) throws GoModException {
        switch (status) {
            case "error" -> {
                GoModException e = assertThrows(GoModException.class, () -> SumdbSetting.parse(gosumdb));
                assertEquals(want, e.getMessage());
                assertEquals(GoModException.Kind.INVALID_SETTING, e.kind());
            }
            case "off" -> assertTrue(SumdbSetting.parse(gosumdb).off());
            default -> {
                SumdbSetting s = SumdbSetting.parse(gosumdb);
                assertFalse(s.off());
                assertEquals(want, s.name() + " " + s.key() + " " + s.url());
            }
        }
    }

    @Test
    void unsetMeansSumGolangOrg() throws GoModException {
        SumdbSetting s = SumdbSetting.fromEnvironment(null);
        assertEquals("sum.golang.org", s.name());
        assertEquals(SumdbSetting.SUM_GOLANG_ORG_KEY, s.key());
        assertEquals("https://sum.golang.org", s.url());
        assertFalse(s.explicitUrl());
        assertEquals(s, SumdbSetting.fromEnvironment(""));
    }

    @Test
    void chinaAliasUsesExplicitUrl() throws GoModException {
        SumdbSetting s = SumdbSetting.parse("sum.golang.google.cn");
        assertEquals("sum.golang.org", s.name());
        assertEquals("https://sum.golang.google.cn", s.url());
        assertTrue(s.explicitUrl());
    }
}

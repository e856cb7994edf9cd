package dev.modproxy.gomod.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GOPROXY lists as cmd/go 1.19 reads them (env/goproxy.tsv). */
class ProxyListTest {

    static Stream<Arguments> vectors() {
        return TestData.arguments("env/goproxy.tsv", Cells::unescape);
    }

    @ParameterizedTest(name = "GOPROXY={0}")
    @MethodSource("vectors")
    void parsesLikeCmdGo(String goproxy, String status, String want) throws GoModException {
        if (status.equals("error")) {
            GoModException e = assertThrows(GoModException.class, () -> ProxyList.parse(goproxy));
            assertEquals(want, e.getMessage());
            assertEquals(GoModException.Kind.INVALID_SETTING, e.kind());
        } else {
            assertEquals(want, render(ProxyList.parse(goproxy).entries()));
        }
    }

    private static String render(List<ProxyEntry> entries) {
        return entries.stream().map(e -> switch (e.kind()) {
            case URL -> e.url() + (e.fallBackOnAnyError() ? " |" : " ,");
            case DIRECT -> "DIRECT";
            case OFF -> "OFF";
        }).collect(Collectors.joining(" ; "));
    }

    @Test
    void unsetMeansDefault() throws GoModException {
        assertEquals(ProxyList.parse(ProxyList.DEFAULT), ProxyList.fromEnvironment(null));
        assertEquals(ProxyList.parse(ProxyList.DEFAULT), ProxyList.fromEnvironment(""));
    }

    @Test
    void resolveDropsOneTrailingSlash() throws GoModException {
        ProxyEntry e = ProxyList.parse("https://p.example/base/").entries().get(0);
        assertEquals("https://p.example/base/golang.org/x/text/@v/list",
                e.resolve("golang.org/x/text/@v/list"));
        assertTrue(ProxyList.parse("off").endsWithOff());
    }
}

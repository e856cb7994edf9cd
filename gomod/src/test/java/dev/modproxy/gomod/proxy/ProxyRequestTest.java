package dev.modproxy.gomod.proxy;

import dev.modproxy.gomod.GoModException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GOPROXY request paths, parsed or rejected (proxy/requests.tsv). */
class ProxyRequestTest {

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/proxy/requests.tsv", delimiter = '\t', commentCharacter = '#', quoteCharacter = '\u0001')
    void parsesOrRejects(String raw, String want) {
        if (want.startsWith("ERR ")) {
            GoModException e = assertThrows(GoModException.class, () -> ProxyRequest.parse(raw));
            assertTrue(e.getMessage().contains(want.substring(4)), () -> "message: " + e.getMessage());
            assertTrue(e.getMessage().indexOf('\n') < 0, "one line");
            return;
        }
        String[] f = want.split(" ");
        ProxyRequest r = assertDoesNotThrow(raw);
        assertEquals(f[0], r.type().name());
        assertEquals(f[1], r.module().value());
        assertEquals(f[2].equals("-") ? null : f[2], r.version());
    }

    @Test
    void queriesAreOnlyForInfo() throws GoModException {
        assertTrue(ProxyRequest.parse("example.com/m/@v/master.info").isQuery());
        assertTrue(ProxyRequest.parse("example.com/m/@v/v1.2.info").isQuery());
        assertEquals("example.com/m@v1.2.0", ProxyRequest.parse("example.com/m/@v/v1.2.0.info").moduleVersion().toString());
    }

    /**
     * Semver that does not fit the path is a query on .info (answered with the +incompatible
     * version, or not found), never a 400: go sends it (cmd/go modfetch proxyRepo.Stat, go 1.13
     * to today) and a 400 would not even fall through to the next proxy.
     */
    @Test
    void semverThatDoesNotFitThePathIsAnInfoQuery() throws GoModException {
        assertTrue(ProxyRequest.parse("github.com/docker/docker/@v/v20.10.0.info").isQuery());
        assertTrue(ProxyRequest.parse("example.com/x/v2/@v/v1.0.0.info").isQuery());
        assertTrue(!ProxyRequest.parse("github.com/docker/docker/@v/v20.10.0+incompatible.info").isQuery());
        assertThrows(GoModException.class, () -> ProxyRequest.parse("github.com/docker/docker/@v/v20.10.0.zip"));
    }

    @Test
    void rejectsHugePaths() {
        String huge = "example.com/" + "a".repeat(5000) + "/@v/list";
        GoModException e = assertThrows(GoModException.class, () -> ProxyRequest.parse(huge));
        assertTrue(e.getMessage().startsWith("request path too long"));
    }

    @Test
    void printsTheEscapedForm() throws GoModException {
        assertEquals("github.com/!azure/x/@v/v1.0.0-!r!c1.info",
                ProxyRequest.parse("github.com/!azure/x/@v/v1.0.0-!r!c1.info").toString());
    }

    private static ProxyRequest assertDoesNotThrow(String raw) {
        try {
            return ProxyRequest.parse(raw);
        } catch (GoModException e) {
            throw new AssertionError("rejected " + raw + ": " + e.getMessage());
        }
    }
}

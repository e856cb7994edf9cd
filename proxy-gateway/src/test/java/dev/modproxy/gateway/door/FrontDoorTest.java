package dev.modproxy.gateway.door;

import dev.modproxy.gateway.service.ProxyException;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The door's classification, line by line from the corpus ({@code front-door/targets.tsv}): each
 * canonical target gets exactly its kind, each other spelling the status it is refused with.
 * {@code FrontDoorRequestTest} sends the same corpus through the running gateway.
 */
class FrontDoorTest {

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        return FrontDoorCorpus.read().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            String got;
            try {
                Target t = FrontDoor.classify(HttpMethod.valueOf(c.method()), c.target(), Spelling.decode(c.target()));
                got = t.kind() == Target.Kind.ADMIN ? "ADMIN:" + t.admin().name() : t.kind().name();
            } catch (ProxyException e) {
                got = Integer.toString(e.status());
                assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), e.getMessage());
            }
            assertEquals(c.expected(), got, c.toString());
        }));
    }

    @Test
    void everyAdminEndpointIsInTheCorpus() throws IOException {
        var corpus = FrontDoorCorpus.read();
        for (AdminEndpoint e : AdminEndpoint.values()) {
            assertTrue(corpus.stream().anyMatch(c -> c.expected().equals("ADMIN:" + e.name())), e.name());
        }
    }

    @Test
    void decodedPathsKeepTheirMeaning() throws ProxyException {
        assertEquals("/github.com/!burnt!sushi/toml/@v/list", Spelling.decode("/github.com/%21burnt%21sushi/toml/@v/list"));
        assertEquals("/api/v1/modules/example.com/é", Spelling.decode("/api/v1/modules/example.com/%C3%A9"));
        ProxyException e = assertThrows(ProxyException.class, () -> Spelling.decode("/x/%C3"));
        assertEquals("malformed request target: the path is not valid UTF-8 once decoded", e.getMessage());
    }

    @Test
    void targetsOtherThanAPathAreRefused() {
        for (String raw : new String[] {"", "*", "http://example.com/api/v1/audit", "api/v1/audit"}) {
            assertThrows(ProxyException.class, () -> Spelling.decode(raw), raw);
        }
    }
}

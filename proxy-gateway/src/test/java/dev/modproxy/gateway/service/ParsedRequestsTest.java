package dev.modproxy.gateway.service;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.proxy.ProxyRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParsedRequestsTest {

    @Test
    void aPathParsesOnceAndAsProxyRequestParsesIt() throws Exception {
        String path = "github.com/!burnt!sushi/toml/@v/v1.2.0.info";
        ParsedRequests.Parsed first = ParsedRequests.parse(path);
        assertSame(first, ParsedRequests.parse(path), "remembered");
        ProxyRequest direct = ProxyRequest.parse(path);
        assertEquals(direct, first.request());
        assertEquals(direct.toString(), first.key());
        assertFalse(first.answer(), ".info of a canonical version is an artifact");
        assertTrue(ParsedRequests.parse("github.com/pkg/errors/@v/list").answer());
        assertTrue(ParsedRequests.parse("github.com/pkg/errors/@v/master.info").answer(), "a query is an answer");
    }

    @Test
    void badPathsFailEveryTime() {
        for (int i = 0; i < 2; i++) {
            assertThrows(GoModException.class, () -> ParsedRequests.parse("github.com/UPPER/../x/@v/list"));
        }
    }
}

package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.testing.RawHttp;
import dev.modproxy.gateway.support.RecordingBlobStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input is refused at the edge: 400, one line of text/plain saying why, never a 500, and
 * neither storage nor a fetcher is touched. Cases: rest/bad-requests.tsv.
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
class BadRequestTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RecordingBlobStore store;

    @FakeFetchers.Fetchers
    FakeFetchers fetchers;

    @BeforeEach
    void reset() {
        store.clear();
        fetchers.clear();
    }

    static Stream<Arguments> badRequests() throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                BadRequestTest.class.getResourceAsStream("/rest/bad-requests.tsv")), StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("\t", 2))
                    .map(f -> Arguments.of(f[0], f[1]))
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refused(String target, String reason) throws IOException {
        for (String method : new String[] {"GET", "HEAD"}) {
            RawHttp.Response r = RawHttp.send(base.getPort(), method, target);
            assertEquals(400, r.status(), method + " " + target + ": " + r.text());
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"), r.headers() + r.text());
            if (method.equals("GET")) {
                assertOneLine(r.text());
                assertTrue(r.text().contains(reason), "reason " + r.text() + " should contain " + reason);
            }
        }
        assertEquals(java.util.List.of(), store.accessed(), "storage touched by " + target);
        assertEquals(java.util.List.of(), fetchers.seen(), "fetcher asked by " + target);
    }

    @Test
    void hugePathIsRefusedWithoutStorage() throws IOException {
        String target = "/example.com/" + "a".repeat(3000) + "/@v/list";
        RawHttp.Response r = RawHttp.send(base.getPort(), "GET", target);
        assertEquals(400, r.status());
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertOneLine(r.text());
        assertTrue(r.text().contains("too long"), r.text());
        assertEquals(java.util.List.of(), store.accessed());
    }

    @Test
    void onlyGetAndHeadAreAllowed() throws IOException {
        RawHttp.Response r = RawHttp.send(base.getPort(), "DELETE", "/example.com/x/@v/v1.0.0.zip");
        assertEquals(405, r.status());
        assertEquals("GET, HEAD", r.header("Allow"));
        assertOneLine(r.text());
        assertEquals(java.util.List.of(), store.accessed());
    }

    @Test
    void reservedPrefixesAreLeftToTheirOwners() throws IOException {
        assertEquals(200, RawHttp.send(base.getPort(), "GET", "/q/health/live").status());
        for (String target : new String[] {"/api/v1/nothing-here", "/sumdb/sum.golang.org/supported", "/api", "/q"}) {
            RawHttp.Response r = RawHttp.send(base.getPort(), "GET", target);
            assertFalse(r.status() == 400 && r.text().contains("module proxy"), target + " was taken by the GOPROXY route");
        }
        assertEquals(java.util.List.of(), store.accessed());
    }

    static void assertOneLine(String body) {
        assertTrue(body.endsWith("\n"), "body ends with a newline: " + body);
        assertEquals(-1, body.substring(0, body.length() - 1).indexOf('\n'), "one line: " + body);
        assertFalse(body.contains("Exception"), body);
    }
}

package dev.modproxy.audit.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static dev.modproxy.testing.InternalCalls.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed query parameters get a 400 with a one-line text/plain reason, never a 500. */
@QuarkusTest
class BadQueryTest {

    private static final String[][] CASES = {
            {"since=yesterday", "since: \"yesterday\" is not an RFC 3339 date-time"},
            {"until=2024-01-01", "until: \"2024-01-01\" is not an RFC 3339 date-time"},
            {"since=2024-01-01T00:00:00", "since: \"2024-01-01T00:00:00\" is not an RFC 3339"},
            {"since=2024-01-02T00:00:00Z&until=2024-01-01T00:00:00Z", "since must be before until"},
            {"status=abc", "status: \"abc\" is not a number"},
            {"status=99", "status: 99 is not an HTTP status"},
            {"kind=tarball", "kind: \"tarball\" is not one of"},
            {"limit=0", "limit: must be from 1 to 1000"},
            {"limit=1001", "limit: must be from 1 to 1000"},
            {"limit=ten", "limit: \"ten\" is not a number"},
            {"cursor=!!!", "cursor: not a cursor"},
            {"cursor=bm90LWEtY3Vyc29y", "cursor: not a cursor"},
            {"format=xml", "format: \"xml\" is not json or ndjson"},
            {"module=a.example/x&modulePrefix=a.example", "module and modulePrefix exclude each other"},
            {"module=", "module: \"\" is not a module path"},
            {"modulePrefix=/abs", "modulePrefix: \"/abs\" is not a module path"},
            {"client=", "client: empty"},
            {"module=a&module=b", "module: given more than once"},
            {"modul=a.example/x", "unknown parameter \"modul\""},
    };

    @Test
    void malformedParametersAre400sWithAReason() {
        for (String[] c : CASES) {
            Response r = given().urlEncodingEnabled(false).get("/api/v1/audit?" + c[0]);
            String body = r.asString();
            assertEquals(400, r.statusCode(), c[0] + " -> " + body);
            assertTrue(r.contentType().startsWith("text/plain"), c[0] + " -> " + r.contentType());
            assertTrue(body.startsWith(c[1]), c[0] + " -> " + body);
            assertFalse(body.strip().contains("\n"), c[0] + " -> " + body);
        }
    }

    @Test
    void badPercentEncodingIsA400Too() throws Exception {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(("GET /api/v1/audit?since=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            // The HTTP layer refuses this before the resource sees it (an empty 400): still no 500.
        }
    }

    @Test
    void aWellFormedQueryWithNoMatchesIsAnEmptyPage() {
        Response r = given().urlEncodingEnabled(false).get("/api/v1/audit?module=nothing.example/none&since=2020-01-01T00:00:00Z&until=2020-01-02T00:00:00%2B02:00");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("{\"events\":[],\"next\":null}", r.asString());
    }
}

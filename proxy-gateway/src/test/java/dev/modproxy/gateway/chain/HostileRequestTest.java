package dev.modproxy.gateway.chain;

import dev.modproxy.gateway.auth.AccessTest;
import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.testing.RawHttp;
import dev.modproxy.gateway.support.RecordingBlobStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile requests through the whole chain with authentication and policy on: huge headers,
 * overlong paths and queries, random request targets and Authorization headers (seeded, so a
 * failure repeats), and slow clients. Nothing may answer 500 or hang, and storage is only
 * ever asked for module keys.
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
@TestProfile(HostileRequestTest.Hostile.class)
class HostileRequestTest {

    public static class Hostile extends AccessTest.Secured {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(super.getConfigOverrides());
            c.put("quarkus.http.idle-timeout", "2s");
            return c;
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Inject
    RecordingBlobStore store;

    /** Sends raw bytes; returns the status, or 0 if the server closed without answering. */
    int send(byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException e) {
                return 0; // the server gave up on us first: fine
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                    line.write(c);
                }
            } catch (SocketException e) {
                return 0;
            }
            String status = line.toString(StandardCharsets.ISO_8859_1);
            return status.length() >= 12 ? Integer.parseInt(status.substring(9, 12)) : 0;
        }
    }

    int get(String target, String... headers) throws IOException {
        StringBuilder b = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return send(b.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void oversizedRequests() throws IOException {
        assertEquals(431, get("/example.com/x/@v/list", "X-Big: " + "a".repeat(20_000)));
        assertEquals(431, get("/example.com/x/@v/list", "Authorization: Basic " + "QUFB".repeat(5_000)));
        int longLine = get("/" + "a/".repeat(5000) + "@v/list");
        assertTrue(longLine == 414 || longLine == 400, "overlong request line: " + longLine);
        assertEquals(414, get("/example.com/x/@v/list?" + "q=1&".repeat(300)));
        assertEquals(414, get("/example.com/" + "a".repeat(4100) + "/@v/list"));
    }

    @Test
    void aTargetThatCannotBeDecodedGetsAOneLineReason() throws IOException {
        for (String target : new String[] {"/%zz", "/example.com/%zz/@v/list", "/example.com/a/@v/v1.0.0%2.info",
                "/api/v1/%zz", "/q/health/%", "/sumdb/%zz"}) {
            RawHttp.Response r = RawHttp.send(base.getPort(), "GET", target);
            assertEquals(400, r.status(), target);
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"), target);
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertTrue(body.startsWith("malformed request target: ") && body.indexOf('\n') == body.length() - 1,
                    target + " -> " + body);
        }
    }

    @Test
    void randomTargetsAndCredentials() throws IOException {
        Random random = new Random(7);
        String alphabet = "/%.@!:+-_~aAzZ09vV\u00e9\u00ff\u0100";
        String[] pieces = {"/", "..", "%2e", "%2f", "%2F", "%00", "%ff", "%c0%ae", "@v", "@latest", "list", ".info",
                ".zip", "v1.0.0", "!", "corp.example.com", "example.com", "%", "%%", "\\", "?", "#", ";"};
        for (int i = 0; i < 300; i++) {
            StringBuilder target = new StringBuilder("/");
            int parts = 1 + random.nextInt(12);
            for (int p = 0; p < parts; p++) {
                if (random.nextBoolean()) {
                    target.append(pieces[random.nextInt(pieces.length)]);
                } else {
                    target.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            byte[] auth = new byte[random.nextInt(40)];
            random.nextBytes(auth);
            String header = "Authorization: " + (random.nextBoolean() ? "Basic " : "Bearer ")
                    + java.util.Base64.getEncoder().encodeToString(auth);
            byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + header + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            int status = send(request);
            assertTrue(status == 0 || status >= 400 && status < 500, target + " -> " + status);
        }
        assertTrue(store.accessed().stream().allMatch(k -> k.startsWith("modules/")), store.accessed().toString());
    }

    @Test
    void slowClientsAreCutOff() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
            s.setSoTimeout(8_000);
            s.getOutputStream().write("GET /example.com/x/@v/list HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            int read;
            try {
                read = s.getInputStream().read();
            } catch (SocketException e) {
                read = -1;
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertEquals(-1, read, "the server answered a request it never fully got");
            assertTrue(waited < 6_000, "slow client held the connection " + waited + " ms");
        }
        assertEquals(200, get("/q/health/live"));
    }
}

package dev.modproxy.gateway.client;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything the gateway asks of modproxy's other services carries the service credential (the
 * test profile's current token), and a service that refuses it is a 502 that says so, never a 401
 * the go command would take as a question for its user's credentials. One loopback server plays
 * fetcher-service, sumdb-service and audit-service and records the Authorization header of each
 * request.
 */
@QuarkusTest
@QuarkusTestResource(value = ServiceCredentialSentTest.Services.class, restrictToAnnotatedClass = true)
class ServiceCredentialSentTest {

    static final String SENT = "Bearer test-token-current-0123456789";

    public static class Services implements QuarkusTestResourceLifecycleManager {
        /** "path Authorization" of every request, oldest first. */
        static final List<String> SEEN = new CopyOnWriteArrayList<>();
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", ex -> {
                String path = ex.getRequestURI().getPath();
                SEEN.add(path + " " + ex.getRequestHeaders().getFirst("Authorization"));
                int status = 200;
                String body = "";
                if (path.contains("refused")) {
                    status = 401;
                    body = "service credential not accepted\n";
                } else if (path.startsWith("/internal/v1/fetch/")) {
                    body = "v1.0.0\n";
                } else if (path.equals("/api/v1/sumdb/verifier-key")) {
                    body = "sum.test+0123abcd+AQ\n";
                }
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
                ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
                ex.getResponseBody().write(b);
                ex.close();
            });
            server.start();
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            return Map.of("modproxy.fetcher.endpoints", url, "modproxy.sumdb.endpoint", url,
                    "modproxy.audit.endpoint", url);
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @Inject
    SumdbServiceClient sumdb;

    @Inject
    AuditClient audit;

    @BeforeEach
    void clear() {
        Services.SEEN.clear();
    }

    @Test
    void fetchesForwardsAndOwnQuestionsCarryTheCredential() throws Exception {
        given().get("/example.com/sent/@v/list").then().statusCode(200).body(equalTo("v1.0.0\n"));
        given().get("/sumdb/sum.golang.org/supported").then().statusCode(200);
        given().get("/api/v1/audit?module=example.com/sent").then().statusCode(200);
        assertEquals("sum.test+0123abcd+AQ", sumdb.verifierKey());
        assertTrue(audit.downloads("example.com/sent").available());

        List<String> seen = Services.SEEN.stream().filter(s -> !s.startsWith("/q/")).toList();
        assertEquals(List.of("/internal/v1/fetch/example.com/sent/@v/list " + SENT,
                "/sumdb/sum.golang.org/supported " + SENT,
                "/api/v1/audit " + SENT,
                "/api/v1/sumdb/verifier-key " + SENT,
                "/api/v1/audit " + SENT), seen);
    }

    @Test
    void aServiceThatRefusesTheCredentialIsA502ThatSaysSo() {
        given().get("/sumdb/sum.golang.org/lookup/example.com/refused@v1.0.0").then().statusCode(502)
                .contentType(startsWith("text/plain"))
                .body(containsString("refused the gateway's service credential: service credential not accepted"));
        given().get("/example.com/refused/@v/list").then().statusCode(502)
                .contentType(startsWith("text/plain"))
                .body(containsString("answered 401: service credential not accepted"));
        assertFalse(Services.SEEN.isEmpty());
    }
}

package dev.modproxy.sumdb.service;

import com.sun.net.httpserver.HttpServer;
import dev.modproxy.gomod.note.NoteKeys;
import dev.modproxy.gomod.tlog.Record;
import dev.modproxy.gomod.tlog.Tile;
import dev.modproxy.storage.fs.FsBlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static dev.modproxy.testing.InternalCalls.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Verification against a real upstream checksum database on loopback: a sumdb protocol server
 * over {@link TransparencyLog}s signed with one key, which can be switched to a forked log.
 */
@QuarkusTest
@QuarkusTestResource(value = UpstreamDatabaseTest.Upstream.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpstreamDatabaseTest {

    static final String H1 = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    static final String H2 = "h1:Tsy+3gLk0yXA9ZlCuB6bnkPpNlo9f6nYM+NsXRvu5Q4=";

    /** The upstream: serves {@link #current}; the honest log, or a fork of it with the same key. */
    public static class Upstream implements QuarkusTestResourceLifecycleManager {
        static volatile TransparencyLog current;
        /** Whether a request to the upstream ever carried an Authorization header (it must not). */
        static volatile boolean credentialSent;
        /** Answers served instead of the log's, by path (a broken upstream). */
        static final Map<String, byte[]> override = new java.util.concurrent.ConcurrentHashMap<>();
        static TransparencyLog fork;
        static TransparencyLog honest;
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory("upstream-sumdb");
                NoteKeys.KeyPair keys = NoteKeys.generateKey("sum.up.test");
                honest = new TransparencyLog(new FsBlobStore(dir.resolve("a")), "sum.up.test", keys.signerKey(), keys.verifierKey());
                fork = new TransparencyLog(new FsBlobStore(dir.resolve("b")), "sum.up.test", keys.signerKey(), keys.verifierKey());
                for (int i = 0; i < 300; i++) {
                    honest.append(gosum("example.com/m" + i, H1, H2));
                    fork.append(gosum("example.com/f" + i, H1, H2));
                }
                fork.append(gosum("example.com/late", H1, H2));
                current = honest;
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/", ex -> {
                    if (ex.getRequestHeaders().containsKey("Authorization")) {
                        credentialSent = true;
                    }
                    byte[] body;
                    int status = 200;
                    try {
                        body = serve(ex.getRequestURI().getPath());
                    } catch (Exception e) {
                        status = 404;
                        body = ("not found: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
                    }
                    ex.sendResponseHeaders(status, body.length);
                    ex.getResponseBody().write(body);
                    ex.close();
                });
                server.start();
                return Map.of("modproxy.sumdb.upstream", keys.verifierKey() + " http://127.0.0.1:" + server.getAddress().getPort(),
                        "modproxy.data-dir", dir.resolve("modproxy").toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        static byte[] serve(String path) throws Exception {
            byte[] instead = override.get(path);
            if (instead != null) {
                return instead;
            }
            TransparencyLog log = current;
            if (path.equals("/latest")) {
                return log.latest();
            }
            if (path.startsWith("/lookup/")) {
                String[] mv = path.substring(8).split("@");
                long id = log.lookup(mv[0], mv[1]).orElseThrow();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(Record.format(id, log.readRecord(id).getBytes(StandardCharsets.UTF_8)));
                out.writeBytes(log.latest());
                return out.toByteArray();
            }
            Optional<byte[]> tile = log.readTile(Tile.parse(path.substring(1)));
            return tile.orElseThrow();
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    static String gosum(String module, String zip, String mod) {
        return module + " v1.0.0 " + zip + "\n" + module + " v1.0.0/go.mod " + mod + "\n";
    }

    private static io.restassured.response.ValidatableResponse verify(String module, String zip, String mod) {
        return given().contentType(ContentType.JSON)
                .body("{\"module\":\"" + module + "\",\"version\":\"v1.0.0\",\"zipHash\":\"" + zip + "\",\"modHash\":\"" + mod + "\"}")
                .post("/internal/v1/sumdb/verify").then();
    }

    @Test
    @Order(1)
    void agreeingHashesAreVerifiedWithInclusionAndConsistency() {
        verify("example.com/m7", H1, H2).statusCode(200).body("status", equalTo("ok")).body("recordId", equalTo(7));
        verify("example.com/m299", H1, H2).statusCode(200).body("status", equalTo("ok"));
        assertFalse(Upstream.credentialSent, "the service credential went to an upstream checksum database");
    }

    @Test
    @Order(2)
    void aGoModServedAloneIsVerifiedByItsHashAlone() {
        var modOnly = given().contentType(ContentType.JSON)
                .body("{\"module\":\"example.com/m9\",\"version\":\"v1.0.0\",\"modHash\":\"" + H2 + "\"}")
                .post("/internal/v1/sumdb/verify").then();
        modOnly.statusCode(200).body("status", equalTo("ok"));
        given().contentType(ContentType.JSON)
                .body("{\"module\":\"example.com/m9\",\"version\":\"v1.0.0\",\"modHash\":\"" + H1 + "\"}")
                .post("/internal/v1/sumdb/verify").then()
                .statusCode(409).body(allOf(containsString("checksum mismatch"), containsString("go.mod downloaded: " + H1)));
        // Recording needs both hashes: the own database never holds half a record.
        given().contentType(ContentType.JSON)
                .body("{\"module\":\"example.com/m9\",\"version\":\"v1.0.0\",\"modHash\":\"" + H2 + "\"}")
                .post("/internal/v1/sumdb/record").then().statusCode(400);
    }

    @Test
    @Order(2)
    void disagreeingHashesAreAMismatchNamingBoth() {
        verify("example.com/m8", H2, H2).statusCode(409)
                .body(allOf(containsString("checksum mismatch"), containsString(H1), containsString(H2)));
    }

    @Test
    @Order(3)
    void aModuleTheUpstreamDoesNotKnowIs404AndNosumdbIsSkipped() {
        verify("example.com/unknown", H1, H2).statusCode(404).body(containsString("not found"));
        // modproxy.nosumdb is empty here; a private-looking module is still checked
        verify("corp.example/x", H1, H2).statusCode(404);
    }

    @jakarta.inject.Inject
    dev.modproxy.storage.BlobStore store;

    /**
     * Proxied tiles are authenticated against a signed tree head before they are served or
     * stored: a wrong-sized or altered hash tile, or a data tile whose records do not hash to the
     * log's entries, is a 502 and is not kept; the honest tile is served afterwards. The log has
     * 300 records: tile 8/0/000 is complete, 8/0/001.p/44 the partial tile of its tree.
     */
    @Test
    @Order(3)
    void aProxiedTileIsAuthenticatedBeforeItIsServedOrStored() throws Exception {
        String base = "/sumdb/sum.up.test/";
        byte[] partial = Upstream.honest.readTile(Tile.parse("tile/8/0/001.p/44")).orElseThrow();
        byte[] data = Upstream.honest.readTile(Tile.parse("tile/8/data/000")).orElseThrow();
        try {
            Upstream.override.put("/tile/8/0/001.p/44", java.util.Arrays.copyOf(partial, partial.length - 1));
            given().get(base + "tile/8/0/001.p/44").then().statusCode(502).contentType(containsString("text/plain"))
                    .body(containsString("bad tile/8/0/001.p/44"));
            byte[] altered = partial.clone();
            altered[40] ^= 1;
            Upstream.override.put("/tile/8/0/001.p/44", altered);
            given().get(base + "tile/8/0/001.p/44").then().statusCode(502).body(containsString("inconsistent"));
            byte[] forged = new String(data, StandardCharsets.UTF_8).replace("example.com/m5 ", "example.com/m5x ")
                    .getBytes(StandardCharsets.UTF_8);
            Upstream.override.put("/tile/8/data/000", forged);
            given().get(base + "tile/8/data/000").then().statusCode(502).body(containsString("does not hash"));
        } finally {
            Upstream.override.clear();
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(partial,
                given().get(base + "tile/8/0/001.p/44").then().statusCode(200).extract().asByteArray());
        org.junit.jupiter.api.Assertions.assertArrayEquals(data,
                given().get(base + "tile/8/data/000").then().statusCode(200).extract().asByteArray());
        // The cache keeps complete hash tiles only (bounded by the log): no partial, no data tile, nothing unverified.
        for (var key : store.list("sumdb/upstream/sum.up.test/")) {
            org.junit.jupiter.api.Assertions.assertFalse(key.value().contains("/proxied/") || key.value().contains(".p/")
                    || key.value().contains("/data/"), key.value());
        }
    }

    @Test
    @Order(4)
    void aForkStopsVerificationAndIsNotPaperedOver() {
        Upstream.current = Upstream.fork;
        verify("example.com/late", H1, H2).statusCode(502).body(containsString("forked"));
        verify("example.com/f1", H1, H2).statusCode(502).body(containsString("forked"));
        Upstream.current = Upstream.honest; // the honest log back: still refused until an operator acts
        verify("example.com/m7", H1, H2).statusCode(502).body(containsString("forked"));
        given().get("/q/metrics").then().body(containsString("modproxy_sumdb_upstream_forks_total 1.0"));
    }
}

package dev.modproxy.system;

import com.sun.net.httpserver.HttpServer;
import dev.modproxy.testing.GoCommand;
import dev.modproxy.testing.GoProxyTree;
import dev.modproxy.testing.UpstreamServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checksums end to end, judged by the real {@code go} command: a gateway, a fetcher and
 * modproxy's sumdb-service as processes; a test GOPROXY upstream; and, as the "upstream checksum
 * database", a second sumdb-service with its own key, into which the test records what the
 * upstream's modules must hash to — except for one module, whose upstream zip disagrees. That
 * stand-in is a deployment of its own, with its own service credential; a small loopback server
 * is its public face (what a gateway would be), passing reads on with that credential.
 */
class SumdbIT {

    private static final Instant TIME = Instant.parse("2023-05-06T07:08:09Z");
    private static final String OWN = "sum.modproxy.test";
    private static final String UP = "sum.upstream.test";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path dir;
    private static GoProxyTree tree;
    private static UpstreamServer upstream;
    private static ServiceProcess upstreamDb;
    private static ServiceProcess sumdb;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static ServiceProcess gateway;
    private static Map<String, String> sumdbEnv;
    private static int sumdbPort;
    private static String upstreamKey;
    private static String badZipHash;
    private static String badZipHashUpstream;
    private static ServiceProcess fetcher;
    private static HttpServer upstreamFace;
    /** The stand-in upstream database's own service credential. */
    private static final String UPSTREAM_DB_TOKEN = "upstream-db-" + java.util.UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "sumdb-it");
        tree = new GoProxyTree(dir.resolve("upstream"));
        GoProxyTree.Published pub = tree.add("example.com/pub", "v1.0.0", TIME, lib("example.com/pub", "pub", "Hello"));
        GoProxyTree.Published pub2 = tree.add("example.com/pub", "v1.1.0", TIME, lib("example.com/pub", "pub", "Hello2"));
        GoProxyTree.Published pub3 = tree.add("example.com/pub", "v1.2.0", TIME, lib("example.com/pub", "pub", "Hello3"));
        GoProxyTree.Published bad = tree.add("example.com/bad", "v1.0.0", TIME, lib("example.com/bad", "bad", "Tampered"));
        tree.add("corp.example/priv", "v1.0.0", TIME, lib("corp.example/priv", "priv", "Secret"));
        upstream = new UpstreamServer(tree.root());

        // The upstream checksum database knows the public modules; for example.com/bad it
        // knows other hashes than the upstream proxy's zip has.
        upstreamDb = ServiceProcess.start("sumdb-service", "upstream-sumdb", dir.resolve("logs"), Map.of(
                "MODPROXY_SUMDB_NAME", UP, "MODPROXY_SUMDB_UPSTREAM", "off",
                "MODPROXY_INTERNAL_TOKEN", UPSTREAM_DB_TOKEN,
                "MODPROXY_DATA_DIR", dir.resolve("upstream-sumdb").toString()));
        services.add(upstreamDb);
        record(upstreamDb, pub.mv().path().value(), pub.mv().version(), pub.zipHash(), pub.modHash());
        record(upstreamDb, pub2.mv().path().value(), pub2.mv().version(), pub2.zipHash(), pub2.modHash());
        record(upstreamDb, pub3.mv().path().value(), pub3.mv().version(), pub3.zipHash(), pub3.modHash());
        for (String v : List.of("v1.0.0", "v1.1.0")) { // only the restart test asks for these
            GoProxyTree.Published r = tree.add("example.com/restart", v, TIME, lib("example.com/restart", "restart", v));
            record(upstreamDb, r.mv().path().value(), v, r.zipHash(), r.modHash());
        }
        badZipHash = bad.zipHash();
        badZipHashUpstream = pub.zipHash();
        record(upstreamDb, bad.mv().path().value(), bad.mv().version(), pub.zipHash(), bad.modHash());
        upstreamFace = publicFace(upstreamDb.url(), "Bearer " + UPSTREAM_DB_TOKEN);
        String upstreamFaceUrl = "http://127.0.0.1:" + upstreamFace.getAddress().getPort();
        upstreamKey = get(upstreamFaceUrl + "/api/v1/sumdb/verifier-key").body().strip();
        String upstreamSetting = upstreamKey + " " + upstreamFaceUrl + "/sumdb/" + UP;

        Path storage = dir.resolve("storage");
        sumdbPort = ServiceProcess.freePort();
        fetcher = ServiceProcess.start("fetcher-service", "fetcher", dir.resolve("logs"), Map.of(
                "MODPROXY_UPSTREAM", upstream.url(),
                "MODPROXY_NOSUMDB", "corp.example",
                "MODPROXY_SUMDB_ENDPOINT", "http://127.0.0.1:" + sumdbPort,
                "MODPROXY_SUMDB_UPSTREAM", upstreamSetting,
                "MODPROXY_DATA_DIR", dir.resolve("fetcher").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        services.add(fetcher);
        sumdbEnv = Map.of(
                "MODPROXY_SUMDB_NAME", OWN,
                "MODPROXY_SUMDB_UPSTREAM", upstreamSetting,
                "MODPROXY_NOSUMDB", "corp.example",
                "MODPROXY_FETCHER_ENDPOINTS", fetcher.url(),
                "MODPROXY_DATA_DIR", dir.resolve("sumdb").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString());
        sumdb = ServiceProcess.start("sumdb-service", "sumdb", dir.resolve("logs"), sumdbEnv, sumdbPort);
        gateway = ServiceProcess.start("proxy-gateway", "gateway", dir.resolve("logs"), Map.of(
                "MODPROXY_FETCHER_ENDPOINTS", fetcher.url(),
                "MODPROXY_SUMDB_ENDPOINT", sumdb.url(),
                "MODPROXY_DATA_DIR", dir.resolve("gateway").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        services.add(gateway);
    }

    @AfterAll
    static void stop() {
        services.forEach(ServiceProcess::close);
        if (sumdb != null) {
            sumdb.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (upstreamFace != null) {
            upstreamFace.stop(0);
        }
    }

    private static Map<String, byte[]> lib(String module, String pkg, String value) {
        return Map.of(
                "go.mod", ("module " + module + "\n\ngo 1.19\n").getBytes(StandardCharsets.UTF_8),
                pkg + ".go", ("package " + pkg + "\n\nconst Value = \"" + value + "\"\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void record(ServiceProcess db, String module, String version, String zip, String mod) throws Exception {
        String body = "{\"module\":\"" + module + "\",\"version\":\"" + version + "\",\"zipHash\":\"" + zip
                + "\",\"modHash\":\"" + mod + "\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(db.url() + "/internal/v1/sumdb/record"))
                .header("Authorization", "Bearer " + UPSTREAM_DB_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** A loopback server passing GETs on to {@code target} with {@code authorization}, the way a gateway forwards. */
    private static HttpServer publicFace(String target, String authorization) throws Exception {
        HttpServer face = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        face.createContext("/", ex -> {
            try {
                HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(target + ex.getRequestURI().getRawPath()))
                        .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofByteArray());
                ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                ex.getResponseBody().write(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
            } finally {
                ex.close();
            }
        });
        face.start();
        return face;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String ownKey() throws Exception {
        HttpResponse<String> r = get(gateway.url() + "/api/v1/sumdb/verifier-key");
        assertEquals(200, r.statusCode(), r.body());
        return r.body().strip();
    }

    /** go with GOSUMDB at modproxy's own database, nothing exempt from checking. */
    private static GoCommand goWithOwnDb(String home) throws Exception {
        return new GoCommand(dir.resolve(home), gateway.url())
                .env("GOSUMDB", ownKey() + " " + gateway.url() + "/sumdb/" + OWN)
                .env("GONOSUMDB", "").env("GOPRIVATE", "").env("GONOSUMCHECK", null);
    }

    @Test
    void theInternalApisOfThePackagedServicesAnswerOnlyModproxysOwnServices() throws Exception {
        String recordBody = "{\"module\":\"example.com/forged\",\"version\":\"v1.0.0\",\"zipHash\":\""
                + badZipHash + "\",\"modHash\":\"" + badZipHash + "\"}";
        for (String authorization : new String[] {null, "Bearer not-the-service-credential", "Bearer " + UPSTREAM_DB_TOKEN}) {
            HttpRequest.Builder record = HttpRequest.newBuilder(URI.create(sumdb.url() + "/internal/v1/sumdb/record"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(recordBody));
            HttpRequest.Builder fetch = HttpRequest.newBuilder(URI.create(fetcher.url()
                    + "/internal/v1/fetch/example.com/pub/@v/list"));
            HttpRequest.Builder lookup = HttpRequest.newBuilder(URI.create(sumdb.url() + "/sumdb/" + OWN
                    + "/lookup/example.com/pub@v1.0.0"));
            for (HttpRequest.Builder b : List.of(record, fetch, lookup)) {
                if (authorization != null) {
                    b.header("Authorization", authorization);
                }
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, r.statusCode(), r.body());
                assertEquals("Bearer realm=\"modproxy-internal\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
                assertTrue(r.body().endsWith("\n") && r.body().indexOf('\n') == r.body().length() - 1, r.body());
            }
        }
        // The refused record left nothing: the forged version is unknown to the own database.
        HttpResponse<String> lookup = HTTP.send(HttpRequest.newBuilder(URI.create(sumdb.url() + "/sumdb/" + OWN
                + "/lookup/example.com/forged@v1.0.0")).header("Authorization", ServiceProcess.AUTHORIZATION).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, lookup.statusCode(), lookup.body());
        // Probes stay open.
        assertEquals(200, get(sumdb.url() + "/q/health/ready").statusCode());
        assertEquals(200, get(fetcher.url() + "/q/metrics").statusCode());
    }

    @Test
    void goVerifiesPublicAndPrivateModulesAgainstModproxysOwnDatabase() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work-own"));
        Files.writeString(work.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n");
        Files.writeString(work.resolve("main.go"), """
                package main

                import (
                	"fmt"

                	"corp.example/priv"
                	"example.com/pub"
                )

                func main() { fmt.Println(pub.Value, priv.Value) }
                """);
        GoCommand go = goWithOwnDb("go-own");
        go.run(work, "get", "example.com/pub@v1.0.0", "corp.example/priv@v1.0.0").ok();
        go.run(work, "build", "-o", "app", ".").ok();
        assertTrue(Files.isExecutable(work.resolve("app")));
        // go kept what it verified: the tree it trusts and the go.sum lines it checked.
        assertTrue(Files.exists(go.home().resolve("gopath/pkg/sumdb/" + OWN + "/latest")), "go cached the signed tree");
        String sum = Files.readString(work.resolve("go.sum"));
        assertTrue(sum.contains("corp.example/priv v1.0.0 h1:"), sum);
    }

    @Test
    void goFindsTheUpstreamDatabaseThroughTheProxyAndVerifiesThroughIt() throws Exception {
        HttpResponse<String> supported = get(gateway.url() + "/sumdb/" + UP + "/supported");
        assertEquals(200, supported.statusCode(), supported.body());
        assertEquals(404, get(gateway.url() + "/sumdb/sum.unknown.example/supported").statusCode());
        GoCommand go = new GoCommand(dir.resolve("go-upstream"), gateway.url())
                .env("GOSUMDB", upstreamKey).env("GONOSUMCHECK", null);
        Path work = Files.createDirectories(dir.resolve("work-upstream"));
        String out = go.run(work, "mod", "download", "-json", "example.com/pub@v1.1.0").ok().stdout();
        assertTrue(out.contains("\"Sum\""), out);
        // go verified through the database (it has no other way to reach https://sum.upstream.test),
        // with tiles the proxy authenticated first. This log is one partial tile wide: partial tiles
        // are served but not kept (the cache keeps complete hash tiles), and nothing unverified is.
        assertTrue(Files.exists(go.home().resolve("gopath/pkg/sumdb/" + UP + "/latest")), "go verified through the proxy");
        Path tiles = dir.resolve("storage/sumdb/upstream/" + UP);
        try (Stream<Path> s = Files.walk(tiles)) {
            assertTrue(s.noneMatch(p -> p.toString().contains("/proxied/") || p.toString().contains(".p/")),
                    "only complete, authenticated tiles are kept");
        }
    }

    @Test
    void aZipThatDisagreesWithTheUpstreamDatabaseIsNeverStoredAndTheClientSeesWhy() throws Exception {
        GoCommand go = new GoCommand(dir.resolve("go-bad"), gateway.url()); // GOSUMDB off: modproxy alone must refuse
        Path work = Files.createDirectories(dir.resolve("work-bad"));
        GoCommand.Result r = go.run(work, "mod", "download", "example.com/bad@v1.0.0");
        assertNotEquals(0, r.exitCode(), r.stdout());
        assertTrue(r.stderr().contains("checksum mismatch"), r.stderr());
        assertTrue(r.stderr().contains(badZipHash) && r.stderr().contains(badZipHashUpstream), "both hashes: " + r.stderr());
        try (Stream<Path> s = Files.walk(dir.resolve("storage"))) {
            assertFalse(s.anyMatch(p -> p.toString().contains("example.com/bad/@v/v1.0.0.")), "nothing of it stored");
        }
        HttpResponse<String> lookup = get(gateway.url() + "/sumdb/" + OWN + "/lookup/example.com/bad@v1.0.0");
        assertNotEquals(200, lookup.statusCode(), "not recorded either: " + lookup.body());
    }

    @Test
    void restartingTheDatabaseKeepsTheLogAndGoKeepsVerifyingWithItsCachedTree() throws Exception {
        GoCommand go = goWithOwnDb("go-restart");
        Path work = Files.createDirectories(dir.resolve("work-restart"));
        go.run(work, "mod", "download", "example.com/restart@v1.0.0").ok();
        String before = get(gateway.url() + "/sumdb/" + OWN + "/latest").body();

        sumdb.close();
        sumdb = ServiceProcess.start("sumdb-service", "sumdb-restarted", dir.resolve("logs"), sumdbEnv, sumdbPort);

        assertEquals(before, get(gateway.url() + "/sumdb/" + OWN + "/latest").body(), "same tree after restart");
        go.run(work, "mod", "download", "example.com/restart@v1.1.0").ok(); // checks the new tree against the cached one
        String after = get(gateway.url() + "/sumdb/" + OWN + "/latest").body();
        long n0 = Long.parseLong(before.split("\n")[1]);
        long n1 = Long.parseLong(after.split("\n")[1]);
        assertTrue(n1 > n0, "the tree grew: " + n0 + " -> " + n1);
    }
}

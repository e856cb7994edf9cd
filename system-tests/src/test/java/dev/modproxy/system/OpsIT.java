package dev.modproxy.system;

import dev.modproxy.testing.GoCommand;
import dev.modproxy.testing.GoProxyTree;
import dev.modproxy.testing.UpstreamServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operating modproxy, judged by the go command: prefetch, air-gapped bundles, takedown, the
 * catalog and index feed, and the web console in a real headless Chromium.
 *
 * <p>Two whole instances run as processes: A (sumdb, fetcher, gateway) in front of a real upstream
 * proxy, and B (its own sumdb, fetcher, gateway and storage) whose upstream is {@code off} — the
 * air-gapped side, which gets modules only through bundles.
 */
class OpsIT {

    private static final Instant TIME = Instant.parse("2023-05-06T07:08:09Z");
    private static final String DB_A = "sum.a.test";
    private static final String DB_B = "sum.b.test";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path dir;
    private static GoProxyTree tree;
    private static UpstreamServer upstream;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "ops-it");
        tree = new GoProxyTree(dir.resolve("upstream"));
        tree.add("example.com/ops/dep", "v1.0.0", TIME, lib("example.com/ops/dep", "dep", "", "\"dep\""));
        tree.add("example.com/ops/lib", "v1.0.0", TIME, lib("example.com/ops/lib", "lib",
                "require example.com/ops/dep v1.0.0\n", "\"lib+\" + dep.Value"));
        tree.add("example.com/ops/air", "v1.0.0", TIME, lib("example.com/ops/air", "air", "", "\"air\""));
        tree.add("example.com/ops/clash", "v1.0.0", TIME, lib("example.com/ops/clash", "clash", "", "\"clash\""));
        tree.add("example.com/private/inhouse", "v1.0.0", TIME, lib("example.com/private/inhouse", "inhouse", "", "\"in\""));
        tree.add("example.com/ops/takedown", "v1.0.0", TIME, lib("example.com/ops/takedown", "takedown", "", "\"one\""));
        tree.add("example.com/ops/takedown", "v1.1.0", TIME, lib("example.com/ops/takedown", "takedown", "", "\"two\""));
        upstream = new UpstreamServer(tree.root());
        gatewayA = instance("a", DB_A, upstream.url(), Map.of(), Map.of());
        // B trusts A's checksum database for bundles, and takes example.com/private/... as nosumdb.
        String keyA = get(gatewayA.url() + "/api/v1/sumdb/verifier-key").body().strip();
        gatewayB = instance("b", DB_B, "off", Map.of("MODPROXY_NOSUMDB", "example.com/private"),
                Map.of("MODPROXY_BUNDLE_TRUSTED_KEYS", keyA));
    }

    /** sumdb-service, fetcher-service and proxy-gateway over one storage; returns the gateway. */
    private static ServiceProcess instance(String name, String db, String upstreamList, Map<String, String> sumdbEnv,
                                           Map<String, String> gatewayEnv) throws Exception {
        Path storage = dir.resolve(name + "/storage");
        Map<String, String> sumdbAll = new java.util.HashMap<>(sumdbEnv);
        sumdbAll.putAll(Map.of(
                "MODPROXY_SUMDB_UPSTREAM", "off",
                "MODPROXY_SUMDB_NAME", db,
                "MODPROXY_DATA_DIR", dir.resolve(name + "/sumdb").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        ServiceProcess sumdb = ServiceProcess.start("sumdb-service", name + "-sumdb", dir.resolve("logs"), sumdbAll);
        ServiceProcess fetcher = ServiceProcess.start("fetcher-service", name + "-fetcher", dir.resolve("logs"), Map.of(
                "MODPROXY_SUMDB_ENDPOINT", sumdb.url(),
                "MODPROXY_SUMDB_UPSTREAM", "off",
                "MODPROXY_UPSTREAM", upstreamList,
                "MODPROXY_DATA_DIR", dir.resolve(name + "/fetcher").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        Map<String, String> gatewayAll = new java.util.HashMap<>(gatewayEnv);
        gatewayAll.putAll(Map.of(
                "MODPROXY_FETCHER_ENDPOINTS", fetcher.url(),
                "MODPROXY_SUMDB_ENDPOINT", sumdb.url(),
                "MODPROXY_QUARANTINE_REFRESH", "500ms",
                "MODPROXY_DATA_DIR", dir.resolve(name + "/gateway").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        ServiceProcess gateway = ServiceProcess.start("proxy-gateway", name + "-gateway", dir.resolve("logs"), gatewayAll);
        services.add(gateway);
        services.add(fetcher);
        services.add(sumdb);
        return gateway;
    }

    @AfterAll
    static void stop() {
        services.forEach(ServiceProcess::close);
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aPrefetchedModuleGraphDownloadsWithTheUpstreamSwitchedOff() throws Exception {
        String status = prefetch(gatewayA, "module example.com/app\n\ngo 1.19\n\nrequire example.com/ops/lib v1.0.0\n");
        assertTrue(status.contains("\"total\":2") && status.contains("\"stored\":2") && status.contains("\"failed\":0"),
                "lib and, through its go.mod, dep: " + status);

        upstream.failWith(".*", 503, Integer.MAX_VALUE); // switched off: anything asked of it fails
        upstream.resetHits();
        try {
            Path work = Files.createDirectories(dir.resolve("work-prefetch"));
            Files.writeString(work.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n\n"
                    + "require example.com/ops/lib v1.0.0\n\nrequire example.com/ops/dep v1.0.0 // indirect\n");
            Files.writeString(work.resolve("main.go"), "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/ops/lib\"\n)\n\n"
                    + "func main() { fmt.Println(lib.Value) }\n");
            GoCommand go = new GoCommand(dir.resolve("go-prefetch"), gatewayA.url());
            go.run(work, "mod", "download", "all").ok();
            go.run(work, "mod", "tidy").ok();
            go.run(work, "build", "-o", "app", ".").ok();
            assertTrue(Files.isExecutable(work.resolve("app")));
            assertEquals(0, upstream.hits(".*"), "nothing was asked of the upstream");
        } finally {
            upstream.clearFaults();
        }
    }

    @Test
    void anImportedBundleServesOnASecondInstanceWithItsUpstreamOff() throws Exception {
        prefetch(gatewayA, "example.com/ops/air@v1.0.0\n");
        HttpResponse<byte[]> export = HTTP.send(HttpRequest.newBuilder(URI.create(gatewayA.url()
                + "/api/v1/bundles?modules=example.com/ops/air")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, export.statusCode());
        Map<String, byte[]> entries = unzip(export.body());
        assertTrue(entries.containsKey("sumdb/lookup/example.com/ops/air@v1.0.0"), "A's checksum-log entry travels along");

        // The air-gapped side has never seen it, and cannot fetch it.
        assertEquals(404, get(gatewayB.url() + "/example.com/ops/air/@v/v1.0.0.info").statusCode());

        // A bundle whose go.sum disagrees with its files is refused whole.
        Map<String, byte[]> tampered = new LinkedHashMap<>(entries);
        tampered.put("go.sum", new String(entries.get("go.sum"), StandardCharsets.UTF_8)
                .replaceFirst("v1.0.0 h1:.", "v1.0.0 h1:A").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> refused = post(gatewayB.url() + "/api/v1/bundles", zip(tampered));
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("checksum mismatch"), refused.body());

        // So is one whose checksum-log entry's tree head is not what A's database (trusted by B) signed.
        Map<String, byte[]> forged = new LinkedHashMap<>(entries);
        String entry = new String(entries.get("sumdb/lookup/example.com/ops/air@v1.0.0"), StandardCharsets.UTF_8);
        int head = entry.indexOf("\n\n") + 2;
        String[] note = entry.substring(head).split("\n", -1);
        note[2] = (note[2].charAt(0) == 'A' ? "B" : "A") + note[2].substring(1); // the tree hash
        forged.put("sumdb/lookup/example.com/ops/air@v1.0.0",
                (entry.substring(0, head) + String.join("\n", note)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> unsigned = post(gatewayB.url() + "/api/v1/bundles", zip(forged));
        assertEquals(400, unsigned.statusCode(), unsigned.body());
        assertTrue(unsigned.body().contains("bad signature by trusted database") && unsigned.body().contains(DB_A),
                unsigned.body());
        assertEquals(404, get(gatewayB.url() + "/example.com/ops/air/@v/v1.0.0.info").statusCode(), "nothing stored");

        HttpResponse<String> imported = post(gatewayB.url() + "/api/v1/bundles", export.body());
        assertEquals(200, imported.statusCode(), imported.body());
        assertTrue(imported.body().contains("\"stored\":1"), imported.body());

        // go, verifying against B's own checksum database (where the import recorded it), gets it from B.
        String keyB = get(gatewayB.url() + "/api/v1/sumdb/verifier-key").body().strip();
        GoCommand go = new GoCommand(dir.resolve("go-bundle"), gatewayB.url())
                .env("GOSUMDB", keyB + " " + gatewayB.url() + "/sumdb/" + DB_B).env("GONOSUMCHECK", null);
        Path work = Files.createDirectories(dir.resolve("work-bundle"));
        Files.writeString(work.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n");
        Files.writeString(work.resolve("main.go"), "package main\n\nimport \"example.com/ops/air\"\n\nfunc main() { println(air.Value) }\n");
        go.run(work, "get", "example.com/ops/air@v1.0.0").ok();
        go.run(work, "build", "-o", "app", ".").ok();
        String page = get(gatewayB.url() + "/api/v1/modules/example.com/ops/air").body();
        assertTrue(page.contains("\"Origin\":\"bundle "), page);
        assertTrue(page.matches("(?s).*\"RecordId\":\\d+.*"), page);
    }

    @Test
    void aNosumdbModuleIsImportedOnlyWithALogEntryATrustedDatabaseSignedAndProvesIncluded() throws Exception {
        prefetch(gatewayA, "example.com/private/inhouse@v1.0.0\n");
        Map<String, byte[]> entries = unzip(HTTP.send(HttpRequest.newBuilder(URI.create(gatewayA.url()
                + "/api/v1/bundles?modules=example.com/private/inhouse")).build(), HttpResponse.BodyHandlers.ofByteArray()).body());
        String lookup = "sumdb/lookup/example.com/private/inhouse@v1.0.0";
        assertTrue(entries.containsKey(lookup), entries.keySet().toString());
        assertTrue(entries.keySet().stream().anyMatch(k -> k.startsWith("sumdb/tile/8/0/")), "the inclusion proof travels along");

        Map<String, byte[]> bare = new LinkedHashMap<>(entries);
        bare.remove(lookup);
        HttpResponse<String> noEntry = post(gatewayB.url() + "/api/v1/bundles", zip(bare));
        assertEquals(400, noEntry.statusCode(), noEntry.body());
        assertTrue(noEntry.body().contains("matches modproxy.nosumdb here") && noEntry.body().contains("has none"), noEntry.body());

        Map<String, byte[]> unproven = new LinkedHashMap<>(entries);
        unproven.keySet().removeIf(k -> k.startsWith("sumdb/tile/"));
        HttpResponse<String> noProof = post(gatewayB.url() + "/api/v1/bundles", zip(unproven));
        assertEquals(400, noProof.statusCode(), noProof.body());
        assertTrue(noProof.body().contains("no inclusion proof"), noProof.body());
        assertEquals(404, get(gatewayB.url() + "/example.com/private/inhouse/@v/v1.0.0.info").statusCode(), "nothing stored");

        HttpResponse<String> imported = post(gatewayB.url() + "/api/v1/bundles", zip(entries));
        assertEquals(200, imported.statusCode(), imported.body());
        assertEquals(200, get(gatewayB.url() + "/example.com/private/inhouse/@v/v1.0.0.info").statusCode());
    }

    @Test
    void anImportThatFindsADifferentStoredFileRefusesIt() throws Exception {
        prefetch(gatewayA, "example.com/ops/clash@v1.0.0\n");
        byte[] bundle = HTTP.send(HttpRequest.newBuilder(URI.create(gatewayA.url()
                + "/api/v1/bundles?modules=example.com/ops/clash")).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        // B holds another go.mod for the version (stored files are immutable: the first one stays).
        Path mod = dir.resolve("b/storage/modules/example.com/ops/clash/@v/v1.0.0.mod");
        Files.createDirectories(mod.getParent());
        Files.writeString(mod, "module example.com/ops/clash\n\ngo 1.21\n");
        HttpResponse<String> r = post(gatewayB.url() + "/api/v1/bundles", bundle);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("example.com/ops/clash@v1.0.0: its .mod differs from the one stored here"), r.body());
        assertEquals(404, get(gatewayB.url() + "/example.com/ops/clash/@v/v1.0.0.info").statusCode(), "nothing stored");
    }

    @Test
    void aQuarantinedVersionMakesGoGetPrintTheReasonUntilItIsReleased() throws Exception {
        prefetch(gatewayA, "example.com/ops/takedown@v1.1.0\n");
        String reason = "CVE-2030-1234: do not use, upgrade to v1.2.0";
        HttpResponse<String> q = post(gatewayA.url() + "/api/v1/quarantine/example.com/ops/takedown@v1.1.0",
                reason.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, q.statusCode(), q.body());

        Path work = Files.createDirectories(dir.resolve("work-takedown"));
        Files.writeString(work.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n");
        GoCommand go = new GoCommand(dir.resolve("go-takedown"), gatewayA.url());
        GoCommand.Result r = go.run(work, "get", "example.com/ops/takedown@v1.1.0");
        assertNotEquals(0, r.exitCode(), r.stdout());
        // 403, never 410: go would fall through to a next GOPROXY entry on 404/410.
        assertTrue(r.stderr().contains("403 Forbidden") && r.stderr().contains("quarantined: " + reason), r.stderr());
        assertTrue(Files.exists(dir.resolve("a/storage/modules/example.com/ops/takedown/@v/v1.1.0.zip")), "kept in storage");

        go.run(work, "get", "example.com/ops/takedown@latest").ok();
        assertTrue(Files.readString(work.resolve("go.mod")).contains("example.com/ops/takedown v1.0.0"),
                "latest skips the quarantined version: " + Files.readString(work.resolve("go.mod")));

        HttpResponse<String> release = HTTP.send(HttpRequest.newBuilder(URI.create(gatewayA.url()
                + "/api/v1/quarantine/example.com/ops/takedown@v1.1.0")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, release.statusCode(), release.body());
        go.run(work, "get", "example.com/ops/takedown@v1.1.0").ok();
    }

    @Test
    void theIndexFeedAndModulePagesDescribeWhatWasFetched() throws Exception {
        prefetch(gatewayA, "example.com/ops/lib@v1.0.0\n");
        String feed = get(gatewayA.url() + "/index?since=2000-01-01T00:00:00Z").body();
        List<String> lines = feed.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches(
                "\\{\"Path\":\"example.com/ops/lib\",\"Version\":\"v1.0.0\",\"Timestamp\":\"20\\d\\d-[^\"]+Z\"}")), feed);
        String page = get(gatewayA.url() + "/api/v1/modules/example.com/ops/lib").body();
        String zipHash = tree.published().stream().filter(p -> p.mv().path().value().equals("example.com/ops/lib"))
                .findFirst().orElseThrow().zipHash();
        assertTrue(page.contains("\"ZipHash\":\"" + zipHash + "\""), page);
        assertTrue(page.contains("\"Origin\":\"" + upstream.url()), page);
        assertTrue(page.matches("(?s).*\"RecordId\":\\d+.*"), page);
        assertTrue(page.contains("\"DownloadsUnavailable\":\"audit-service at "), page);
        String catalog = get(gatewayA.url() + "/catalog?q=example.com/ops/").body();
        assertTrue(catalog.contains("{\"Path\":\"example.com/ops/lib\",\"Version\":\"v1.0.0\"}"), catalog);
    }

    /**
     * The console in Debian's Chromium, driven by Playwright (system-tests/test-tools): search,
     * open a module, run an audit query, health, client settings. Screenshots of every step are
     * kept in target/console-screenshots/.
     */
    @Test
    void theConsoleWorksInARealBrowser() throws Exception {
        prefetch(gatewayA, "example.com/ops/lib@v1.0.0\n");
        Path root = Path.of(System.getProperty("modproxy.root", "..")).toAbsolutePath();
        Path tools = root.resolve("system-tests/test-tools");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium is missing: apt-get install -y chromium");
        if (!Files.isDirectory(tools.resolve("node_modules/playwright-core"))) {
            run(tools, List.of("npm", "install", "--no-audit", "--no-fund"), "npm (install node and npm)");
        }
        Path shots = root.resolve("system-tests/target/console-screenshots");
        String out = run(tools, List.of("node", tools.resolve("console-test.mjs").toString(),
                gatewayA.url(), shots.toString(), "example.com/ops/lib", "example.com/ops"), "node (install nodejs)");
        assertTrue(out.contains("console test passed"), out);
        assertTrue(Files.exists(shots.resolve("03-module.png")) && Files.exists(shots.resolve("04-audit.png")), "screenshots kept");
    }

    private static String run(Path dir, List<String> cmd, String what) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError(what + " is missing: " + e.getMessage());
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", cmd) + " did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + text);
        return text;
    }

    /** Starts a prefetch and waits for it; returns its final status JSON. */
    private static String prefetch(ServiceProcess gateway, String body) throws Exception {
        HttpResponse<String> r = post(gateway.url() + "/api/v1/prefetch", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        URI poll = URI.create(gateway.url()).resolve(location);
        for (int i = 0; i < 600; i++) {
            String status = get(poll.toString()).body();
            if (status.contains("\"state\":\"done\"")) {
                assertTrue(status.contains("\"failed\":0"), status);
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prefetch did not finish: " + get(poll.toString()).body());
    }

    private static Map<String, byte[]> lib(String module, String pkg, String requires, String value) {
        String imports = value.contains("dep.") ? "import \"example.com/ops/dep\"\n\n" : "";
        return Map.of(
                "go.mod", ("module " + module + "\n\ngo 1.19\n" + (requires.isEmpty() ? "" : "\n" + requires))
                        .getBytes(StandardCharsets.UTF_8),
                pkg + ".go", ("package " + pkg + "\n\n" + imports + "const Value = " + value + "\n")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                out.put(e.getName(), z.readAllBytes());
            }
        }
        return out;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
            }
        }
        return out.toByteArray();
    }
}

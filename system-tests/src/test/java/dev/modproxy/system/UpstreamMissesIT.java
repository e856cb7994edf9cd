package dev.modproxy.system;

import dev.modproxy.testing.GoCommand;
import dev.modproxy.testing.GoProxyTree;
import dev.modproxy.testing.UpstreamServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the upstream does not have, and the header that forbids asking it: two fetchers (each
 * module goes to one of them) and one gateway over shared storage, in front of a real upstream
 * proxy ({@link UpstreamServer}) that counts every request it gets.
 * <ul>
 *   <li>Negative caching: "not found" from the whole chain is remembered (markers in storage),
 *       so 1,000 requests for missing paths cost the upstream one request per path; the
 *       {@code go} command's second {@code go get} of a deep missing import path asks the
 *       upstream nothing; the admin API forgets, and a fetch of the module forgets.</li>
 *   <li>{@code Disable-Module-Fetch: true}: a miss is 404 with the reason, the upstream is not
 *       asked; what is stored is served.</li>
 * </ul>
 * The gateway's per-client and per-module rate limits are off here: the test sends a thousand
 * requests from one address for a few modules on purpose.
 */
class UpstreamMissesIT {

    private static final Instant TIME = Instant.parse("2024-05-06T07:08:09Z");

    private static Path dir;
    private static GoProxyTree tree;
    private static UpstreamServer upstream;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static ServiceProcess gateway;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "upstream-misses-it");
        tree = new GoProxyTree(dir.resolve("tree"));
        tree.add("example.com/present", "v1.0.0", TIME, Map.of("p.go", "package present\n".getBytes(StandardCharsets.UTF_8)));
        upstream = new UpstreamServer(tree.root());
        Path storage = dir.resolve("storage");
        ServiceProcess sumdb = ServiceProcess.start("sumdb-service", "sumdb", dir.resolve("logs"), Map.of(
                "MODPROXY_SUMDB_UPSTREAM", "off",
                "MODPROXY_DATA_DIR", dir.resolve("sumdb").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        services.add(sumdb);
        List<String> fetchers = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            ServiceProcess f = ServiceProcess.start("fetcher-service", "fetcher" + i, dir.resolve("logs"), Map.of(
                    "MODPROXY_SUMDB_ENDPOINT", sumdb.url(),
                    "MODPROXY_SUMDB_UPSTREAM", "off",
                    "MODPROXY_UPSTREAM", upstream.url(),
                    "MODPROXY_DATA_DIR", dir.resolve("fetcher" + i).toString(),
                    "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
            services.add(f);
            fetchers.add(f.url());
        }
        gateway = ServiceProcess.start("proxy-gateway", "gateway", dir.resolve("logs"), Map.of(
                "MODPROXY_FETCHER_ENDPOINTS", String.join(",", fetchers),
                "MODPROXY_QOS_PER_CLIENT_RPS", "0",
                "MODPROXY_QOS_PER_MODULE_COLD_BURST", "100000",
                "MODPROXY_QOS_PER_MODULE_COLD_RPS", "100000",
                "MODPROXY_DATA_DIR", dir.resolve("gateway").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        services.add(gateway);
    }

    @AfterAll
    static void stop() {
        services.forEach(ServiceProcess::close);
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aThousandRequestsForMissingPathsCostTheUpstreamOneRequestPerPath() throws Exception {
        List<String> paths = new ArrayList<>();
        for (int m = 0; m < 10; m++) {
            paths.add("/example.com/missing" + m + "/@v/list");
            paths.add("/example.com/missing" + m + "/@v/v1.0.0.info");
            paths.add("/example.com/present/@v/v1.9." + m + ".info");
            paths.add("/example.com/present/@v/v1.8." + m + ".mod");
            paths.add("/example.com/present/@v/nobranch" + m + ".info");
        }
        for (int i = 0; i < 1000; i++) {
            String p = paths.get(i % paths.size());
            HttpResponse<String> r = get(p);
            assertTrue(r.statusCode() == 404 || r.statusCode() == 410, p + ": " + r.statusCode() + " " + r.body());
        }
        for (String p : paths) {
            assertEquals(1, upstream.hits(java.util.regex.Pattern.quote(p)), p + " asked of the upstream");
        }
        assertTrue(negativeAnswers() >= 1000 - paths.size(), "modproxy_fetcher_negative_total{outcome=answered}");
    }

    @Test
    void theSecondGoGetOfADeepMissingImportPathAsksTheUpstreamNothing() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work-deep"));
        Files.writeString(work.resolve("go.mod"), "module example.com/work\n\ngo 1.19\n");
        GoCommand go = new GoCommand(dir.resolve("go-deep"), gateway.url());
        GoCommand.Result first = go.run(work, "get", "example.com/deep/a/b/c/d");
        assertNotEquals(0, first.exitCode(), first.stderr());
        int asked = upstream.hits("/example\\.com/deep.*");
        assertTrue(asked >= 4, "go asks for every parent path: " + asked);
        GoCommand.Result second = new GoCommand(dir.resolve("go-deep-2"), gateway.url()).run(work, "get", "example.com/deep/a/b/c/d");
        assertNotEquals(0, second.exitCode(), second.stderr());
        assertEquals(asked, upstream.hits("/example\\.com/deep.*"), "the second go get asked the upstream again");
    }

    @Test
    void theAdminApiAndAFetchOfTheModuleForgetWhatWasRemembered() throws Exception {
        String info = "/example.com/later/@v/v1.0.0.info";
        assertEquals(404, get(info).statusCode());
        tree.add("example.com/later", "v1.0.0", TIME, Map.of("l.go", "package later\n".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> remembered = get(info);
        assertEquals(404, remembered.statusCode());
        assertTrue(remembered.body().contains("remembered until"), remembered.body());
        assertEquals(1, upstream.hits(java.util.regex.Pattern.quote(info)));

        HttpResponse<String> cleared = http.send(HttpRequest.newBuilder(URI.create(gateway.url()
                + "/api/v1/negative-cache/example.com/later")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, cleared.statusCode(), cleared.body());
        assertTrue(cleared.body().contains("\"cleared\":1"), cleared.body());
        assertEquals(200, get(info).statusCode());

        // A fetch of the module forgets its other markers too.
        String missingVersion = "/example.com/later/@v/v1.1.0.info";
        assertEquals(404, get(missingVersion).statusCode());
        tree.add("example.com/later", "v1.1.0", TIME, Map.of("l.go", "package later\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(404, get(missingVersion).statusCode());
        assertEquals(200, get("/example.com/later/@v/v1.0.0.mod").statusCode()); // stored: not a fetch
        assertEquals(200, get("/example.com/later/@v/list").statusCode()); // a fetch of the module
        assertEquals(200, get(missingVersion).statusCode());
    }

    @Test
    void disableModuleFetchAnswersFromStorageOnly() throws Exception {
        String off = "Disable-Module-Fetch";
        for (String p : List.of("/example.com/nofetch/@v/v1.0.0.info", "/example.com/nofetch/@v/list",
                "/example.com/nofetch/@latest", "/example.com/nofetch/@v/main.info")) {
            HttpResponse<String> r = get(p, off, "true");
            assertEquals(404, r.statusCode(), p);
            assertTrue(r.body().contains("fetching was disabled by the Disable-Module-Fetch header"), r.body());
        }
        assertEquals(0, upstream.hits("/example\\.com/nofetch/.*"));

        assertEquals(200, get("/example.com/present/@v/v1.0.0.zip").statusCode());
        assertEquals(200, get("/example.com/present/@v/list").statusCode());
        int before = upstream.hits("/example\\.com/present/.*");
        assertEquals(200, get("/example.com/present/@v/v1.0.0.info", off, "true").statusCode());
        assertEquals(200, get("/example.com/present/@v/v1.0.0.zip", off, "true").statusCode());
        HttpResponse<String> list = get("/example.com/present/@v/list", off, "true");
        assertEquals(200, list.statusCode());
        assertTrue(list.body().contains("v1.0.0"), list.body());
        assertEquals(404, get("/example.com/present/@v/v1.0.1.info", off, "true").statusCode());
        assertEquals(before, upstream.hits("/example\\.com/present/.*"));
    }

    private static HttpResponse<String> get(String path, String... header) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path));
        if (header.length == 2) {
            b.header(header[0], header[1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** modproxy_fetcher_negative_total{outcome="answered"} summed over the fetchers. */
    private static double negativeAnswers() throws Exception {
        double sum = 0;
        for (ServiceProcess f : services.subList(1, 3)) {
            String text = http.send(HttpRequest.newBuilder(URI.create(f.url() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith("modproxy_fetcher_negative_total{") && line.contains("outcome=\"answered\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }
}

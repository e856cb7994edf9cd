package dev.modproxy.fetcher.rest;

import dev.modproxy.fetcher.Upstreams;
import dev.modproxy.fetcher.UpstreamsResource;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.layout.ModuleLayout;
import dev.modproxy.testing.GoProxyTree;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.modproxy.testing.InternalCalls.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fetcher against three real upstream proxies chained {@code A,B|C}, with faults injected
 * at the upstreams. Each test uses modules of its own, so tests do not see each other's state.
 */
@QuarkusTest
@QuarkusTestResource(value = UpstreamsResource.class, restrictToAnnotatedClass = true)
class FetchResourceTest {

    private static final String FETCH = "/internal/v1/fetch/";

    @UpstreamsResource.Inject
    Upstreams up;

    @Inject
    BlobStore store;

    @Test
    void fetchesAWholeVersionOnceThenServesItFromStorage() throws Exception {
        GoProxyTree.Published p = Upstreams.publish(up.treeA, "example.com/whole", "v1.0.0");
        given().get(FETCH + "example.com/whole/@v/v1.0.0.zip")
                .then().statusCode(204).header("X-Modproxy-Upstream", up.a.url());
        assertStored(p.mv(), true);
        assertEquals(p.zipHash(), DirHash.hashZip(storedZip(p.mv())));

        given().get(FETCH + "example.com/whole/@v/v1.0.0.info")
                .then().statusCode(200).header("X-Modproxy-Upstream", "storage")
                .body("Version", equalTo("v1.0.0"));
        assertEquals(1, up.a.hits(".*/example.com/whole/@v/v1.0.0.zip"));

        // The catalog learns where the version came from, its hashes, and puts it in the feed.
        var catalog = new dev.modproxy.storage.catalog.Catalog(store);
        var entry = catalog.provenance(p.mv()).orElseThrow();
        assertEquals(up.a.url(), entry.origin());
        assertEquals(p.zipHash(), entry.zipHash());
        assertTrue(catalog.index(Instant.EPOCH, 2000).stream()
                .anyMatch(e -> e.path().equals("example.com/whole") && e.version().equals("v1.0.0")));
    }

    @Test
    void aModAskedWhileTheVersionIsFetchedIsTheBackgroundFetchsCheckedCopy() throws Exception {
        GoProxyTree.Published p = Upstreams.publish(up.treeA, "example.com/early", "v1.0.0");
        up.a.delay(".*/example.com/early/@v/v1.0.0.zip", 1500, 1); // keeps the background fetch running
        given().get(FETCH + "example.com/early/@v/v1.0.0.info")
                .then().statusCode(200).body("Version", equalTo("v1.0.0"));
        for (int i = 0; i < 1000 && up.a.hits(".*/example.com/early/@v/v1.0.0.mod") == 0; i++) {
            Thread.sleep(10); // the background fetch asks for the .mod first
        }
        String mod = given().get(FETCH + "example.com/early/@v/v1.0.0.mod")
                .then().statusCode(200).header("X-Modproxy-Upstream", up.a.url())
                .extract().asString();
        assertTrue(mod.startsWith("module example.com/early"), mod);
        assertEquals(1, up.a.hits(".*/example.com/early/@v/v1.0.0.mod"), "the upstream was asked once");

        given().get(FETCH + "example.com/early/@v/v1.0.0.zip").then().statusCode(204);
        assertStored(p.mv(), true);
        try (var blob = store.get(ModuleLayout.artifact(p.mv(), Type.MOD)).orElseThrow()) {
            assertEquals(mod, new String(blob.stream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anEarlyInfoAskedWithItsModCarriesTheCheckedModAlong() throws Exception {
        GoProxyTree.Published p = Upstreams.publish(up.treeA, "example.com/carried", "v1.0.0");
        var answer = given().header("X-Modproxy-With-Mod", "1").get(FETCH + "example.com/carried/@v/v1.0.0.info")
                .then().statusCode(200).header("X-Modproxy-Upstream", up.a.url()).extract();
        int infoLength = Integer.parseInt(answer.header("X-Modproxy-Info-Length"));
        byte[] body = answer.asByteArray();
        String info = new String(body, 0, infoLength, StandardCharsets.UTF_8);
        String mod = new String(body, infoLength, body.length - infoLength, StandardCharsets.UTF_8);
        assertTrue(info.contains("\"Version\":\"v1.0.0\""), info);
        assertEquals(p.modHash(), DirHash.hashGoMod(mod.getBytes(StandardCharsets.UTF_8)));

        // The background fetch uses that .mod: the upstream is asked for it once, and it is stored.
        given().get(FETCH + "example.com/carried/@v/v1.0.0.zip").then().statusCode(204);
        assertStored(p.mv(), true);
        assertEquals(1, up.a.hits(".*/example.com/carried/@v/v1.0.0.mod"));
        try (var blob = store.get(ModuleLayout.artifact(p.mv(), Type.MOD)).orElseThrow()) {
            assertEquals(mod, new String(blob.stream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * A .mod stored before (graph loading, a bundle) is not taken on trust when the version is
     * completed: it must be the .mod the upstream serves, checked like a fetched one. Here the
     * zip has no go.mod, so nothing else would catch the difference.
     */
    @Test
    void aStoredModThatDiffersFromTheUpstreamsIsRefusedAndTheVersionNotCompleted() throws Exception {
        GoProxyTree.Published p = up.treeA.add("example.com/storedmod", "v1.0.0", Instant.parse("2024-01-02T03:04:05Z"),
                Map.of("lib.go", "package lib\n".getBytes(StandardCharsets.UTF_8)));
        byte[] planted = "module example.com/storedmod\n\nrequire evil.example/x v1.0.0\n".getBytes(StandardCharsets.UTF_8);
        store.put(ModuleLayout.artifact(p.mv(), Type.MOD), new java.io.ByteArrayInputStream(planted), planted.length,
                BlobStore.WriteMode.IMMUTABLE);
        given().get(FETCH + "example.com/storedmod/@v/v1.0.0.zip")
                .then().statusCode(502).contentType(containsString("text/plain"))
                .body(containsString("stored .mod"), containsString("differs from the one"));
        assertFalse(store.stat(ModuleLayout.artifact(p.mv(), Type.ZIP)).isPresent(), "no zip stored");
        assertFalse(store.stat(ModuleLayout.artifact(p.mv(), Type.INFO)).isPresent(), "not completed");
    }

    @Test
    void anInfoAskedWithoutTheHeaderIsThePlainInfo() {
        Upstreams.publish(up.treeA, "example.com/plaininfo", "v1.0.0");
        given().get(FETCH + "example.com/plaininfo/@v/v1.0.0.info")
                .then().statusCode(200).header("X-Modproxy-Info-Length", org.hamcrest.Matchers.nullValue())
                .contentType(containsString("application/json")).body("Version", equalTo("v1.0.0"));
    }

    @Test
    void aBadModIsNotCarriedAndItsOwnRequestGetsTheFailure() throws Exception {
        Upstreams.publish(up.treeA, "example.com/badcarry", "v1.0.0");
        up.treeA.writeRaw("example.com/badcarry/@v/v1.0.0.mod", "module example.com/other\n".getBytes(StandardCharsets.UTF_8));
        given().header("X-Modproxy-With-Mod", "1").get(FETCH + "example.com/badcarry/@v/v1.0.0.info")
                .then().statusCode(200).header("X-Modproxy-Info-Length", org.hamcrest.Matchers.nullValue())
                .body("Version", equalTo("v1.0.0"));
        given().get(FETCH + "example.com/badcarry/@v/v1.0.0.mod")
                .then().statusCode(502).body(containsString("names module \"example.com/other\""));
        assertStored(ModuleVersion.of("example.com/badcarry", "v1.0.0"), false);
    }

    @Test
    void commaFallsThroughOnNotFound() {
        Upstreams.publish(up.treeB, "example.com/onlyb", "v1.2.0");
        given().get(FETCH + "example.com/onlyb/@v/v1.2.0.info")
                .then().statusCode(200).header("X-Modproxy-Upstream", up.b.url());
        assertTrue(up.a.hits(".*/example.com/onlyb/@v/v1.2.0.info") >= 1);
    }

    @Test
    void pipeFallsThroughOnAnyError() {
        Upstreams.publish(up.treeC, "example.com/onlyc", "v0.1.0");
        up.b.failWith(".*/example.com/onlyc/.*", 500, -1);
        given().get(FETCH + "example.com/onlyc/@v/v0.1.0.zip")
                .then().statusCode(204).header("X-Modproxy-Upstream", up.c.url());
    }

    @Test
    void commaStopsOnAServerError() throws Exception {
        Upstreams.publish(up.treeB, "example.com/abroken", "v1.0.0");
        up.a.failWith(".*/example.com/abroken/.*", 500, -1);
        given().get(FETCH + "example.com/abroken/@v/v1.0.0.zip")
                .then().statusCode(502)
                .contentType(containsString("text/plain"))
                .body(containsString("answered 500"), containsString(up.a.url()));
        assertEquals(0, up.b.hits(".*/example.com/abroken/.*"));
        assertStored(ModuleVersion.of("example.com/abroken", "v1.0.0"), false);
    }

    @Test
    void retriesATransientServerError() {
        Upstreams.publish(up.treeA, "example.com/flaky", "v1.0.0");
        up.a.failWith(".*/example.com/flaky/@v/v1.0.0.info", 503, 1);
        given().get(FETCH + "example.com/flaky/@v/v1.0.0.info").then().statusCode(200);
        assertEquals(2, up.a.hits(".*/example.com/flaky/@v/v1.0.0.info"));
    }

    @Test
    void aSlowUpstreamIsATimeout() throws Exception {
        Upstreams.publish(up.treeA, "example.com/slow", "v1.0.0");
        up.a.delay(".*/example.com/slow/@v/v1.0.0.info", 4000, -1);
        given().get(FETCH + "example.com/slow/@v/v1.0.0.info")
                .then().statusCode(504).body(containsString("did not answer"));
        assertStored(ModuleVersion.of("example.com/slow", "v1.0.0"), false);
    }

    @Test
    void aTruncatedZipIsRefusedAndNothingIsStored() throws Exception {
        Upstreams.publish(up.treeA, "example.com/truncated", "v1.0.0");
        up.a.truncate(".*/example.com/truncated/@v/v1.0.0.zip", 100, -1);
        given().get(FETCH + "example.com/truncated/@v/v1.0.0.zip")
                .then().statusCode(502).body(containsString("invalid module zip"));
        assertStored(ModuleVersion.of("example.com/truncated", "v1.0.0"), false);
    }

    @Test
    void aZipWithAnotherPrefixIsRefused() throws Exception {
        Upstreams.publish(up.treeA, "example.com/prefix", "v1.0.0");
        up.treeA.writeRaw("example.com/prefix/@v/v1.0.0.zip",
                zipOf("example.com/other@v1.0.0/go.mod", "module example.com/prefix\n"));
        given().get(FETCH + "example.com/prefix/@v/v1.0.0.zip")
                .then().statusCode(502).body(containsString("invalid module zip"));
        assertStored(ModuleVersion.of("example.com/prefix", "v1.0.0"), false);
    }

    @Test
    void anInfoNamingAnotherVersionIsRefused() throws Exception {
        Upstreams.publish(up.treeA, "example.com/liar", "v1.0.0");
        up.treeA.writeRaw("example.com/liar/@v/v1.0.0.info", "{\"Version\":\"v1.0.1\"}".getBytes(StandardCharsets.UTF_8));
        given().get(FETCH + "example.com/liar/@v/v1.0.0.info")
                .then().statusCode(502).body(containsString("names version v1.0.1"));
        assertStored(ModuleVersion.of("example.com/liar", "v1.0.0"), false);
    }

    @Test
    void aModForAnotherModuleIsRefused() {
        Upstreams.publish(up.treeA, "example.com/wrongmod", "v1.0.0");
        up.treeA.writeRaw("example.com/wrongmod/@v/v1.0.0.mod", "module example.com/else\n".getBytes(StandardCharsets.UTF_8));
        given().get(FETCH + "example.com/wrongmod/@v/v1.0.0.mod")
                .then().statusCode(502).body(containsString("names module \"example.com/else\""));
    }

    @Test
    void aModRequestFetchesOnlyTheMod() throws Exception {
        Upstreams.publish(up.treeA, "example.com/graph", "v1.1.0");
        given().get(FETCH + "example.com/graph/@v/v1.1.0.mod")
                .then().statusCode(200).body(containsString("module example.com/graph"));
        assertEquals(0, up.a.hits(".*/example.com/graph/@v/v1.1.0.(zip|info)"));
        assertTrue(store.stat(ModuleLayout.artifact(ModuleVersion.of("example.com/graph", "v1.1.0"), Type.MOD)).isPresent());
    }

    @Test
    void notFoundEverywhereIsA404WithTheReason() {
        given().get(FETCH + "example.com/nowhere/@v/v1.0.0.info")
                .then().statusCode(404).contentType(containsString("text/plain"))
                .body(containsString("not found"), containsString("example.com/nowhere"));
    }

    @Test
    void privateModulesNeverReachAnUpstream() {
        given().get(FETCH + "corp.example/secret/@v/list")
                .then().statusCode(org.hamcrest.Matchers.oneOf(404, 502))
                .header("X-Modproxy-Upstream", "direct").body(containsString("corp.example"));
        assertEquals(0, up.a.hits(".*corp.example.*") + up.b.hits(".*corp.example.*") + up.c.hits(".*corp.example.*"));
    }

    @Test
    void listMergesStoredVersionsAndSurvivesAnUpstreamOutage() throws Exception {
        Upstreams.publish(up.treeA, "example.com/listed", "v1.0.0");
        Upstreams.publish(up.treeA, "example.com/listed", "v1.1.0");
        given().get(FETCH + "example.com/listed/@v/v1.0.0.zip").then().statusCode(204);
        // Upstream forgets v1.0.0; we keep listing it because we store it.
        up.treeA.writeRaw("example.com/listed/@v/list", "v1.1.0\n".getBytes(StandardCharsets.UTF_8));
        given().get(FETCH + "example.com/listed/@v/list").then().statusCode(200).body(equalTo("v1.0.0\nv1.1.0\n"));

        Thread.sleep(1100); // past the list TTL
        up.a.failWith(".*/example.com/listed/@v/list", 500, -1);
        given().get(FETCH + "example.com/listed/@v/list").then().statusCode(200).body(equalTo("v1.0.0\nv1.1.0\n"));
    }

    @Test
    void latestComesFromTheUpstream() {
        Upstreams.publish(up.treeA, "example.com/latest", "v2.0.0+incompatible");
        up.treeA.writeRaw("example.com/latest/@latest", "{\"Version\":\"v2.0.0+incompatible\",\"Time\":\"2024-01-02T03:04:05Z\"}"
                .getBytes(StandardCharsets.UTF_8));
        given().get(FETCH + "example.com/latest/@latest").then().statusCode(200).body("Version", equalTo("v2.0.0+incompatible"));
    }

    @Test
    void badRequestsAre400s() {
        for (String bad : List.of("example.com/X/@v/list", "example.com/x/@v/v1.zip",
                "example.com/x!/@v/list", "example.com/%00/@v/list", "example.com/%ff/@v/list")) {
            Response r = given().urlEncodingEnabled(false).get(FETCH + bad);
            assertEquals(400, r.statusCode(), bad + ": " + r.asString());
            assertFalse(r.asString().strip().contains("\n"), "one line: " + r.asString());
        }
    }

    @Test
    void concurrentColdRequestsMakeOneUpstreamDownload() throws Exception {
        Upstreams.publish(up.treeA, "example.com/herd", "v1.0.0");
        up.a.delay(".*/example.com/herd/@v/v1.0.0.zip", 300, 1);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(() -> given().get(FETCH + "example.com/herd/@v/v1.0.0.zip").statusCode());
            }
            for (Future<Integer> f : pool.invokeAll(calls)) {
                assertEquals(204, f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, up.a.hits(".*/example.com/herd/@v/v1.0.0.zip"));
    }

    private void assertStored(ModuleVersion mv, boolean expected) throws Exception {
        for (Type t : List.of(Type.INFO, Type.ZIP)) {
            assertEquals(expected, store.stat(ModuleLayout.artifact(mv, t)).isPresent(), mv + " " + t);
        }
    }

    private Path storedZip(ModuleVersion mv) throws Exception {
        Path tmp = Files.createTempFile("stored", ".zip");
        try (var blob = store.get(ModuleLayout.artifact(mv, Type.ZIP)).orElseThrow()) {
            Files.copy(blob.stream(), tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return tmp;
    }

    private static byte[] zipOf(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}

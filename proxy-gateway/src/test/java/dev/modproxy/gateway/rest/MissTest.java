package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.client.FetcherRing;
import dev.modproxy.gateway.support.FakeFetcher;
import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.testing.RawHttp;
import dev.modproxy.gateway.support.RecordingBlobStore;
import dev.modproxy.gateway.support.TestModules;
import dev.modproxy.gomod.module.ModulePath;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.modproxy.gateway.support.TestModules.mv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Misses go to the fetcher the module hashes to, and what it stored is then served like a hit;
 * its errors reach the client as it gave them; list and latest answers live for the list TTL
 * (2 s in tests). The fake fetchers are two live replicas and one endpoint that refuses.
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
class MissTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RecordingBlobStore store;

    @FakeFetchers.Fetchers
    FakeFetchers fetchers;

    @BeforeEach
    void reset() {
        store.failing(false);
        store.clear();
        fetchers.clear();
    }

    RawHttp.Response get(String target) throws IOException {
        return RawHttp.send(base.getPort(), "GET", target);
    }

    @Test
    void missedInfoIsFetchedThenTheVersionIsAHit() throws IOException {
        var mv = mv("example.com/fresh", "v1.0.0");
        HitTest.check(get("/example.com/fresh/@v/v1.0.0.info"), "application/json", TestModules.info(mv));
        assertEquals(List.of("example.com/fresh/@v/v1.0.0.info"), fetchers.seen());
        HitTest.check(get("/example.com/fresh/@v/v1.0.0.zip"), "application/zip", TestModules.zip(mv));
        HitTest.check(get("/example.com/fresh/@v/v1.0.0.mod"), "text/plain; charset=utf-8", TestModules.mod(mv));
        assertEquals(1, fetchers.seen().size());
        assertTrue(store.accessed().stream().allMatch(k -> k.startsWith("modules/example.com/fresh/@v/")),
                store.accessed().toString());
    }

    @Test
    void disableModuleFetchAnswersFromStorageOnlyAndNeverAsksAFetcher() throws Exception {
        String off = "Disable-Module-Fetch: true";
        for (String target : List.of("/example.com/nofetch/@v/v1.0.0.info", "/example.com/nofetch/@v/v1.0.0.mod",
                "/example.com/nofetch/@v/v1.0.0.zip", "/example.com/nofetch/@v/list", "/example.com/nofetch/@latest",
                "/example.com/nofetch/@v/main.info")) {
            RawHttp.Response r = RawHttp.send(base.getPort(), "GET", target, off);
            assertEquals(404, r.status(), target);
            assertTrue(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)
                    .contains("fetching was disabled by the Disable-Module-Fetch header"), target);
        }
        assertEquals(List.of(), fetchers.seen());

        var mv = mv("example.com/nofetch", "v1.0.0");
        TestModules.storeVersion(store, mv);
        HitTest.check(RawHttp.send(base.getPort(), "GET", "/example.com/nofetch/@v/v1.0.0.info", off),
                "application/json", TestModules.info(mv));
        HitTest.check(RawHttp.send(base.getPort(), "GET", "/example.com/nofetch/@v/v1.0.0.zip", off),
                "application/zip", TestModules.zip(mv));
        RawHttp.Response list = RawHttp.send(base.getPort(), "GET", "/example.com/nofetch/@v/list", off);
        assertEquals(200, list.status());
        assertEquals("v1.0.0\n", new String(list.body(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of(), fetchers.seen(), "a stored-only answer asks no fetcher");
        // Without the header (or with another value) a miss is fetched as always.
        assertEquals(200, RawHttp.send(base.getPort(), "GET", "/example.com/nofetch/@v/v1.1.0.info",
                "Disable-Module-Fetch: false").status());
        assertEquals(List.of("example.com/nofetch/@v/v1.1.0.info"), fetchers.seen());
    }

    @Test
    void theModCarriedWithAnEarlyInfoAnswersTheModRequestThatFollows() throws IOException {
        var mv = mv("example.com/early", "v1.0.0");
        RawHttp.Response info = get("/example.com/early/@v/v1.0.0.info");
        assertEquals(200, info.status());
        assertArrayEquals(TestModules.info(mv), info.body(), "the .info alone, not the .mod after it");
        assertEquals("application/json", info.header("Content-Type"));

        RawHttp.Response mod = get("/example.com/early/@v/v1.0.0.mod");
        assertEquals(200, mod.status());
        assertArrayEquals(TestModules.mod(mv), mod.body());
        assertEquals("text/plain; charset=utf-8", mod.header("Content-Type"));
        assertEquals("no-cache", mod.header("Cache-Control"), "not stored yet: clients must not keep it");
        assertEquals(List.of("example.com/early/@v/v1.0.0.info"), fetchers.seen(), "the .mod was not asked again");
        assertEquals(List.of("example.com/early/@v/v1.0.0.info"), fetchers.askedWithMod());
    }

    @Test
    void aCarriedModThatCannotBeSplitOffIsAFetcherFault() throws IOException {
        RawHttp.Response info = get("/example.com/earlybad/@v/v1.0.0.info");
        assertEquals(502, info.status(), info.text());
        assertTrue(info.text().contains("X-Modproxy-Info-Length"), info.text());
    }

    @Test
    void onlyVersionInfosAskForTheModAlong() throws IOException {
        assertEquals(200, get("/example.com/query/@v/master.info").status());
        assertEquals(200, get("/example.com/asked/@v/v1.0.0.mod").status());
        assertEquals(200, get("/example.com/asked/@v/list").status());
        assertEquals(200, get("/example.com/asked/@v/v1.1.0.info").status());
        assertEquals(List.of("example.com/asked/@v/v1.1.0.info"), fetchers.askedWithMod());
    }

    @Test
    void missedZipAndModAreFetchedAndServedFromStorage() throws IOException {
        var zip = mv("example.com/zipmiss", "v1.2.0");
        HitTest.check(get("/example.com/zipmiss/@v/v1.2.0.zip"), "application/zip", TestModules.zip(zip));
        var mod = mv("github.com/Upper/modmiss", "v0.3.0");
        HitTest.check(get("/github.com/!upper/modmiss/@v/v0.3.0.mod"), "text/plain; charset=utf-8", TestModules.mod(mod));
        assertEquals(Set.of("example.com/zipmiss/@v/v1.2.0.zip", "github.com/!upper/modmiss/@v/v0.3.0.mod"),
                new HashSet<>(fetchers.seen()));
    }

    @Test
    void listAndLatestAreCachedForTheTtl() throws Exception {
        RawHttp.Response list = get("/example.com/listed/@v/list");
        assertEquals(200, list.status());
        assertEquals("text/plain; charset=utf-8", list.header("Content-Type"));
        assertEquals("public, max-age=2", list.header("Cache-Control"));
        assertEquals("v1.0.0\nv1.1.0\n", list.text());
        RawHttp.Response latest = get("/example.com/listed/@latest");
        assertEquals(200, latest.status());
        assertEquals("application/json", latest.header("Content-Type"));
        assertEquals("public, max-age=2", latest.header("Cache-Control"));
        assertTrue(latest.text().contains("\"Version\":\"v1.1.0\""), latest.text());

        assertEquals("v1.0.0\nv1.1.0\n", get("/example.com/listed/@v/list").text());
        get("/example.com/listed/@latest");
        assertEquals(List.of("example.com/listed/@v/list", "example.com/listed/@latest"), fetchers.seen());
        assertEquals(List.of(), store.accessed(), "list and latest never come from the immutable store");

        Thread.sleep(2200);
        get("/example.com/listed/@v/list");
        assertEquals(2, fetchers.seen().stream().filter("example.com/listed/@v/list"::equals).count());
    }

    @Test
    void infoQueriesAreResolvedByTheFetcher() throws IOException {
        RawHttp.Response r = get("/example.com/query/@v/master.info");
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("public, max-age=2", r.header("Cache-Control"));
        assertTrue(r.text().contains("v1.1.1-0.20240102030405-abcdefabcdef"), r.text());
        assertNull(r.header("ETag"));
        get("/example.com/query/@v/master.info");
        assertEquals(List.of("example.com/query/@v/master.info"), fetchers.seen());
        assertEquals(List.of(), store.accessed());
    }

    @Test
    void fetcherErrorsAreRelayedUnchanged() throws IOException {
        RawHttp.Response notFound = get("/example.com/notfound/@v/v1.0.0.info");
        assertEquals(404, notFound.status());
        assertEquals("not found: example.com/notfound@v1.0.0: invalid version: unknown revision\n", notFound.text());
        assertEquals(FakeFetcher.UPSTREAM, notFound.header("X-Modproxy-Upstream"));
        assertEquals("text/plain; charset=utf-8", notFound.header("Content-Type"));

        RawHttp.Response gone = get("/example.com/gone/@v/list");
        assertEquals(410, gone.status());
        assertEquals("example.com/gone: gone: retracted by its owner\n", gone.text());
        assertNull(gone.header("X-Modproxy-Upstream"));

        RawHttp.Response broken = get("/example.com/broken/@v/v1.0.0.zip");
        assertEquals(502, broken.status());
        assertEquals("upstream https://proxy.golang.org answered 500 for example.com/broken\n", broken.text());
        assertEquals(FakeFetcher.UPSTREAM, broken.header("X-Modproxy-Upstream"));
    }

    @Test
    void aFetcherFaultIs502WithOneLine() throws IOException {
        RawHttp.Response crash = get("/example.com/crash/@latest");
        assertEquals(502, crash.status());
        BadRequestTest.assertOneLine(crash.text());
        assertTrue(crash.text().contains("answered 500"), crash.text());

        RawHttp.Response lying = get("/example.com/lying/@v/v1.0.0.zip");
        assertEquals(502, lying.status());
        assertTrue(lying.text().contains("storage has no modules/example.com/lying/@v/v1.0.0.zip"), lying.text());
    }

    @Test
    void aSlowFetcherIs504() throws IOException {
        long start = System.nanoTime();
        RawHttp.Response r = get("/example.com/slow/@v/v1.0.0.info");
        assertEquals(504, r.status(), r.text());
        BadRequestTest.assertOneLine(r.text());
        assertTrue(r.text().contains("timed out"), r.text());
        assertTrue(System.nanoTime() - start < 3_900_000_000L, "answered before the fetcher did");
    }

    @Test
    void aModuleAlwaysGoesToItsRendezvousFetcher() throws IOException {
        FetcherRing ring = new FetcherRing(fetchers.endpoints().stream().map(URI::create).toList());
        Set<String> used = new HashSet<>();
        for (int m = 0; m < 12; m++) {
            String module = "example.com/hrw/m" + m;
            String expected = firstLive(ring, module);
            for (int v = 0; v < 3; v++) {
                String request = module + "/@v/v1.0." + v + ".info";
                assertEquals(200, get("/" + request).status());
                assertEquals(1, fetchers.at(expected).count(request), request + " should go to " + expected);
            }
            used.add(expected);
        }
        assertEquals(2, used.size(), "modules spread over both live fetchers");
    }

    @Test
    void aRefusedEndpointFailsOverToTheNextInOrder() throws IOException {
        FetcherRing ring = new FetcherRing(fetchers.endpoints().stream().map(URI::create).toList());
        String module = null;
        for (int i = 0; module == null; i++) {
            String candidate = "example.com/failover/m" + i;
            if (fetchers.isDead(ring.order(path(candidate)).get(0).toString())) {
                module = candidate;
            }
        }
        String second = ring.order(path(module)).get(1).toString();
        RawHttp.Response r = get("/" + module + "/@v/list");
        assertEquals(200, r.status(), r.text());
        assertEquals(List.of(module + "/@v/list"), fetchers.at(second).seen());
    }

    private String firstLive(FetcherRing ring, String module) {
        return ring.order(path(module)).stream().map(URI::toString)
                .filter(e -> !fetchers.isDead(e)).findFirst().orElseThrow();
    }

    static ModulePath path(String module) {
        try {
            return ModulePath.of(module);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}

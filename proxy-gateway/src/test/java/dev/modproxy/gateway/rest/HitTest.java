package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.testing.RawHttp;
import dev.modproxy.gateway.support.RecordingBlobStore;
import dev.modproxy.gateway.support.TestModules;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

import static dev.modproxy.gateway.support.TestModules.mv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stored artifacts are served straight from storage (or memory) with the headers of an
 * immutable file: validators, year-long caching, ranges, HEAD, and no fetcher involved.
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
class HitTest {

    static final ModuleVersion HIT = mv("example.com/hit", "v1.0.0");
    static final ModuleVersion AZURE = mv("github.com/Azure/sdk", "v1.2.3");
    static final ModuleVersion MOD_ONLY = mv("example.com/modonly", "v1.0.0");
    static final ModuleVersion NO_INFO = mv("example.com/noinfo", "v1.0.0");
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    @TestHTTPResource("/")
    URL base;

    @Inject
    RecordingBlobStore store;

    @FakeFetchers.Fetchers
    FakeFetchers fetchers;

    @BeforeEach
    void prepare() throws Exception {
        TestModules.storeVersion(store.delegate(), HIT);
        TestModules.storeVersion(store.delegate(), AZURE);
        TestModules.put(store.delegate(), MOD_ONLY, Type.MOD, TestModules.mod(MOD_ONLY));
        TestModules.put(store.delegate(), NO_INFO, Type.MOD, TestModules.mod(NO_INFO));
        TestModules.put(store.delegate(), NO_INFO, Type.ZIP, TestModules.zip(NO_INFO));
        store.failing(false);
        store.buggy(false);
        store.clear();
        fetchers.clear();
    }

    RawHttp.Response get(String target, String... headers) throws IOException {
        return RawHttp.send(base.getPort(), "GET", target, headers);
    }

    @Test
    void infoModAndZipAreServedWithImmutableHeaders() throws IOException {
        check(get("/example.com/hit/@v/v1.0.0.info"), "application/json", TestModules.info(HIT));
        check(get("/example.com/hit/@v/v1.0.0.mod"), "text/plain; charset=utf-8", TestModules.mod(HIT));
        check(get("/example.com/hit/@v/v1.0.0.zip"), "application/zip", TestModules.zip(HIT));
        assertEquals(List.of(), fetchers.seen());
        assertTrue(store.accessed().stream().allMatch(k -> k.startsWith("modules/example.com/hit/@v/")),
                store.accessed().toString());
    }

    @Test
    void escapedUpperCasePathsAreServed() throws IOException {
        check(get("/github.com/!azure/sdk/@v/v1.2.3.zip"), "application/zip", TestModules.zip(AZURE));
        check(get("/github.com/%21azure/sdk/@v/v1.2.3.info"), "application/json", TestModules.info(AZURE));
        assertTrue(store.accessed().stream().allMatch(k -> k.startsWith("modules/github.com/!azure/sdk/@v/")),
                store.accessed().toString());
    }

    @Test
    void hotMetadataComesFromMemory() throws IOException {
        get("/example.com/hit/@v/v1.0.0.info");
        get("/example.com/hit/@v/v1.0.0.mod");
        store.clear();
        check(get("/example.com/hit/@v/v1.0.0.info"), "application/json", TestModules.info(HIT));
        check(get("/example.com/hit/@v/v1.0.0.mod"), "text/plain; charset=utf-8", TestModules.mod(HIT));
        assertEquals(List.of(), store.accessed());
    }

    @Test
    void matchingIfNoneMatchGives304() throws IOException {
        for (String file : new String[] {"v1.0.0.info", "v1.0.0.mod", "v1.0.0.zip"}) {
            String target = "/example.com/hit/@v/" + file;
            String etag = get(target).header("ETag");
            RawHttp.Response r = get(target, "If-None-Match: " + etag);
            assertEquals(304, r.status(), file);
            assertEquals(0, r.body().length);
            assertEquals(etag, r.header("ETag"));
            assertEquals(IMMUTABLE, r.header("Cache-Control"));
            assertEquals(304, get(target, "If-None-Match: \"other\", W/" + etag).status());
            assertEquals(304, get(target, "If-None-Match: *").status());
            assertEquals(200, get(target, "If-None-Match: \"other\"").status());
        }
    }

    @Test
    void singleRangesGive206() throws IOException {
        byte[] zip = TestModules.zip(HIT);
        int size = zip.length;
        String target = "/example.com/hit/@v/v1.0.0.zip";
        partial(get(target, "Range: bytes=0-99"), zip, 0, 99);
        partial(get(target, "Range: bytes=299990-"), zip, 299990, size - 1);
        partial(get(target, "Range: bytes=-5"), zip, size - 5, size - 1);
        partial(get(target, "Range: bytes=100000-999999999"), zip, 100000, size - 1);
        byte[] mod = TestModules.mod(HIT);
        partial(get("/example.com/hit/@v/v1.0.0.mod", "Range: bytes=2-4"), mod, 2, 4);
        String etag = get(target).header("ETag");
        partial(get(target, "Range: bytes=10-19", "If-Range: " + etag), zip, 10, 19);
        assertEquals(200, get(target, "Range: bytes=10-19", "If-Range: \"stale\"").status());
        assertEquals(200, get(target, "Range: bytes=0-1,5-6").status());
        assertEquals(200, get(target, "Range: lines=0-1").status());
        assertEquals(200, get(target, "Range: bytes=9-2").status());
    }

    @Test
    void unsatisfiableRangesGive416() throws IOException {
        for (String range : new String[] {"bytes=300001-", "bytes=999999999999999999999-", "bytes=-0"}) {
            RawHttp.Response r = get("/example.com/hit/@v/v1.0.0.zip", "Range: " + range);
            assertEquals(416, r.status(), range);
            assertEquals("bytes */" + TestModules.ZIP_SIZE, r.header("Content-Range"));
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
            BadRequestTest.assertOneLine(r.text());
        }
    }

    @Test
    void headSendsTheHeadersOfGetAndNoBody() throws IOException {
        for (String file : new String[] {"v1.0.0.info", "v1.0.0.mod", "v1.0.0.zip"}) {
            String target = "/example.com/hit/@v/" + file;
            RawHttp.Response got = get(target);
            RawHttp.Response head = RawHttp.send(base.getPort(), "HEAD", target);
            assertEquals(200, head.status());
            assertEquals(0, head.body().length, file);
            for (String h : new String[] {"Content-Length", "Content-Type", "ETag", "Last-Modified", "Cache-Control",
                    "Accept-Ranges"}) {
                assertEquals(got.header(h), head.header(h), file + " " + h);
            }
        }
    }

    @Test
    void aModAloneIsAHitButNotAVersion() throws IOException {
        check(get("/example.com/modonly/@v/v1.0.0.mod"), "text/plain; charset=utf-8", TestModules.mod(MOD_ONLY));
        assertEquals(List.of(), fetchers.seen());
        // Without its .info the version is not complete: the zip is fetched, not served half-written.
        check(get("/example.com/noinfo/@v/v1.0.0.zip"), "application/zip", TestModules.zip(NO_INFO));
        assertEquals(List.of("example.com/noinfo/@v/v1.0.0.zip"), fetchers.seen());
    }

    @Test
    void storageOutageIs503() throws IOException {
        store.failing(true);
        try {
            RawHttp.Response r = get("/example.com/down/@v/v1.0.0.info");
            assertEquals(503, r.status());
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
            assertTrue(r.text().startsWith("storage unavailable: "), r.text());
            BadRequestTest.assertOneLine(r.text());
            assertEquals(503, get("/q/health/ready").status());
        } finally {
            store.failing(false);
        }
        assertEquals(List.of(), fetchers.seen());
    }

    @Test
    void aBugIs500WithAGenericLine() throws IOException {
        store.buggy(true);
        try {
            RawHttp.Response r = get("/example.com/bug/@v/v1.0.0.mod");
            assertEquals(500, r.status());
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
            assertEquals("internal error in proxy-gateway (logged)\n", r.text());
        } finally {
            store.buggy(false);
        }
    }

    static void check(RawHttp.Response r, String type, byte[] body) {
        assertEquals(200, r.status(), r.text());
        assertEquals(type, r.header("Content-Type"));
        assertEquals(String.valueOf(body.length), r.header("Content-Length"));
        assertArrayEquals(body, r.body());
        assertEquals(IMMUTABLE, r.header("Cache-Control"));
        assertEquals("bytes", r.header("Accept-Ranges"));
        String etag = r.header("ETag");
        assertNotNull(etag);
        assertTrue(etag.length() > 2 && etag.startsWith("\"") && etag.endsWith("\""), etag);
        assertNotNull(ZonedDateTime.parse(r.header("Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME));
    }

    static void partial(RawHttp.Response r, byte[] whole, int first, int last) {
        assertEquals(206, r.status(), r.text());
        assertEquals("bytes " + first + "-" + last + "/" + whole.length, r.header("Content-Range"));
        assertEquals(String.valueOf(last - first + 1), r.header("Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(whole, first, last + 1), r.body());
    }
}

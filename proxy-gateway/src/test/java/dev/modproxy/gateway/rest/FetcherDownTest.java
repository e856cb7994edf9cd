package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.testing.RawHttp;
import dev.modproxy.gateway.support.RecordingBlobStore;
import dev.modproxy.gateway.support.TestModules;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;

import static dev.modproxy.gateway.support.TestModules.mv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With every fetcher down, misses are 503 and say so; hits and readiness are unaffected. */
@QuarkusTest
@WithTestResource(value = FakeFetchers.class, initArgs = {
        @ResourceArg(name = "live", value = "0"), @ResourceArg(name = "dead", value = "2")})
class FetcherDownTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RecordingBlobStore store;

    @Test
    void aMissIs503NamingTheEndpoints() throws IOException {
        RawHttp.Response r = RawHttp.send(base.getPort(), "GET", "/example.com/nofetcher/@v/v1.0.0.zip");
        assertEquals(503, r.status(), r.text());
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertTrue(r.text().startsWith("no fetcher reachable: http://127.0.0.1:"), r.text());
        BadRequestTest.assertOneLine(r.text());
    }

    @Test
    void hitsAreStillServed() throws Exception {
        var mv = mv("example.com/stored", "v1.0.0");
        TestModules.storeVersion(store.delegate(), mv);
        HitTest.check(RawHttp.send(base.getPort(), "GET", "/example.com/stored/@v/v1.0.0.zip"), "application/zip",
                TestModules.zip(mv));
        assertEquals(200, RawHttp.send(base.getPort(), "GET", "/q/health/ready").status());
    }
}

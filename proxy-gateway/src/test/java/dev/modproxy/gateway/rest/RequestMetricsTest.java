package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.testing.RawHttp;
import dev.modproxy.gateway.support.RecordingBlobStore;
import dev.modproxy.gateway.support.TestModules;
import dev.modproxy.gomod.module.ModuleVersion;
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

/** The gateway's own series reach /q/metrics once traffic has been served. */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
class RequestMetricsTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RecordingBlobStore store;

    RawHttp.Response get(String target) throws IOException {
        return RawHttp.send(base.getPort(), "GET", target);
    }

    @Test
    void requestsCacheOutcomesBytesAndStorageErrorsAreCounted() throws IOException {
        ModuleVersion stored = mv("example.com/metrics/stored", "v1.0.0");
        store.failing(false);
        TestModules.storeVersion(store.delegate(), stored);
        assertEquals(200, get("/example.com/metrics/stored/@v/v1.0.0.mod").status()); // from storage
        assertEquals(200, get("/example.com/metrics/stored/@v/v1.0.0.mod").status()); // from memory
        assertEquals(200, get("/example.com/metrics/stored/@v/v1.0.0.zip").status());
        assertEquals(200, get("/example.com/metrics/fresh/@v/v1.0.0.info").status()); // miss
        assertEquals(400, get("/example.com/metrics/@v/v1.0.0.exe").status());
        store.failing(true);
        try {
            assertEquals(503, get("/example.com/metrics/down/@v/v1.0.0.mod").status());
        } finally {
            store.failing(false);
        }
        String metrics = get("/q/metrics").text();
        for (String series : new String[] {
                "modproxy_gateway_requests_seconds_count{kind=\"mod\",status=\"200\"}",
                "modproxy_gateway_requests_seconds_count{kind=\"zip\",status=\"200\"}",
                "modproxy_gateway_requests_seconds_count{kind=\"info\",status=\"200\"}",
                "modproxy_gateway_requests_seconds_count{kind=\"invalid\",status=\"400\"}",
                "modproxy_gateway_requests_seconds_count{kind=\"mod\",status=\"503\"}",
                "modproxy_gateway_cache_total{outcome=\"memory\"}",
                "modproxy_gateway_cache_total{outcome=\"storage\"}",
                "modproxy_gateway_cache_total{outcome=\"miss\"}",
                "modproxy_gateway_served_bytes_total{kind=\"zip\"}",
                "modproxy_storage_errors_total{service=\"gateway\"}",
                // The series every service has, here written by RequestMetrics (see its comment).
                "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/{module}/@v/{version}.mod\"}",
                "http_server_requests_seconds_count{method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"400\",uri=\"UNKNOWN\"}",
                "http_server_requests_seconds_count{method=\"GET\",outcome=\"SERVER_ERROR\",status=\"503\",uri=\"/{module}/@v/{version}.mod\"}",
                "http_server_active_requests",
                "http_server_bytes_written_sum{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/{module}/@v/{version}.zip\"}"}) {
            assertTrue(metrics.contains(series), series + " missing from\n" + metrics);
        }
        double zipBytes = value(metrics, "modproxy_gateway_served_bytes_total{kind=\"zip\"}");
        assertTrue(zipBytes >= TestModules.ZIP_SIZE, "zip bytes " + zipBytes);
        assertTrue(!metrics.contains("kind=\"q\""), "scrapes are not traffic");
        assertTrue(metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{")).count()
                == metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{")).distinct().count(),
                "one series per tag set (Quarkus' binder is off, no duplicates)");
    }

    private static double value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElse(-1);
    }
}

package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.Upstreams;
import dev.modproxy.fetcher.UpstreamsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static dev.modproxy.testing.InternalCalls.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fetcher's own series reach /q/metrics: fetches by kind and outcome, upstream calls and
 * errors per upstream host, VCS calls per host (a private module goes direct), storage errors.
 */
@QuarkusTest
@QuarkusTestResource(value = UpstreamsResource.class, restrictToAnnotatedClass = true)
class FetchMetricsTest {

    private static final String FETCH = "/internal/v1/fetch/";

    @UpstreamsResource.Inject
    Upstreams up;

    @Test
    void fetchUpstreamVcsAndStorageSeriesAppear() {
        Upstreams.publish(up.treeA, "example.com/metered", "v1.0.0");
        given().get(FETCH + "example.com/metered/@v/v1.0.0.zip").then().statusCode(204);
        given().get(FETCH + "example.com/metered/@v/v1.0.0.mod").then().statusCode(200);
        up.a.failWith(".*/example.com/meterbroken/.*", 500, -1);
        given().get(FETCH + "example.com/meterbroken/@v/v1.0.0.info").then().statusCode(502);
        // corp.example is private, so direct; no such repository: a VCS call that found nothing
        given().get(FETCH + "corp.example/metered/@v/list").then().statusCode(404);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        URI a = URI.create(up.a.url());
        String hostA = a.getScheme() + "://" + a.getAuthority();
        for (String series : new String[] {
                "modproxy_fetcher_fetch_seconds_count{kind=\"zip\",outcome=\"ok\"}",
                "modproxy_fetcher_fetch_seconds_count{kind=\"mod\",outcome=\"ok\"}",
                "modproxy_fetcher_fetch_seconds_count{kind=\"info\",outcome=\"error\"}",
                "modproxy_fetcher_upstream_seconds_count{host=\"" + hostA + "\",outcome=\"ok\"}",
                "modproxy_fetcher_upstream_seconds_count{host=\"" + hostA + "\",outcome=\"error\"}",
                "modproxy_fetcher_upstream_errors_total{host=\"" + hostA + "\"}",
                "modproxy_fetcher_vcs_seconds_count{host=\"corp.example\",outcome=\"not_found\"}",
                "modproxy_storage_errors_total{service=\"fetcher\"}"}) {
            assertTrue(metrics.contains(series), series + " missing from\n" + metrics);
        }
    }
}

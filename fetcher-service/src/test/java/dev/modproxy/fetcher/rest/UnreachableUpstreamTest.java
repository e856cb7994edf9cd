package dev.modproxy.fetcher.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.modproxy.testing.InternalCalls.given;
import static org.hamcrest.Matchers.containsString;

/** An upstream that refuses connections is a 502 that says so; {@code off} is a clear 404. */
@QuarkusTest
@TestProfile(UnreachableUpstreamTest.Profile.class)
class UnreachableUpstreamTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 1 on loopback: nothing listens there, so the connection is refused at once.
            return Map.of("modproxy.upstream", "http://127.0.0.1:1,off",
                    "modproxy.fetch.retries", "0",
                    "modproxy.data-dir", "target/unreachable-test");
        }
    }

    @Test
    void refusedConnectionIsA502NamingTheUpstream() {
        given().get("/internal/v1/fetch/example.com/m/@v/v1.0.0.info")
                .then().statusCode(502)
                .contentType(containsString("text/plain"))
                .body(containsString("http://127.0.0.1:1"), containsString("connection refused"));
    }
}

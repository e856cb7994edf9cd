package dev.modproxy.fetcher.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.modproxy.testing.InternalCalls.given;
import static org.hamcrest.Matchers.containsString;

/** {@code modproxy.upstream=off}: only what is stored is served; everything else is a clear 404. */
@QuarkusTest
@TestProfile(OffUpstreamTest.Profile.class)
class OffUpstreamTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("modproxy.upstream", "off", "modproxy.data-dir", "target/off-test");
        }
    }

    @Test
    void lookupsAreDisabled() {
        given().get("/internal/v1/fetch/example.com/m/@v/v1.0.0.zip")
                .then().statusCode(404).body(containsString("module lookup disabled"));
    }
}

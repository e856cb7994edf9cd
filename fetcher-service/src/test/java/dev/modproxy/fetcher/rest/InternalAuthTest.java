package dev.modproxy.fetcher.rest;

import dev.modproxy.fetcher.Upstreams;
import dev.modproxy.fetcher.UpstreamsResource;
import dev.modproxy.testing.InternalCalls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

/**
 * The fetcher answers only modproxy's own services: its internal API takes the service
 * credential (the test profile's current and previous tokens), the probes and metrics do not.
 */
@QuarkusTest
@QuarkusTestResource(value = UpstreamsResource.class, restrictToAnnotatedClass = true)
class InternalAuthTest {

    private static final String LIST = "/internal/v1/fetch/example.com/guarded/@v/list";

    @UpstreamsResource.Inject
    Upstreams up;

    @Test
    void withoutTheCredentialNothingIsFetched() {
        refused(RestAssured.given().get(LIST)).body(startsWith("service credential required"));
        refused(RestAssured.given().header("Authorization", "Bearer not-the-service-credential").get(LIST))
                .body(equalTo("service credential not accepted\n"));
        refused(RestAssured.given().header("Authorization", "Basic dXNlcjpwYXNz").get(LIST));
        // No spelling of the path gets around the guard.
        refused(RestAssured.given().urlEncodingEnabled(false).get("/q/health/../../internal/v1/fetch/example.com/guarded/@v/list"));
        refused(RestAssured.given().urlEncodingEnabled(false).get("/q/metrics/%2e%2e/%2e%2e" + LIST));
    }

    @Test
    void theCurrentAndThePreviousTokenAreAccepted() {
        Upstreams.publish(up.treeA, "example.com/guarded", "v1.0.0");
        InternalCalls.given().get(LIST).then().statusCode(200).body(containsString("v1.0.0"));
        RestAssured.given().header("Authorization", "Bearer " + InternalCalls.previousToken()).get(LIST)
                .then().statusCode(200).body(containsString("v1.0.0"));
    }

    @Test
    void probesAndMetricsStayOpen() {
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
        RestAssured.given().get("/q/health/live").then().statusCode(200);
        RestAssured.given().get("/q/metrics").then().statusCode(200);
    }

    static ValidatableResponse refused(io.restassured.response.Response r) {
        return r.then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"modproxy-internal\"")
                .contentType(startsWith("text/plain"))
                .body(matchesPattern("[^\n]+\n"));
    }
}

package dev.modproxy.audit.rest;

import dev.modproxy.testing.InternalCalls;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

/**
 * audit-service answers only modproxy's own services: the query API (which the gateway forwards
 * after its own access checks) takes the service credential, current or previous; the probes and
 * metrics do not.
 */
@QuarkusTest
class InternalAuthTest {

    private static final String QUERY = "/api/v1/audit?module=guarded.example/m&format=ndjson";

    @Test
    void withoutTheCredentialNothingIsAnswered() {
        refused(RestAssured.given().get(QUERY)).body(startsWith("service credential required"));
        refused(RestAssured.given().header("Authorization", "Bearer not-the-service-credential").get(QUERY))
                .body(equalTo("service credential not accepted\n"));
        refused(RestAssured.given().urlEncodingEnabled(false).get("/q/health/../../api/v1/audit?module=x"));
    }

    @Test
    void theCurrentAndThePreviousTokenAreAccepted() {
        InternalCalls.given().get(QUERY).then().statusCode(200).body(equalTo(""));
        RestAssured.given().header("Authorization", "Bearer " + InternalCalls.previousToken()).get(QUERY)
                .then().statusCode(200).body(equalTo(""));
    }

    @Test
    void probesAndMetricsStayOpen() {
        RestAssured.given().get("/q/health/live").then().statusCode(200);
        RestAssured.given().get("/q/metrics").then().statusCode(200);
    }

    private static ValidatableResponse refused(Response r) {
        return r.then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"modproxy-internal\"")
                .contentType(startsWith("text/plain"))
                .body(matchesPattern("[^\n]+\n"));
    }
}

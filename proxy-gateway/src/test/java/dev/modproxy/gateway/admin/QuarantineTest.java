package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.gateway.support.RecordingBlobStore;
import dev.modproxy.gateway.support.TestModules;
import dev.modproxy.gomod.module.ModuleVersion;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static dev.modproxy.gateway.support.TestModules.mv;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Takedown: a quarantined version answers 403 with the reason (never 404/410: go would fall through), leaves list and @latest, stays
 * in storage, and comes back when released. The fake fetcher lists v1.0.0 and v1.1.0 (latest).
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
class QuarantineTest {

    static final ModuleVersion OLD = mv("example.com/takedown", "v1.0.0");
    static final ModuleVersion NEW = mv("example.com/takedown", "v1.1.0");

    @Inject
    RecordingBlobStore store;

    @Test
    void quarantineIsServedAsGoneWithTheReasonAndIsReversible() throws Exception {
        TestModules.storeVersion(store.delegate(), OLD);
        TestModules.storeVersion(store.delegate(), NEW);
        given().get("/example.com/takedown/@v/v1.1.0.info").then().statusCode(200); // cached in memory now

        given().body("CVE-2030-0001: remote code execution").post("/api/v1/quarantine/example.com/takedown@v1.1.0")
                .then().statusCode(200).body("reason", equalTo("CVE-2030-0001: remote code execution"));
        for (String suffix : new String[] {".info", ".mod", ".zip"}) {
            given().get("/example.com/takedown/@v/v1.1.0" + suffix).then().log().ifValidationFails().statusCode(403)
                    .contentType(containsString("text/plain"))
                    .body(equalTo("quarantined: CVE-2030-0001: remote code execution\n"));
        }
        given().get("/example.com/takedown/@v/v1.0.0.info").then().statusCode(200);
        given().get("/example.com/takedown/@v/list").then().statusCode(200).body(equalTo("v1.0.0\n"));
        given().get("/example.com/takedown/@latest").then().statusCode(200).body("Version", equalTo("v1.0.0"));
        given().get("/api/v1/quarantine").then().statusCode(200).body("path", hasItem("example.com/takedown"));
        given().get("/catalog?q=example.com/takedown").then().statusCode(200)
                .body("versions.Version", not(hasItem("v1.1.0")));
        given().get("/api/v1/modules/example.com/takedown").then().statusCode(200)
                .body("Versions[1].Quarantined", equalTo("CVE-2030-0001: remote code execution"));

        given().delete("/api/v1/quarantine/example.com/takedown@v1.1.0").then().statusCode(200);
        given().get("/example.com/takedown/@v/v1.1.0.zip").then().statusCode(200);
        given().get("/example.com/takedown/@latest").then().statusCode(200).body("Version", equalTo("v1.1.0"));
        given().delete("/api/v1/quarantine/example.com/takedown@v1.1.0").then().statusCode(404);
    }

    @Test
    void badRequestsAreOneLine() {
        given().body("x").post("/api/v1/quarantine/example.com/takedown").then().statusCode(400)
                .body(containsString("<module>@<version>"));
        given().body("x").post("/api/v1/quarantine/example.com/takedown@master").then().statusCode(400);
        given().body("").post("/api/v1/quarantine/example.com/takedown@v1.0.0").then().statusCode(400)
                .body(containsString("reason"));
    }
}

package dev.modproxy.gateway.catalog;

import dev.modproxy.gateway.auth.AccessTest;
import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.gateway.support.RecordingBlobStore;
import dev.modproxy.gateway.support.TestModules;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.storage.catalog.Catalog;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.modproxy.gateway.support.TestModules.mv;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * With authentication and access rules on ({@link AccessTest.Secured}: corp.example.com/* for
 * alice and admins): the catalog and the feed never show a private module to anyone else, and
 * the operator endpoints under /api/v1 need the admin role; admin actions name who took them.
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
@TestProfile(AccessTest.Secured.class)
class CatalogAccessTest {

    static final ModuleVersion SECRET = mv("corp.example.com/ops-secret", "v1.0.0");
    static final ModuleVersion OPEN = mv("example.com/ops-open", "v1.0.0");

    @Inject
    RecordingBlobStore store;

    static String basic(String userPassword) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(userPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @BeforeEach
    void prepare() throws Exception {
        Catalog c = new Catalog(store.delegate());
        TestModules.storeVersion(store.delegate(), SECRET);
        TestModules.storeVersion(store.delegate(), OPEN);
        c.record(SECRET, Instant.parse("2031-01-01T00:00:00Z"), "direct", null, null);
        c.record(OPEN, Instant.parse("2031-01-01T00:00:01Z"), "https://proxy.example", null, null);
    }

    @Test
    void privateModulesStayOutOfTheCatalogAndFeedForOthers() {
        given().get("/catalog?q=ops-").then().statusCode(200)
                .body("versions.Path", equalTo(java.util.List.of("example.com/ops-open")));
        given().header("Authorization", basic("bob:bob-pw")).get("/index?since=2031-01-01T00:00:00Z").then()
                .statusCode(200).body(not(containsString("corp.example.com")));
        given().header("Authorization", basic("alice:alice-pw")).get("/catalog?q=ops-").then().statusCode(200)
                .body("versions.Path", hasItem("corp.example.com/ops-secret"));
        given().header("Authorization", basic("alice:alice-pw")).get("/index?since=2031-01-01T00:00:00Z").then()
                .statusCode(200).body(containsString("\"Path\":\"corp.example.com/ops-secret\""));
    }

    @Test
    void operatorEndpointsNeedTheAdminRoleAndActionsNameTheAdmin() {
        given().get("/api/v1/modules/example.com/ops-open").then().statusCode(401);
        given().header("Authorization", basic("bob:bob-pw")).body("why")
                .post("/api/v1/quarantine/example.com/ops-open@v1.0.0").then().statusCode(403);
        given().header("Authorization", basic("bob:bob-pw")).body("example.com/ops-open@v1.0.0")
                .post("/api/v1/prefetch").then().statusCode(403);
        given().header("Authorization", basic("root:root-pw")).body("policy test")
                .post("/api/v1/quarantine/example.com/ops-open@v1.0.0").then().statusCode(200)
                .body("by", equalTo("root"));
        given().header("Authorization", basic("root:root-pw"))
                .delete("/api/v1/quarantine/example.com/ops-open@v1.0.0").then().statusCode(200);
        // The console's files are public (its API calls carry the browser's credentials).
        given().get("/ui/").then().statusCode(200);
    }
}

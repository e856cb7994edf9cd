package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.gateway.support.RecordingBlobStore;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.storage.layout.ModuleLayout;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.modproxy.gateway.support.TestModules.mv;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prefetch through the (fake) fetcher ring: progress to "done", a summary of the failures. */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
class PrefetchTest {

    @Inject
    RecordingBlobStore store;

    @Test
    void aListIsFetchedInTheBackgroundWithFailuresSummed() throws Exception {
        String location = given().body("example.com/pf/a@v1.0.0, example.com/pf/b@v0.2.0\n"
                        + "example.com/notfound@v1.0.0  # not upstream\n")
                .post("/api/v1/prefetch").then().log().ifValidationFails().statusCode(202).extract().header("Location");
        JsonPath status = poll(location);
        assertEquals("list", status.getString("input"));
        assertEquals(3, status.getInt("total"));
        assertEquals(2, status.getInt("stored"));
        List<Map<String, String>> failures = status.getList("failures");
        assertEquals(1, failures.size());
        assertEquals("example.com/notfound", failures.get(0).get("module"));
        assertTrue(failures.get(0).get("reason").contains("unknown revision"), failures.toString());
        assertTrue(store.delegate().stat(ModuleLayout.artifact(mv("example.com/pf/b", "v0.2.0"), Type.ZIP)).isPresent());
        // The final status is in storage too, for polls that reach another replica.
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertTrue(store.delegate().stat(dev.modproxy.storage.BlobKey.of("prefetch/" + id + ".json")).isPresent());
    }

    @Test
    void aGoSumFetchesGoModOnlyLinesAsGoModOnly() throws Exception {
        String location = given().body("""
                example.com/pf/c v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
                example.com/pf/c v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
                example.com/pf/d v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
                """).post("/api/v1/prefetch").then().statusCode(202).extract().header("Location");
        JsonPath status = poll(location);
        assertEquals("go.sum", status.getString("input"));
        assertEquals(2, status.getInt("stored"));
        assertTrue(store.delegate().stat(ModuleLayout.artifact(mv("example.com/pf/c", "v1.0.0"), Type.ZIP)).isPresent());
        assertTrue(store.delegate().stat(ModuleLayout.artifact(mv("example.com/pf/d", "v1.0.0"), Type.MOD)).isPresent());
        assertTrue(store.delegate().stat(ModuleLayout.artifact(mv("example.com/pf/d", "v1.0.0"), Type.ZIP)).isEmpty());
    }

    @Test
    void badInputIsA400AndUnknownIdsA404() {
        given().body("example.com/pf/a").post("/api/v1/prefetch").then().statusCode(400)
                .body(containsString("<module>@<version>"));
        given().body("example.com/pf/a@master").post("/api/v1/prefetch").then().statusCode(400)
                .body(containsString("invalid version"));
        given().body("").post("/api/v1/prefetch").then().statusCode(400);
        given().get("/api/v1/prefetch/00000000-0000-0000-0000-000000000000").then().statusCode(404);
    }

    @Inject
    PrefetchService prefetch;

    @Test
    void finishedJobsLeaveMemoryAfterTheRetentionAndRunOnTwoThreads() throws Exception {
        prefetch.retention(java.time.Duration.ZERO);
        try {
            String first = null;
            for (int i = 0; i < 40; i++) {
                String location = given().body("example.com/notfound" + i + "@v1.0.0\n")
                        .post("/api/v1/prefetch").then().statusCode(202).extract().header("Location");
                poll(location);
                first = first == null ? location : first;
            }
            assertTrue(prefetch.jobsInMemory() == 0, "jobs in memory: " + prefetch.jobsInMemory());
            assertTrue(prefetch.coordinatorThreads() <= PrefetchService.RUNNING_JOBS);
            // a pruned job is still answered, from storage
            assertEquals("done", given().get(first).then().statusCode(200).extract().jsonPath().getString("state"));
        } finally {
            prefetch.retention(PrefetchService.RETENTION);
        }
    }

    static JsonPath poll(String location) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonPath status = given().get(location).then().statusCode(200).extract().jsonPath();
            if (status.getString("state").equals("done")) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prefetch did not finish: " + given().get(location).asString());
    }
}

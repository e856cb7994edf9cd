package dev.modproxy.gateway.catalog;

import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.gateway.support.RecordingBlobStore;
import dev.modproxy.gateway.support.TestModules;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.storage.catalog.Catalog;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.modproxy.gateway.support.TestModules.mv;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /catalog}, {@code /index} and {@code /api/v1/modules/…} over real filesystem storage. */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
class CatalogResourceTest {

    static final ModuleVersion A1 = mv("example.com/cat/a", "v1.0.0");
    static final ModuleVersion A2 = mv("example.com/cat/a", "v1.2.0");
    static final ModuleVersion B1 = mv("example.com/cat/b", "v0.1.0");
    static final ModuleVersion OLD = mv("example.com/cat/old", "v0.0.1");

    @Inject
    RecordingBlobStore store;

    @BeforeEach
    void prepare() throws Exception {
        Catalog c = new Catalog(store.delegate());
        for (ModuleVersion v : List.of(A1, A2, B1, OLD)) {
            TestModules.storeVersion(store.delegate(), v);
        }
        c.record(A1, Instant.parse("2030-01-01T00:00:01Z"), "https://proxy.example", "h1:zipA1=", "h1:modA1=");
        c.record(B1, Instant.parse("2030-01-01T00:00:02.5Z"), "direct", "h1:zipB1=", "h1:modB1=");
        c.record(A2, Instant.parse("2030-02-01T00:00:00.000003Z"), "bundle x", null, null);
        // OLD is stored but not in the catalog: only a rebuild finds it.
    }

    @Test
    void catalogPagesThroughStoredVersions() {
        given().get("/catalog?q=example.com/cat/&limit=2").then().statusCode(200)
                .body("versions.Path", equalTo(List.of("example.com/cat/a", "example.com/cat/a")))
                .body("versions.Version", equalTo(List.of("v1.0.0", "v1.2.0")))
                .body("next", equalTo("example.com/cat/a@v1.2.0"));
        given().get("/catalog?q=example.com/cat/&limit=2&after=example.com/cat/a@v1.2.0").then().statusCode(200)
                .body("versions.Path", equalTo(List.of("example.com/cat/b", "example.com/cat/old")))
                .body("next", nullValue());
        given().get("/catalog?limit=0").then().statusCode(400).contentType(containsString("text/plain"))
                .body(containsString("limit"));
    }

    @Test
    void indexIsNdjsonInStoredOrderFromSince() {
        String all = given().get("/index?since=2030-01-01T00:00:00Z").then().statusCode(200)
                .contentType(containsString("application/x-ndjson")).extract().asString();
        assertEquals("""
                {"Path":"example.com/cat/a","Version":"v1.0.0","Timestamp":"2030-01-01T00:00:01Z"}
                {"Path":"example.com/cat/b","Version":"v0.1.0","Timestamp":"2030-01-01T00:00:02.5Z"}
                {"Path":"example.com/cat/a","Version":"v1.2.0","Timestamp":"2030-02-01T00:00:00.000003Z"}
                """, all);
        String one = given().get("/index?since=2030-01-01T00:00:02.5Z&limit=1").then().statusCode(200)
                .extract().asString();
        assertEquals("{\"Path\":\"example.com/cat/b\",\"Version\":\"v0.1.0\",\"Timestamp\":\"2030-01-01T00:00:02.5Z\"}\n", one);
        given().get("/index?limit=2001").then().statusCode(400).body(containsString("2000"));
        given().get("/index?since=yesterday").then().statusCode(400).body(containsString("RFC 3339"));
    }

    @Test
    void quarantinedVersionsLeaveTheFeedWithoutShorteningAPage() {
        given().body("takedown").post("/api/v1/quarantine/example.com/cat/b@v0.1.0").then().statusCode(200);
        try {
            String page = given().get("/index?since=2030-01-01T00:00:00Z&limit=2").then().statusCode(200)
                    .extract().asString();
            assertEquals(List.of("example.com/cat/a@v1.0.0", "example.com/cat/a@v1.2.0"), page.lines()
                    .map(l -> l.replaceAll(".*\"Path\":\"([^\"]+)\",\"Version\":\"([^\"]+)\".*", "$1@$2")).toList());
        } finally {
            given().delete("/api/v1/quarantine/example.com/cat/b@v0.1.0").then().statusCode(200);
        }
    }

    @Test
    void modulePageHasVersionsProvenanceAndHashesAndSaysWhatIsUnavailable() {
        given().get("/api/v1/modules/example.com/cat/a").then().statusCode(200)
                .body("Path", equalTo("example.com/cat/a"))
                .body("Versions.Version", equalTo(List.of("v1.0.0", "v1.2.0")))
                .body("Versions[0].Origin", equalTo("https://proxy.example"))
                .body("Versions[0].FirstFetched", equalTo("2030-01-01T00:00:01Z"))
                .body("Versions[0].ZipHash", equalTo("h1:zipA1="))
                .body("Versions[0].ModHash", equalTo("h1:modA1="))
                .body("Versions[0].Time", equalTo("2024-01-02T03:04:05Z"))
                .body("Versions[0].Downloads", nullValue())
                .body("Versions[1].Origin", equalTo("bundle x"))
                .body("DownloadsUnavailable", containsString("modproxy.audit.endpoint"))
                .body("ChecksumLogUnavailable", containsString("unavailable"));
        given().get("/api/v1/modules/example.com/cat/none").then().statusCode(404)
                .body(containsString("no stored versions"));
        given().get("/api/v1/modules/Bad..Path").then().statusCode(400);
    }

    @Test
    void rebuildRecordsWhatTheCatalogMisses() {
        given().post("/api/v1/catalog/rebuild").then().statusCode(200);
        given().get("/api/v1/modules/example.com/cat/old").then().statusCode(200)
                .body("Versions[0].Origin", containsString("found in storage"));
        String feed = given().get("/index").then().statusCode(200).extract().asString();
        assertTrue(feed.contains("\"Path\":\"example.com/cat/old\""), feed);
    }

    @Test
    void consoleIsServed() {
        given().redirects().follow(false).get("/ui").then().statusCode(302).header("Location", "/ui/");
        given().get("/ui/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<label for=\"search-q\">Search modules</label>"));
        given().get("/ui/console.js").then().statusCode(200).body(containsString("/api/v1/modules/"));
        given().get("/ui/console.css").then().statusCode(200);
    }
}

package dev.modproxy.sumdb.rest;

import dev.modproxy.gomod.note.NoteKeys;
import dev.modproxy.gomod.note.Notes;
import dev.modproxy.gomod.note.VerifierList;
import dev.modproxy.gomod.tlog.Record;
import dev.modproxy.gomod.tlog.Tree;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static dev.modproxy.testing.InternalCalls.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sumdb protocol and the internal API over HTTP, with the upstream database off (test profile). */
@QuarkusTest
class SumdbProtocolTest {

    static final String NAME = "sum.modproxy.local";
    static final String H1 = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    static final String H2 = "h1:Tsy+3gLk0yXA9ZlCuB6bnkPpNlo9f6nYM+NsXRvu5Q4=";

    static String body(String module, String version, String zip, String mod) {
        return "{\"module\":\"" + module + "\",\"version\":\"" + version + "\",\"zipHash\":\"" + zip
                + "\",\"modHash\":\"" + mod + "\"}";
    }

    private static String record(String module, String version, String zip, String mod, int status) {
        return given().contentType(ContentType.JSON).body(body(module, version, zip, mod))
                .when().post("/internal/v1/sumdb/record")
                .then().statusCode(status).extract().asString();
    }

    @Test
    void theVerifierKeyIsServedAsText() {
        String key = given().when().get("/api/v1/sumdb/verifier-key")
                .then().statusCode(200).contentType(containsString("text/plain"))
                .body(startsWith(NAME + "+")).extract().asString().strip();
        assertEquals(NAME, assertDoesNotThrow(() -> NoteKeys.newVerifier(key)).name());
    }

    @Test
    void aRecordedVersionIsLookedUpWithASignedTreeThatContainsIt() throws Exception {
        String module = "example.com/rec" + UUID.randomUUID().toString().substring(0, 8);
        String first = record(module, "v1.2.3", H1, H2, 200);
        assertEquals(first, record(module, "v1.2.3", H1, H2, 200), "recording again is idempotent");

        byte[] answer = given().when().get("/sumdb/" + NAME + "/lookup/" + module + "@v1.2.3")
                .then().statusCode(200).extract().asByteArray();
        Record.Parsed r = Record.parse(answer);
        assertEquals(module + " v1.2.3 " + H1 + "\n" + module + " v1.2.3/go.mod " + H2 + "\n", r.record().text());
        String key = given().get("/api/v1/sumdb/verifier-key").asString().strip();
        var note = Notes.open(r.rest(), VerifierList.of(NoteKeys.newVerifier(key)));
        Tree tree = Tree.parse(note.text().getBytes(StandardCharsets.UTF_8));
        assertTrue(tree.n() > r.record().id());
        byte[] latest = given().get("/sumdb/" + NAME + "/latest").then().statusCode(200).extract().asByteArray();
        assertTrue(new String(latest, StandardCharsets.UTF_8).startsWith("go.sum database tree\n"));
        given().get("/sumdb/" + NAME + "/tile/8/0/000.p/1").then().statusCode(200)
                .contentType("application/octet-stream");
        given().get("/sumdb/" + NAME + "/tile/8/data/000.p/1").then().statusCode(200)
                .body(startsWith("0\n"));
    }

    @Test
    void differentHashesForARecordedVersionAreAMismatchNamingBoth() {
        String module = "example.com/mis" + UUID.randomUUID().toString().substring(0, 8);
        record(module, "v1.0.0", H1, H2, 200);
        String reason = record(module, "v1.0.0", H2, H2, 409);
        assertTrue(reason.contains("checksum mismatch") && reason.contains(H1) && reason.contains(H2), reason);
    }

    @Test
    void badRecordRequestsAre400WithAReason() {
        given().contentType(ContentType.JSON).body("{not json").post("/internal/v1/sumdb/record")
                .then().statusCode(400).contentType(containsString("text/plain")).body(containsString("not JSON"));
        given().contentType(ContentType.JSON).body("[]").post("/internal/v1/sumdb/record")
                .then().statusCode(400).body(containsString("JSON object"));
        record("example.com/x", "v1.0.0", "h1:short", H2, 400);
        record("Example..com/x", "v1.0.0", H1, H2, 400);
        record("example.com/x", "1.0", H1, H2, 400);
        given().contentType(ContentType.JSON).body("{\"module\":\"example.com/x\"}").post("/internal/v1/sumdb/verify")
                .then().statusCode(400).body(containsString("required"));
    }

    @Test
    void verifyIsSkippedWhenTheUpstreamDatabaseIsOff() {
        given().contentType(ContentType.JSON).body(body("example.com/v", "v1.0.0", H1, H2))
                .post("/internal/v1/sumdb/verify")
                .then().statusCode(200).body("status", equalTo("skipped")).body("reason", containsString("off"));
    }

    @Test
    void malformedLookupsTilesAndNamesAre400Or404WithReasons() {
        String base = "/sumdb/" + NAME;
        given().get(base + "/lookup/example.com/x").then().statusCode(400)
                .body(containsString("invalid module@version syntax"));
        given().get(base + "/lookup/example.com/x@1.0.0").then().statusCode(400);
        given().get(base + "/lookup/Example.com/x@v1.0.0").then().statusCode(400)
                .body(containsString("invalid lookup"));
        given().get(base + "/lookup/example.com/never-recorded@v1.0.0").then().statusCode(404)
                .body(containsString("not found"));
        given().get(base + "/tile/8/0/abc").then().statusCode(400).body(containsString("invalid tile syntax"));
        given().get(base + "/tile/8/0/001.p/256").then().statusCode(400);
        given().get(base + "/tile/4/0/000.p/1").then().statusCode(404).body(containsString("height"));
        given().get(base + "/tile/8/0/x999/000").then().statusCode(404).body(containsString("not in the tree"));
        given().get(base + "/nonsense").then().statusCode(404).body(containsString("unknown checksum database operation"));
        given().get(base + "/supported").then().statusCode(200);
        given().get("/sumdb/sum.golang.org/supported").then().statusCode(404)
                .contentType(containsString("text/plain")).body(allOf(containsString("no checksum database"),
                        containsString(NAME)));
        given().get("/sumdb/other.example/latest").then().statusCode(404);
    }
}

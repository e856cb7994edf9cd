package dev.modproxy.sumdb.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

/**
 * sumdb-service answers only modproxy's own services, whose credential comes from a token file
 * (a mounted Secret) here: a record (permanent in the own log) without it is refused and leaves
 * nothing; the checksum database and the verifier key need it too; a rotation of the file
 * (new + previous, then new alone) takes effect without a restart.
 */
@QuarkusTest
@TestProfile(InternalAuthTest.TokenFile.class)
class InternalAuthTest {

    static final String OLD = "old-token-0123456789abcdef";
    static final String NEW = "new-token-0123456789abcdef";
    static final Path FILE = Path.of("target/internal-auth-test/token").toAbsolutePath();

    public static class TokenFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            write(OLD + "\n");
            // An empty value unsets the test profile's fixed token: the file is the only source.
            return Map.of("modproxy.internal.token-file", FILE.toString(), "modproxy.internal.token", "",
                    "modproxy.data-dir", "target/internal-auth-test/data");
        }
    }

    @Test
    void aRotatedTokenFileTakesEffectWithoutARestart() {
        String module = "example.com/guarded" + UUID.randomUUID().toString().substring(0, 8);
        write(OLD + "\n");
        refused(record(RestAssured.given(), module)).body(startsWith("service credential required"));
        refused(record(bearer("wrong-token-0123456789abcdef"), module)).body(equalTo("service credential not accepted\n"));
        lookup(bearer(OLD), module).then().statusCode(404); // the refused records left nothing
        record(bearer(OLD), module).then().statusCode(200);

        // Rotation, step 1: the new token first, the previous one still accepted.
        write("# rotated\n" + NEW + "\n" + OLD + "\n");
        lookup(bearer(NEW), module).then().statusCode(200);
        lookup(bearer(OLD), module).then().statusCode(200);

        // Step 3: the previous one dropped.
        write(NEW + "\n");
        refused(lookup(bearer(OLD), module));
        lookup(bearer(NEW), module).then().statusCode(200);
    }

    @Test
    void theWholePortButProbesAndMetricsTakesTheCredential() {
        write(OLD + "\n");
        refused(RestAssured.given().get("/api/v1/sumdb/verifier-key"));
        refused(RestAssured.given().get("/sumdb/" + SumdbProtocolTest.NAME + "/latest"));
        bearer(OLD).get("/api/v1/sumdb/verifier-key").then().statusCode(200);
        bearer(OLD).get("/sumdb/" + SumdbProtocolTest.NAME + "/latest").then().statusCode(200);
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
        RestAssured.given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aBrokenTokenFileClosesTheApi() {
        write("short\n");
        refused(bearer("short").get("/api/v1/sumdb/verifier-key"))
                .body(startsWith("internal API closed: a token in token file"));
        write(OLD + "\n");
        bearer(OLD).get("/api/v1/sumdb/verifier-key").then().statusCode(200);
    }

    private static RequestSpecification bearer(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }

    private static Response record(RequestSpecification spec, String module) {
        return spec.contentType(ContentType.JSON).body(SumdbProtocolTest.body(module, "v1.0.0",
                SumdbProtocolTest.H1, SumdbProtocolTest.H2)).post("/internal/v1/sumdb/record");
    }

    private static Response lookup(RequestSpecification spec, String module) {
        return spec.get("/sumdb/" + SumdbProtocolTest.NAME + "/lookup/" + module + "@v1.0.0");
    }

    private static ValidatableResponse refused(Response r) {
        return r.then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"modproxy-internal\"")
                .contentType(startsWith("text/plain"))
                .body(matchesPattern("[^\n]+\n"));
    }

    /** Replaces the file the way Kubernetes updates a mounted Secret: a new file moved over the old. */
    static void write(String content) {
        try {
            Files.createDirectories(FILE.getParent());
            Path tmp = FILE.resolveSibling("token.new");
            Files.writeString(tmp, content);
            Files.move(tmp, FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

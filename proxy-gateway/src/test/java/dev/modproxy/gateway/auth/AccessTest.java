package dev.modproxy.gateway.auth;

import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.testing.RawHttp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.modproxy.gateway.auth.CredentialsTest.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication on: private modules ({@code corp.example.com/*}) are readable only by alice and
 * the admin group; other users are told "not found", anonymous clients are challenged. Bad credentials get
 * a 401 challenge. {@code /api/v1/*} needs the admin group.
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
@TestProfile(AccessTest.Secured.class)
public class AccessTest {

    public static final String TOKEN = "ci-token-0123456789";

    public static class Secured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createDirectories(Path.of("target/access-test").toAbsolutePath());
                Path users = dir.resolve("users");
                Files.writeString(users, "alice:" + AccountsTest.bcrypt("alice-pw") + ":dev\n"
                        + "bob:" + AccountsTest.bcrypt("bob-pw") + "\n"
                        + "root:" + AccountsTest.bcrypt("root-pw") + ":admin\n");
                Path tokens = dir.resolve("tokens");
                Files.writeString(tokens, Authenticator.sha256(TOKEN) + ":ci-bot:admin\n");
                Path policy = dir.resolve("policy.yaml");
                Files.writeString(policy, """
                        access:
                          - modules: ["corp.example.com/*"]
                            readers: ["alice", "group:admin"]
                        """);
                return Map.of("modproxy.auth.enabled", "true",
                        "modproxy.auth.users-file", users.toString(),
                        "modproxy.auth.tokens-file", tokens.toString(),
                        "modproxy.policy.file", policy.toString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @TestHTTPResource("/")
    URL base;

    RawHttp.Response get(String target, String... headers) throws IOException {
        return RawHttp.send(base.getPort(), "GET", target, headers);
    }

    @Test
    void privateModulesOnlyForTheirReaders() throws IOException {
        String secret = "/corp.example.com/secret/@v/v1.0.0.info";
        RawHttp.Response alice = get(secret, "Authorization: " + basic("alice:alice-pw"));
        assertEquals(200, alice.status(), alice.text());
        assertEquals("alice", alice.header("X-Test-Identity"));
        // Cached by the basic-auth cache now: still alice.
        assertEquals(200, get(secret, "Authorization: " + basic("alice:alice-pw")).status());
        assertEquals(200, get("/corp.example.com/secret/@v/list", "Authorization: Bearer " + TOKEN).status());

        // Answers about a protected module are for their reader only: never cacheable by a shared cache.
        assertTrue(alice.header("Cache-Control").startsWith("private"), alice.header("Cache-Control"));
        assertEquals("Authorization", alice.header("Vary"));
        // bob is known and outside the rule: the module does not exist for him (names do not leak).
        RawHttp.Response bob = get(secret, "Authorization: " + basic("bob:bob-pw"));
        assertEquals(404, bob.status(), bob.text());
        assertEquals("not found: corp.example.com/secret/@v/v1.0.0.info\n", bob.text());
        assertTrue(bob.header("X-Test-Policy").startsWith("hidden access[0]"), bob.header("X-Test-Policy"));
        assertEquals(null, bob.header("WWW-Authenticate"));
        // An anonymous client is challenged, so a client with credentials (.netrc, GOAUTH) sends
        // them; a 401 is not "not found", so go does not fall through to the next proxy either.
        RawHttp.Response anonymous = get(secret);
        assertEquals(401, anonymous.status(), anonymous.text());
        assertEquals(Authenticator.CHALLENGE, anonymous.header("WWW-Authenticate"));
        assertTrue(anonymous.header("X-Test-Policy").startsWith("challenged access[0]"), anonymous.header("X-Test-Policy"));
        // The same rule, spelt with other letter case (one repository on case-insensitive hosts).
        assertEquals(404, get("/corp.example.com/!secret/@v/v1.0.0.info", "Authorization: " + basic("bob:bob-pw")).status());
        // Public modules: anyone, anonymous included.
        assertEquals(200, get("/example.com/public/@v/v1.0.0.mod").status());
        assertEquals(200, get("/example.com/public/@v/v1.0.0.mod", "Authorization: " + basic("bob:bob-pw")).status());
    }

    @Test
    void badCredentialsAreChallenged() throws IOException {
        for (String auth : new String[] {basic("alice:wrong"), basic("mallory:x"), "Bearer nope", "Digest abc", "Basic %%%"}) {
            RawHttp.Response r = get("/example.com/public/@v/v1.0.0.mod", "Authorization: " + auth);
            assertEquals(401, r.status(), auth);
            assertEquals(Authenticator.CHALLENGE, r.header("WWW-Authenticate"));
            assertTrue(r.text().startsWith("authentication failed: "), r.text());
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        }
    }

    @Test
    void adminApiNeedsTheAdminGroup() throws IOException {
        String api = "/api/v1/audit";
        RawHttp.Response anonymous = get(api);
        assertEquals(401, anonymous.status());
        assertEquals(Authenticator.CHALLENGE, anonymous.header("WWW-Authenticate"));
        RawHttp.Response bob = get(api, "Authorization: " + basic("bob:bob-pw"));
        assertEquals(403, bob.status());
        assertEquals("forbidden: GET /api/v1/audit needs the admin-read or admin role\n", bob.text());
        RawHttp.Response alice = get(api, "Authorization: " + basic("alice:alice-pw"));
        assertEquals(403, alice.status());
        for (String admin : new String[] {"Authorization: " + basic("root:root-pw"), "Authorization: Bearer " + TOKEN}) {
            int status = get(api, admin).status();
            assertNotEquals(401, status);
            assertNotEquals(403, status);
        }
    }

    @Test
    void checksumDatabaseLookupsFollowTheAccessRules() throws IOException {
        String lookup = "/sumdb/sum.modproxy.local/lookup/corp.example.com/secret@v1.0.0";
        // No sumdb-service runs in this test (port 1): a request let through is a 502 from the forwarder.
        assertEquals(502, get(lookup, "Authorization: " + basic("alice:alice-pw")).status());
        RawHttp.Response bob = get(lookup, "Authorization: " + basic("bob:bob-pw"));
        assertEquals(404, bob.status(), bob.text());
        assertEquals("not found: lookup corp.example.com/secret@v1.0.0\n", bob.text());
        RawHttp.Response anonymous = get(lookup);
        assertEquals(401, anonymous.status(), anonymous.text());
        assertEquals(Authenticator.CHALLENGE, anonymous.header("WWW-Authenticate"));
        // Other modules and the log's own paths: as public as the GOPROXY protocol here.
        assertEquals(502, get("/sumdb/sum.modproxy.local/lookup/example.com/public@v1.0.0").status());
        assertEquals(502, get("/sumdb/sum.modproxy.local/latest").status());
    }

    @Test
    void theVerifierKeyIsPublic() throws IOException {
        int status = get("/api/v1/sumdb/verifier-key").status();
        assertNotEquals(401, status);
        assertNotEquals(403, status);
    }

    @Test
    void healthStaysOpen() throws IOException {
        assertEquals(200, get("/q/health/live").status());
    }
}

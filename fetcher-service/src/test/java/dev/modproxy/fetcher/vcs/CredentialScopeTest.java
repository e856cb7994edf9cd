package dev.modproxy.fetcher.vcs;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.modproxy.testing.InternalCalls.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Git credentials are bound to module paths, not to whatever host a go-import tag names: the
 * company's git host (127.0.0.51, a token in modproxy.vcs.credentials-dir) serves its private
 * module with the token, but {@code 127.0.0.52/evil}, whose go-import tag points at the
 * company's repository, gets no token (404 "authentication failed") and the git host never sees
 * one; nor does the outsider read the mirror the private module's fetch made.
 */
@QuarkusTest
@QuarkusTestResource(value = CredentialScopeTest.Servers.class, restrictToAnnotatedClass = true)
class CredentialScopeTest {

    static final String CORP = "127.0.0.51";
    static final String EVIL = "127.0.0.52";
    static final String TOKEN = "glpat-secret-0123456789";

    static final List<GitHttpServer> SERVERS = new ArrayList<>();

    public static class Servers implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "credscope");
                GitHttpServer corp = new GitHttpServer(CORP, null, dir.resolve("corp"))
                        .requireBasic("/", (u, p) -> p.equals(TOKEN))
                        .repo("secret/repo", CORP + "/secret/repo.git");
                GitHttpServer evil = new GitHttpServer(EVIL, null, dir.resolve("evil"))
                        .goImport(EVIL + "/evil", EVIL + "/evil git http://" + CORP + "/secret/repo");
                SERVERS.add(corp);
                SERVERS.add(evil);
                Path secret = Files.createDirectories(dir.resolve("secret"));
                Files.writeString(secret.resolve(CORP), TOKEN + "\n");
                return Map.of("modproxy.upstream", "direct",
                        "modproxy.private", CORP,
                        "modproxy.insecure", CORP + "," + EVIL,
                        "modproxy.vcs.allow-loopback", "true",
                        "modproxy.vcs.credentials-dir", secret.toString(),
                        "modproxy.data-dir", dir.resolve("data").toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            SERVERS.forEach(GitHttpServer::close);
        }
    }

    @Test
    void theTokenGoesOnlyToModulesMatchingPrivate() {
        GitHttpServer corp = SERVERS.get(0);
        given().get("/internal/v1/fetch/" + CORP + "/secret/repo.git/@v/v1.0.0.info")
                .then().statusCode(200).body("Version", equalTo("v1.0.0"));
        int seen = corp.users.size();
        // the mirror the private module made exists now; the outsider must neither use it nor the token
        given().get("/internal/v1/fetch/" + EVIL + "/evil/@v/list")
                .then().statusCode(404).body(containsString("authentication failed"));
        given().get("/internal/v1/fetch/" + EVIL + "/evil/@v/v1.0.0.info")
                .then().statusCode(404).body(containsString("authentication failed"));
        assertEquals(seen, corp.users.size(), "the git host saw the token for the outsider's module");
    }
}

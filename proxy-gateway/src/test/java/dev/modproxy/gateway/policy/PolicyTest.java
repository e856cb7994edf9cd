package dev.modproxy.gateway.policy;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deny rules, cooldown and retraction hiding against a scripted fetcher; the rules file is
 * changed while the gateway runs and the change takes effect without a restart.
 */
@QuarkusTest
@WithTestResource(ScriptedFetcher.class)
@TestProfile(PolicyTest.Rules.class)
class PolicyTest {

    static final Path FILE = Path.of("target/policy-test/policy.yaml").toAbsolutePath();
    static final String RULES = """
            deny:
              - module: "example.com/vuln"
                versions: "<v1.2.0"
                reason: "CVE-2099-0001: upgrade to v1.2.0"
              - module: "example.com/retired"
                reason: "retired: use example.com/new"
            cooldown:
              min-age: 72h
            hide-retracted: true
            """;

    public static class Rules implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(FILE.getParent());
                Files.writeString(FILE, RULES);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("modproxy.policy.file", FILE.toString(), "modproxy.policy.reload-interval", "100ms");
        }
    }

    @TestHTTPResource("/")
    URL base;

    RawHttp.Response get(String target) throws IOException {
        return RawHttp.send(base.getPort(), "GET", target);
    }

    @Test
    void blockedVersionsAnswerTheirReason() throws IOException {
        RawHttp.Response r = get("/example.com/vuln/@v/v1.1.0.zip");
        assertEquals(403, r.status());
        assertEquals("example.com/vuln@v1.1.0: CVE-2099-0001: upgrade to v1.2.0\n", r.text());
        assertTrue(r.header("X-Test-Policy").startsWith("deny deny[0]"), r.header("X-Test-Policy"));
        assertEquals(200, get("/example.com/vuln/@v/v1.2.0.zip").status());
        assertEquals("v1.2.0\n", get("/example.com/vuln/@v/list").text());
        // 403 on a whole module too: never 404/410, which the go command would walk around.
        RawHttp.Response gone = get("/example.com/retired/@v/list");
        assertEquals(403, gone.status());
        assertEquals("retired: use example.com/new\n", gone.text());
    }

    @Test
    void cooldownHidesYoungVersions() throws IOException {
        RawHttp.Response list = get("/example.com/young/@v/list");
        assertEquals("v1.0.0\n", list.text());
        assertTrue(list.header("X-Test-Policy").startsWith("filtered"), list.header("X-Test-Policy"));
        assertTrue(get("/example.com/young/@latest").text().contains("\"Version\":\"v1.0.0\""));
        RawHttp.Response young = get("/example.com/young/@v/v1.1.0.mod");
        assertEquals(403, young.status());
        assertTrue(young.text().startsWith("example.com/young@v1.1.0 was published "), young.text());
        assertTrue(young.text().contains("72h after release (cooldown)"), young.text());
    }

    @Test
    void retractedVersionsAreHidden() throws IOException {
        assertEquals("v1.0.0\nv1.2.0\n", get("/example.com/retracting/@v/list").text());
        assertTrue(get("/example.com/selfretract/@latest").text().contains("\"Version\":\"v1.0.0\""));
        assertEquals("v1.0.0\n", get("/example.com/selfretract/@v/list").text());
        // Asked for by name, a retracted version is still served (go warns about it itself).
        assertEquals(200, get("/example.com/retracting/@v/v1.1.0.info").status());
    }

    @Test
    void rulesReloadWithoutRestart() throws Exception {
        assertEquals(200, get("/example.com/reload/@v/v1.0.0.info").status());
        Files.writeString(FILE, RULES + "allow: [\"example.com/vuln\"]\nmode: allow-list\n");
        try {
            int status = 0;
            for (int i = 0; i < 50 && status != 403; i++) {
                Thread.sleep(100);
                status = get("/example.com/reload/@v/v1.0.0.info").status();
            }
            assertEquals(403, status);
            assertEquals("example.com/reload is not on the allow list of this proxy\n",
                    get("/example.com/reload/@v/list").text());
            // A broken file keeps the last good rules.
            Files.writeString(FILE, "mode: [broken\n");
            Thread.sleep(300);
            assertEquals(403, get("/example.com/reload/@v/list").status());
        } finally {
            Files.writeString(FILE, RULES);
            Thread.sleep(300);
        }
    }
}

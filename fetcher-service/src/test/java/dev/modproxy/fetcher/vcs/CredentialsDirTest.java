package dev.modproxy.fetcher.vcs;

import dev.modproxy.testing.TestCertificates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.modproxy.testing.InternalCalls.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Git credentials per host from a directory laid out like a mounted Kubernetes Secret
 * ({@code modproxy.vcs.credentials-dir}: {@code <host> -> ..data/<host>}, {@code ..data ->
 * ..<timestamp>/}), against HTTPS git servers (pinned self-signed certificates) that want Basic
 * authentication for git and go-import discovery alike: a bare token and {@code user:password}
 * both work, a host without credentials is a 404 that says authentication failed, and an
 * updated Secret applies without a restart.
 */
@QuarkusTest
@QuarkusTestResource(value = CredentialsDirTest.Servers.class, restrictToAnnotatedClass = true)
class CredentialsDirTest {

    static final String TOKEN_HOST = "127.0.0.31";
    static final String USER_HOST = "127.0.0.32";
    static final String NO_CREDENTIALS = "127.0.0.33";
    static final String TOKEN = "glpat-0123456789abcdef";
    static final String PASSWORD = "pass:word";

    public static class Servers implements QuarkusTestResourceLifecycleManager {
        private final List<GitHttpServer> servers = new ArrayList<>();

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "credentials");
                TestCertificates cert = TestCertificates.create(dir, "git");
                // GitHub, GitLab and Gitea take a token as the password whatever the user name
                serve(dir, TOKEN_HOST, cert, (u, p) -> p.equals(TOKEN) && !u.isEmpty())
                        .repo("meta/lib", TOKEN_HOST + "/meta/lib")
                        .goImport(TOKEN_HOST + "/meta/lib", TOKEN_HOST + "/meta/lib git https://" + TOKEN_HOST + "/meta/lib");
                serve(dir, USER_HOST, cert, (u, p) -> u.equals("deploy") && p.equals(PASSWORD));
                serve(dir, NO_CREDENTIALS, cert, (u, p) -> true);
                Path secret = Files.createDirectories(dir.resolve("secret"));
                mount(secret, "..2024_01_01", Map.of(TOKEN_HOST, TOKEN + "\n", USER_HOST, "deploy:wrong\n"));
                String pins = String.join(",", List.of(TOKEN_HOST, USER_HOST, NO_CREDENTIALS).stream()
                        .map(h -> h + "=" + cert.pem()).toList());
                return Map.of("modproxy.upstream", "off",
                        "modproxy.private", TOKEN_HOST + "," + USER_HOST + "," + NO_CREDENTIALS,
                        "modproxy.vcs.allow-loopback", "true",
                        "modproxy.vcs.timeout", "10s",
                        "modproxy.vcs.pins", pins,
                        "modproxy.vcs.credentials-dir", secret.toString(),
                        "modproxy.data-dir", dir.resolve("data").toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private GitHttpServer serve(Path dir, String host, TestCertificates cert,
                                    java.util.function.BiPredicate<String, String> auth) throws Exception {
            GitHttpServer s = new GitHttpServer(host, cert.serverContext(), dir.resolve(host));
            servers.add(s);
            return s.requireBasic("/", auth).repo("team/lib", host + "/team/lib.git");
        }

        @Override
        public void stop() {
            servers.forEach(GitHttpServer::close);
        }
    }

    /**
     * Writes a Secret's keys the way the kubelet does: into a new hidden directory, then one
     * atomic swap of the {@code ..data} link; each key is a link through {@code ..data}.
     */
    static void mount(Path secret, String version, Map<String, String> keys) throws Exception {
        Path data = Files.createDirectories(secret.resolve(version));
        for (var k : keys.entrySet()) {
            Files.writeString(data.resolve(k.getKey()), k.getValue());
            Path link = secret.resolve(k.getKey());
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of("..data", k.getKey()));
            }
        }
        Path tmp = secret.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of(version));
        Files.move(tmp, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void ok(String module) {
        given().get("/internal/v1/fetch/" + module + "/@v/v1.0.0.info")
                .then().statusCode(200).body("Version", equalTo("v1.0.0"));
    }

    private static void authenticationFailed(String module) {
        given().get("/internal/v1/fetch/" + module + "/@v/v1.0.0.info")
                .then().statusCode(404).body(allOf(containsString("authentication failed"),
                        containsString("modproxy.vcs.credentials-dir")));
    }

    @Test
    void aBareTokenIsSentAsPasswordForGitAndDiscovery() {
        ok(TOKEN_HOST + "/team/lib.git");
        ok(TOKEN_HOST + "/meta/lib");
    }

    @Test
    void aHostWithoutCredentialsIsNotFoundWithTheReason() {
        authenticationFailed(NO_CREDENTIALS + "/team/lib.git");
    }

    @Test
    void anUpdatedSecretAppliesWithoutARestart() throws Exception {
        authenticationFailed(USER_HOST + "/team/lib.git");
        Path secret = ConfigProvider.getConfig().getValue("modproxy.vcs.credentials-dir", Path.class);
        mount(secret, "..2024_01_02", Map.of(TOKEN_HOST, TOKEN + "\n", USER_HOST, "deploy:" + PASSWORD + "\n"));
        ok(USER_HOST + "/team/lib.git");
    }
}

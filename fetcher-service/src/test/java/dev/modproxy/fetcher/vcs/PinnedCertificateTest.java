package dev.modproxy.fetcher.vcs;

import dev.modproxy.testing.TestCertificates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.modproxy.testing.InternalCalls.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Self-signed git servers pinned per host ({@code modproxy.vcs.pins}), over HTTPS on
 * 127.0.0.0/8 port 443: a pinned host is trusted for its pinned certificate whatever signed it
 * (by digest or by PEM file; for JGit's dumb HTTP and for go-import discovery), and refused with a
 * 502 that says why for any other certificate; hosts without a pin keep the CA checks, host name
 * included.
 */
@QuarkusTest
@QuarkusTestResource(value = PinnedCertificateTest.Servers.class, restrictToAnnotatedClass = true)
class PinnedCertificateTest {

    static final String BY_DIGEST = "127.0.0.21";
    static final String BY_FILE = "127.0.0.22";
    static final String UNPINNED = "127.0.0.23";
    static final String WRONG_PIN = "127.0.0.24";
    static final String WRONG_NAME = "127.0.0.25";
    static final String CA_SIGNED = "127.0.0.1";

    public static class Servers implements QuarkusTestResourceLifecycleManager {
        private final List<GitHttpServer> servers = new ArrayList<>();

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pins");
                TestCertificates a = TestCertificates.create(dir, "self-a");
                TestCertificates b = TestCertificates.create(dir, "self-b");
                TestCertificates stranger = TestCertificates.create(dir, "stranger");
                // A CA-trusted certificate for 127.0.0.1 (its only subject alternative name).
                TestCertificates corp = TestCertificates.create(dir, "corp");
                withMeta(serve(dir, BY_DIGEST, a), BY_DIGEST);
                serve(dir, BY_FILE, b);
                withMeta(serve(dir, UNPINNED, stranger), UNPINNED);
                serve(dir, WRONG_PIN, stranger);
                serve(dir, WRONG_NAME, corp);
                serve(dir, CA_SIGNED, corp);
                String hosts = String.join(",", BY_DIGEST, BY_FILE, UNPINNED, WRONG_PIN, WRONG_NAME, CA_SIGNED);
                return Map.of("modproxy.upstream", "off",
                        "modproxy.private", hosts,
                        "modproxy.vcs.allow-loopback", "true",
                        "modproxy.vcs.timeout", "10s",
                        "modproxy.tls.trust", corp.pem().toString(),
                        // a host may carry several pins (rotation): any one will do
                        "modproxy.vcs.pins", BY_DIGEST + "=sha256/" + digest(stranger.pem()) + ", " + BY_DIGEST + "=sha256/" + digest(a.pem())
                                + "," + BY_FILE + "=" + b.pem() + "," + WRONG_PIN + "=sha256/" + digest(a.pem()),
                        "modproxy.data-dir", dir.resolve("data").toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private GitHttpServer serve(Path dir, String host, TestCertificates cert) throws Exception {
            GitHttpServer s = new GitHttpServer(host, cert.serverContext(), dir.resolve(host));
            servers.add(s);
            return s.repo("team/lib", host + "/team/lib.git");
        }

        /** Module {@code <host>/meta/lib}, found by go-import discovery over HTTPS. */
        private static void withMeta(GitHttpServer s, String host) throws Exception {
            s.repo("meta/lib", host + "/meta/lib").goImport(host + "/meta/lib", host + "/meta/lib git https://" + host + "/meta/lib");
        }

        @Override
        public void stop() {
            servers.forEach(GitHttpServer::close);
        }
    }

    static String digest(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return PinnedTrust.digest(CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    private static void ok(String module) {
        given().get("/internal/v1/fetch/" + module + "/@v/v1.0.0.info")
                .then().statusCode(200).body("Version", equalTo("v1.0.0"));
        given().get("/internal/v1/fetch/" + module + "/@v/v1.0.0.mod")
                .then().statusCode(200).body(containsString("module "));
    }

    private static void refused(String module, String why) {
        System.out.println("DEBUGBODY " + given().get("/internal/v1/fetch/" + module + "/@v/v1.0.0.info").asString());
        given().get("/internal/v1/fetch/" + module + "/@v/v1.0.0.info")
                .then().statusCode(502).body(allOf(containsString("TLS"), containsString(why), containsString("modproxy.vcs.pins")));
    }

    @Test
    void aHostPinnedByDigestIsTrustedForGitAndDiscovery() {
        ok(BY_DIGEST + "/team/lib.git");
        ok(BY_DIGEST + "/meta/lib");
    }

    @Test
    void aHostPinnedByPemFileIsTrusted() {
        ok(BY_FILE + "/team/lib.git");
    }

    @Test
    void anUnpinnedSelfSignedHostIsRefusedWithAReason() {
        refused(UNPINNED + "/team/lib.git", "unable to find valid certification path");
        // go-import discovery over HTTPS refuses it too
        refused(UNPINNED + "/meta/lib", "unable to find valid certification path");
    }

    @Test
    void aCertificateOtherThanThePinIsRefused() {
        refused(WRONG_PIN + "/team/lib.git", "does not match its pin");
    }

    @Test
    void unpinnedHostsKeepTheCaAndHostNameChecks() {
        ok(CA_SIGNED + "/team/lib.git");
        refused(WRONG_NAME + "/team/lib.git", "subject alternative names");
    }
}

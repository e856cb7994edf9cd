package dev.modproxy.fetcher.client;

import dev.modproxy.fetcher.Upstreams;
import dev.modproxy.testing.GoProxyTree;
import dev.modproxy.testing.TestCertificates;
import dev.modproxy.testing.UpstreamServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.modproxy.testing.InternalCalls.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Upstreams behind a private CA: trusted through {@code modproxy.tls.trust}, on top of the
 * JDK's CAs; an upstream whose certificate chains to nothing trusted is a 502, never a
 * silently accepted connection.
 */
@QuarkusTest
@QuarkusTestResource(value = TlsTrustTest.TwoHttpsUpstreams.class, restrictToAnnotatedClass = true)
class TlsTrustTest {

    public static class TwoHttpsUpstreams implements QuarkusTestResourceLifecycleManager {
        private UpstreamServer trusted;
        private UpstreamServer untrusted;

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "tls");
                TestCertificates corpCa = TestCertificates.create(dir, "corp-ca");
                TestCertificates strangers = TestCertificates.create(dir, "stranger");
                GoProxyTree a = new GoProxyTree(dir.resolve("trusted"));
                GoProxyTree b = new GoProxyTree(dir.resolve("untrusted"));
                Upstreams.publish(a, "example.com/behind-ca", "v1.0.0");
                Upstreams.publish(b, "example.com/elsewhere", "v1.0.0");
                trusted = new UpstreamServer(a.root(), corpCa.serverContext());
                untrusted = new UpstreamServer(b.root(), strangers.serverContext());
                return Map.of("modproxy.upstream", trusted.url() + "," + untrusted.url(),
                        "modproxy.tls.trust", corpCa.pem().toString(),
                        "modproxy.fetch.retries", "0",
                        "modproxy.data-dir", dir.resolve("data").toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            trusted.close();
            untrusted.close();
        }
    }

    @Test
    void anUpstreamSignedByTheConfiguredCaIsTrusted() {
        given().get("/internal/v1/fetch/example.com/behind-ca/@v/v1.0.0.info")
                .then().statusCode(200).body("Version", equalTo("v1.0.0"));
    }

    @Test
    void anUpstreamSignedByAnUnknownCaIsRefused() {
        given().get("/internal/v1/fetch/example.com/elsewhere/@v/v1.0.0.info")
                .then().statusCode(502).body(containsString("https://127.0.0.1"));
    }
}

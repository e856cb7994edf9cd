package dev.modproxy.gateway.tls;

import dev.modproxy.gateway.support.FakeFetchers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway serving HTTPS with a certificate from the Quarkus TLS registry (a self-signed one
 * made here with keytool, for 127.0.0.1), and redirecting plain HTTP to it.
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
@TestProfile(TlsTest.Https.class)
class TlsTest {

    static final Path DIR = Path.of("target/tls-test").toAbsolutePath();

    public static class Https implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path p12 = SelfSigned.make(DIR);
            return Map.of("quarkus.tls.key-store.p12.path", p12.toString(),
                    "quarkus.tls.key-store.p12.password", SelfSigned.PASSWORD,
                    // A fixed free port: the redirect to HTTPS needs to know the port it points at.
                    "quarkus.http.test-ssl-port", Integer.toString(freePort()),
                    "quarkus.http.insecure-requests", "redirect");
        }
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource("/")
    URL http;

    @Test
    void servesHttpsAndRedirectsHttp() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(DIR.resolve("server.pem"))) {
            trust.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).followRedirects(HttpClient.Redirect.NEVER).build();
        String base = "https://127.0.0.1:" + https.getPort();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/example.com/tls/@v/v1.0.0.mod")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("module example.com/tls\n\ngo 1.21\n", r.body());

        HttpResponse<String> plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getPort() + "/example.com/tls/@v/list"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(List.of(301, 302, 307, 308).contains(plain.statusCode()), "plain HTTP got " + plain.statusCode() + " " + plain.headers().map() + " " + plain.body() + " port " + http.getPort() + " " + https.getPort());
        assertTrue(plain.headers().firstValue("Location").orElse("").startsWith("https://"), plain.headers().toString());

        // A client that does not trust the certificate does not get through.
        assertThrows(SSLHandshakeException.class, () -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "/example.com/tls/@v/list")).build(),
                HttpResponse.BodyHandlers.ofString()));
    }
}

package dev.modproxy.gateway.qos;

import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.testing.RawHttp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URL;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Behind a trusted reverse proxy (here 127.0.0.1), each client named by {@code X-Forwarded-For}
 * has its own rate-limit bucket; a connection from an untrusted address (127.0.0.2) is its own
 * client whatever header it sends.
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
@TestProfile(TrustedProxyTest.BehindIngress.class)
class TrustedProxyTest {

    public static class BehindIngress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("modproxy.qos.per-client-rps", "0.001", "modproxy.qos.per-client-burst", "2",
                    "modproxy.gateway.trusted-proxies", "127.0.0.1/32");
        }
    }

    @TestHTTPResource("/")
    URL base;

    int get(InetAddress from, String forwardedFor) throws IOException {
        return RawHttp.sendFrom(from, base.getPort(), "GET", "/example.com/public/@v/v1.0.0.mod", null,
                "X-Forwarded-For: " + forwardedFor).status();
    }

    @Test
    void forwardedClientsHaveTheirOwnBuckets() throws IOException {
        InetAddress ingress = InetAddress.getByName("127.0.0.1");
        assertEquals(200, get(ingress, "198.51.100.1"));
        assertEquals(200, get(ingress, "198.51.100.1"));
        assertEquals(429, get(ingress, "198.51.100.1"));
        assertEquals(200, get(ingress, "198.51.100.2"), "another client behind the same proxy");
        // A spoofed header one hop further left changes nothing: the proxy appended the real one.
        assertEquals(429, get(ingress, "203.0.113.77, 198.51.100.1"));
    }

    @Test
    void anUntrustedConnectionIsItsOwnClientWhateverItClaims() throws IOException {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        assertEquals(200, get(other, "198.51.100.50"));
        assertEquals(200, get(other, "198.51.100.51"));
        assertEquals(429, get(other, "198.51.100.52"));
    }
}

package dev.modproxy.gateway.door;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClientAddressTest {

    private final ClientAddress ingress = new ClientAddress(List.of("10.0.0.0/8", "fd00::/8", "192.168.1.7"));

    @Test
    void headersCountOnlyFromATrustedProxy() {
        assertEquals("203.0.113.9", ingress.resolve("203.0.113.9", List.of("198.51.100.1"), List.of()));
        assertEquals("198.51.100.1", ingress.resolve("10.1.2.3", List.of("198.51.100.1"), List.of()));
        assertEquals("198.51.100.1", ingress.resolve("192.168.1.7", List.of("198.51.100.1"), List.of()));
        assertEquals("192.168.1.8", ingress.resolve("192.168.1.8", List.of("198.51.100.1"), List.of()));
        // No proxies configured: the connection's address, always.
        assertEquals("10.1.2.3", new ClientAddress(List.of()).resolve("10.1.2.3", List.of("198.51.100.1"), List.of()));
    }

    @Test
    void theFirstUntrustedHopFromTheRightIsTheClient() {
        // A client may send its own X-Forwarded-For; only what trusted proxies appended counts.
        assertEquals("198.51.100.1", ingress.resolve("10.1.2.3", List.of("1.2.3.4, 198.51.100.1, 10.9.9.9"), List.of()));
        assertEquals("198.51.100.1", ingress.resolve("10.1.2.3", List.of("1.2.3.4", "198.51.100.1,10.9.9.9"), List.of()));
        // Every hop trusted: the leftmost.
        assertEquals("10.4.4.4", ingress.resolve("10.1.2.3", List.of("10.4.4.4, 10.5.5.5"), List.of()));
    }

    @Test
    void portsAndBracketsSomeProxiesWriteAreDropped() {
        assertEquals("198.51.100.1", ingress.resolve("10.1.2.3", List.of("198.51.100.1:51234"), List.of()));
        assertEquals("2001:db8:0:0:0:0:0:7", ingress.resolve("10.1.2.3", List.of("[2001:db8::7]:443"), List.of()));
    }

    @Test
    void garbageAndNamesStopTheWalkAtTheLastTrustedHop() {
        assertEquals("10.1.2.3", ingress.resolve("10.1.2.3", List.of("evil.example"), List.of()));
        assertEquals("10.9.9.9", ingress.resolve("10.1.2.3", List.of("1.2.3.4, unknown, 10.9.9.9"), List.of()));
        assertEquals("10.1.2.3", ingress.resolve("10.1.2.3", List.of("a.b.c.d"), List.of()));
        assertEquals("10.1.2.3", ingress.resolve("10.1.2.3", List.of("999.1.1.1"), List.of()));
    }

    @Test
    void forwardedIsReadWhenThereIsNoXForwardedFor() {
        assertEquals("2001:db8:0:0:0:0:0:1", ingress.resolve("10.1.2.3", List.of(),
                List.of("for=\"[2001:db8::1]:4711\";proto=https, for=10.2.2.2")));
        assertEquals("198.51.100.1", ingress.resolve("fd00:0:0:0:0:0:0:5", List.of(), List.of("for=198.51.100.1:1234")));
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("ingress.local")));
    }
}

package dev.modproxy.gateway.client;

import dev.modproxy.gateway.GatewayMain;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code dns+http://} through the real JDK resolver: {@code jdk.net.hosts.file} (set by the
 * pom's {@code dns-hosts-file} surefire execution, the only one that runs this class) makes
 * {@link java.net.InetAddress} answer from a hosts file, re-read on each lookup, so the test can
 * change "DNS" without a DNS server. The JDK's own cache is bounded to
 * {@link GatewayMain#DNS_CACHE_SECONDS} s on this JVM's command line ({@code sun.net.inetaddr.ttl},
 * as an operator may; see the pom for why not by {@link GatewayMain#boundDnsCache} here): a
 * changed answer must show in the ring once that cache has expired, not be frozen by it.
 */
class FetcherDnsHostsFileTest {

    @Test
    void theRingFollowsTheHostsFilePastTheJdkCache() throws Exception {
        String file = System.getProperty("jdk.net.hosts.file");
        if (file == null) {
            throw new AssertionError("jdk.net.hosts.file is not set: this test runs in the pom's dns-hosts-file surefire execution");
        }
        Path hosts = Path.of(file);
        Files.createDirectories(hosts.getParent());
        Files.writeString(hosts, "127.0.0.11 fetchers.modproxy.test\n127.0.0.12 fetchers.modproxy.test\n");
        FetcherRing ring = new FetcherRing(List.of(URI.create("http://127.0.0.1:9"), URI.create("dns+http://fetchers.modproxy.test:8081")),
                FetcherEndpoints::systemResolver);
        assertEquals(List.of(URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.11:8081"), URI.create("http://127.0.0.12:8081")),
                ring.endpoints());

        Files.writeString(hosts, "127.0.0.12 fetchers.modproxy.test\n127.0.0.13 fetchers.modproxy.test\n");
        List<URI> expected = List.of(URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.12:8081"), URI.create("http://127.0.0.13:8081"));
        long deadline = System.nanoTime() + (GatewayMain.DNS_CACHE_SECONDS + 5) * 1_000_000_000L;
        while (!ring.endpoints().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            ring.refresh();
        }
        assertEquals(expected, ring.endpoints(), "the changed hosts file, within the JDK cache's TTL");

        // The name disappears: the last good set stays.
        Files.writeString(hosts, "127.0.0.99 other.modproxy.test\n");
        Thread.sleep((GatewayMain.DNS_CACHE_SECONDS + 1) * 1000L);
        ring.refresh();
        assertEquals(expected, ring.endpoints());
    }
}

package dev.modproxy.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dns+http://} fetcher discovery in the packaged gateway, through the JDK's real resolver
 * answering from a hosts file ({@code jdk.net.hosts.file}, passed in {@code JAVA_TOOL_OPTIONS}):
 * when the name's addresses change, the ring (shown by the {@code fetcher-ring} readiness check)
 * follows within the JDK's DNS cache TTL, which the gateway bounds in its main before any lookup.
 * Nothing else bounds it here: without GatewayMain the JDK would keep the old answer for 30 s.
 */
class FetcherDnsIT {

    @TempDir
    Path dir;

    @Test
    void theGatewayFollowsAChangedNameWithinSeconds() throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.11 fetchers.modproxy.test\n127.0.0.12 fetchers.modproxy.test\n");
        ServiceProcess gateway = ServiceProcess.start("proxy-gateway", "dns-gateway", dir.resolve("logs"), Map.of(
                "JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts,
                "MODPROXY_FETCHER_ENDPOINTS", "dns+http://fetchers.modproxy.test:8081,http://127.0.0.1:9",
                "MODPROXY_FETCHER_DNS_REFRESH", "1s",
                "MODPROXY_AUDIT_ENABLED", "false",
                "MODPROXY_DATA_DIR", dir.resolve("gateway").toString(),
                "MODPROXY_STORAGE_FS_ROOT", dir.resolve("storage").toString()));
        try {
            String ready = ready(gateway);
            assertTrue(ready.contains("http://127.0.0.11:8081") && ready.contains("http://127.0.0.12:8081")
                    && ready.contains("http://127.0.0.1:9"), ready);
            Files.writeString(hosts, "127.0.0.13 fetchers.modproxy.test\n");
            long start = System.nanoTime();
            // The JDK cache (5 s) plus one refresh (1 s), with room for a slow machine; far below 30 s.
            long deadline = start + Duration.ofSeconds(15).toNanos();
            while (!(ready = ready(gateway)).contains("http://127.0.0.13:8081") && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertTrue(ready.contains("http://127.0.0.13:8081") && !ready.contains("http://127.0.0.11:8081")
                    && ready.contains("http://127.0.0.1:9"), ready);
            System.out.printf("FetcherDnsIT: the ring followed the hosts file in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        } finally {
            gateway.close();
        }
    }

    private static String ready(ServiceProcess gateway) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}

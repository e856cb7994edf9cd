package dev.modproxy.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.modproxy.testing.GoCommand;
import dev.modproxy.testing.GoProxyTree;
import dev.modproxy.testing.UpstreamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/probe/modproxy-probe.sh with the real go command against a real GOPROXY server on
 * loopback, reporting to a stand-in Pushgateway (an HTTP server recording what is pushed).
 */
class ProbeScriptTest {

    record Run(int exit, List<JsonNode> lines, List<String> pushes, List<String> pushPaths) {
    }

    private static Run probe(Path dir, String goproxy, String modules) throws Exception {
        List<String> pushes = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer push = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        push.createContext("/", ex -> {
            paths.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            pushes.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        push.start();
        try {
            Path go = GoCommand.binary();
            ProcessBuilder pb = new ProcessBuilder("sh", Repo.path("deploy/probe/modproxy-probe.sh").toString())
                    .redirectError(dir.resolve("probe.err").toFile());
            Map<String, String> env = pb.environment();
            env.put("PATH", go.toRealPath().getParent() + ":/usr/bin:/bin");
            env.put("TMPDIR", dir.toString());
            env.put("MODPROXY_PROBE_GOPROXY", goproxy);
            env.put("MODPROXY_PROBE_GOSUMDB", "off");
            env.put("MODPROXY_PROBE_MODULES", modules);
            env.put("MODPROXY_PROBE_INSTANCE", "test");
            env.put("MODPROXY_PROBE_TIMEOUT", "60");
            env.put("MODPROXY_PROBE_PUSHGATEWAY", "http://127.0.0.1:" + push.getAddress().getPort() + "/");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), "probe did not finish");
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = out.lines().map(l -> {
                try {
                    return json.readTree(l);
                } catch (Exception e) {
                    throw new AssertionError("not a JSON line: " + l);
                }
            }).toList();
            return new Run(p.exitValue(), lines, pushes, paths);
        } finally {
            push.stop(0);
        }
    }

    @Test
    void reportsSuccessLatencyAndFailurePerModule(@TempDir Path dir) throws Exception {
        GoProxyTree tree = new GoProxyTree(dir.resolve("proxy"));
        Instant t = Instant.parse("2024-01-02T03:04:05Z");
        tree.add("example.com/probe/a", "v1.0.0", t, Map.of(
                "go.mod", "module example.com/probe/a\n\ngo 1.19\n".getBytes(StandardCharsets.UTF_8),
                "a.go", "package a\n\nconst A = 1\n".getBytes(StandardCharsets.UTF_8)));
        tree.add("example.com/probe/b", "v0.2.0", t, Map.of(
                "go.mod", "module example.com/probe/b\n".getBytes(StandardCharsets.UTF_8),
                "b.go", "package b\n".getBytes(StandardCharsets.UTF_8)));
        try (UpstreamServer proxy = new UpstreamServer(tree.root())) {
            Run ok = probe(dir, proxy.url(), "example.com/probe/a@v1.0.0 example.com/probe/b@v0.2.0");
            assertEquals(0, ok.exit(), ok.lines() + "\n" + Files.readString(dir.resolve("probe.err")));
            assertEquals(3, ok.lines().size(), ok.lines().toString());
            assertEquals("example.com/probe/a@v1.0.0", ok.lines().get(0).get("module").asText());
            assertTrue(ok.lines().get(0).get("success").asBoolean());
            assertTrue(ok.lines().get(0).get("seconds").asDouble() >= 0);
            JsonNode summary = ok.lines().get(2);
            assertEquals(2, summary.get("modules").asInt());
            assertEquals(0, summary.get("failed").asInt());
            assertTrue(summary.get("success").asBoolean());
            assertTrue(proxy.hits(".*probe/a/@v/v1.0.0.zip") >= 1, "the zip was really downloaded through the proxy");
            assertEquals(List.of("PUT /metrics/job/modproxy_probe/instance/test"), ok.pushPaths());
            String pushed = ok.pushes().get(0);
            assertTrue(pushed.contains("modproxy_probe_success{module=\"example.com/probe/a@v1.0.0\"} 1"), pushed);
            assertTrue(pushed.contains("\nmodproxy_probe_success 1\n"), pushed);
            assertTrue(pushed.matches("(?s).*modproxy_probe_duration_seconds\\{module=\"example.com/probe/b@v0.2.0\"} [0-9.]+\n.*"), pushed);
            assertTrue(pushed.contains("modproxy_probe_last_run_timestamp_seconds "), pushed);

            proxy.failWith(".*probe/b/@v/v0.2.0.zip", 503, 100);
            Run bad = probe(dir, proxy.url(), "example.com/probe/a@v1.0.0 example.com/probe/b@v0.2.0");
            assertEquals(1, bad.exit());
            assertTrue(bad.lines().get(0).get("success").asBoolean(), "a still downloads");
            assertEquals(false, bad.lines().get(1).get("success").asBoolean());
            assertTrue(bad.lines().get(1).get("error").asText().contains("503"), bad.lines().get(1).toString());
            assertEquals(1, bad.lines().get(2).get("failed").asInt());
            assertTrue(bad.pushes().get(0).contains("\nmodproxy_probe_success 0\n"), bad.pushes().get(0));
        }
    }
}

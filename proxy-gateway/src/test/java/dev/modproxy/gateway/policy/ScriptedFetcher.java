package dev.modproxy.gateway.policy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.modproxy.gateway.support.TestModules;
import dev.modproxy.gateway.support.TestStorage;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.gomod.semver.Semver;
import dev.modproxy.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fetcher replica with a script of modules: each version has its own release time and
 * go.mod, so cooldown and retraction can be seen. Writes to the gateway's test storage as the
 * real fetcher does (zip, mod, .info last).
 * <pre>
 *   example.com/vuln          v1.0.0 v1.1.0 v1.2.0   (old)
 *   example.com/retired       v1.0.0                 (old)
 *   example.com/young         v1.0.0 (old), v1.1.0 (an hour ago)
 *   example.com/retracting    v1.0.0 v1.1.0 v1.2.0, v1.2.0's go.mod retracts v1.1.0
 *   example.com/selfretract   v1.0.0 v1.1.0, v1.1.0's go.mod retracts itself
 *   anything else             v1.0.0 (old)
 * </pre>
 */
public class ScriptedFetcher implements QuarkusTestResourceLifecycleManager {

    static final Instant OLD = Instant.parse("2024-01-02T03:04:05Z");
    private static final Instant NOW = Instant.now();

    private HttpServer server;
    private BlobStore store;

    record Version(Instant time, String goMod) {
    }

    static Map<String, Version> versions(String module) {
        Map<String, Version> v = new LinkedHashMap<>();
        String plain = "module " + module + "\n";
        switch (module) {
            case "example.com/vuln" -> {
                v.put("v1.0.0", new Version(OLD, plain));
                v.put("v1.1.0", new Version(OLD, plain));
                v.put("v1.2.0", new Version(OLD, plain));
            }
            case "example.com/young" -> {
                v.put("v1.0.0", new Version(OLD, plain));
                v.put("v1.1.0", new Version(NOW.minus(Duration.ofHours(1)), plain));
            }
            case "example.com/retracting" -> {
                v.put("v1.0.0", new Version(OLD, plain));
                v.put("v1.1.0", new Version(OLD, plain));
                v.put("v1.2.0", new Version(OLD, plain + "\nretract v1.1.0 // broken\n"));
            }
            case "example.com/selfretract" -> {
                v.put("v1.0.0", new Version(OLD, plain));
                v.put("v1.1.0", new Version(OLD, plain + "\nretract v1.1.0 // oops\n"));
            }
            default -> v.put("v1.0.0", new Version(OLD, plain));
        }
        return v;
    }

    @Override
    public Map<String, String> start() {
        try {
            deleteTree(TestStorage.ROOT);
            store = TestStorage.open();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.createContext("/", this::handle);
            server.start();
            return Map.of("modproxy.fetcher.endpoints", "http://127.0.0.1:" + server.getAddress().getPort());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        server.stop(0);
        store.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ProxyRequest r = ProxyRequest.parse(ex.getRequestURI().getRawPath().substring("/internal/v1/fetch/".length()));
            String module = r.module().value();
            Map<String, Version> all = versions(module);
            switch (r.type()) {
                case LIST -> send(ex, 200, String.join("\n", all.keySet()) + "\n");
                case LATEST -> {
                    List<String> sorted = Semver.sorted(new ArrayList<>(all.keySet()));
                    String latest = sorted.get(sorted.size() - 1);
                    send(ex, 200, info(latest, all.get(latest)));
                }
                case INFO, MOD, ZIP -> {
                    Version v = all.get(r.version());
                    if (v == null) {
                        send(ex, 404, "not found: " + module + "@" + r.version() + "\n");
                        return;
                    }
                    ModuleVersion mv = r.moduleVersion();
                    TestModules.put(store, mv, ProxyRequest.Type.ZIP, TestModules.zip(mv));
                    TestModules.put(store, mv, ProxyRequest.Type.MOD, v.goMod().getBytes(StandardCharsets.UTF_8));
                    TestModules.put(store, mv, ProxyRequest.Type.INFO, info(r.version(), v).getBytes(StandardCharsets.UTF_8));
                    if (r.type() == ProxyRequest.Type.ZIP) {
                        ex.sendResponseHeaders(204, -1);
                    } else {
                        send(ex, 200, r.type() == ProxyRequest.Type.MOD ? v.goMod() : info(r.version(), v));
                    }
                }
            }
        } catch (Exception e) {
            send(ex, 500, "scripted fetcher failed: " + e + "\n");
        }
    }

    private static String info(String version, Version v) {
        return "{\"Version\":\"" + version + "\",\"Time\":\"" + v.time() + "\"}";
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

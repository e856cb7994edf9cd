package dev.modproxy.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.storage.BlobStore;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Stands in for one fetcher-service replica: implements the internal API contract
 * ({@code GET /internal/v1/fetch/<request>}) by writing {@link TestModules} artifacts to the
 * same filesystem storage the gateway reads. Some module paths answer with errors:
 * <pre>
 *   example.com/notfound   404 with X-Modproxy-Upstream
 *   example.com/gone       410
 *   example.com/broken     502
 *   example.com/crash      500 (not a status the contract allows)
 *   example.com/slow       answers after 4 s
 *   example.com/lying      204/200 without storing anything
 *   example.com/early      .info answered early (nothing stored yet), carrying the .mod along
 *                          when asked to (X-Modproxy-With-Mod: 1), as fetcher-service does
 *   example.com/earlybad   the same, with an X-Modproxy-Info-Length that splits nothing
 * </pre>
 * Every request path received is recorded, so tests can see who was asked what.
 */
public final class FakeFetcher {

    public static final String UPSTREAM = "https://proxy.golang.org";
    private static final String API = "/internal/v1/fetch/";

    private final String name;
    private final BlobStore store;
    private final HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<String> askedWithMod = new CopyOnWriteArrayList<>();

    FakeFetcher(String name, BlobStore store) throws IOException {
        this.name = name;
        this.store = store;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String name() {
        return name;
    }

    /** Request paths (below the API prefix) this fetcher was asked, oldest first. */
    public List<String> seen() {
        return List.copyOf(seen);
    }

    /** Request paths that came with {@code X-Modproxy-With-Mod: 1}. */
    public List<String> askedWithMod() {
        return List.copyOf(askedWithMod);
    }

    public long count(String requestPath) {
        return seen.stream().filter(requestPath::equals).count();
    }

    public void clear() {
        seen.clear();
        askedWithMod.clear();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String raw = ex.getRequestURI().getRawPath();
            if (!raw.startsWith(API)) {
                send(ex, 404, "text/plain; charset=utf-8", "no such API: " + raw + "\n");
                return;
            }
            String path = raw.substring(API.length());
            seen.add(path);
            if ("1".equals(ex.getRequestHeaders().getFirst("X-Modproxy-With-Mod"))) {
                askedWithMod.add(path);
            }
            ProxyRequest r;
            try {
                r = ProxyRequest.parse(path);
            } catch (Exception e) {
                send(ex, 400, "text/plain; charset=utf-8", e.getMessage() + "\n");
                return;
            }
            answer(ex, r);
        } catch (Exception e) {
            send(ex, 500, "text/plain; charset=utf-8", "fake fetcher failed: " + e + "\n");
        }
    }

    private void answer(HttpExchange ex, ProxyRequest r) throws Exception {
        String module = r.module().value();
        switch (module) {
            case "example.com/notfound" -> {
                ex.getResponseHeaders().set("X-Modproxy-Upstream", UPSTREAM);
                send(ex, 404, "text/plain; charset=utf-8", "not found: " + module + "@" + r.version()
                        + ": invalid version: unknown revision\n");
                return;
            }
            case "example.com/gone" -> {
                send(ex, 410, "text/plain; charset=utf-8", module + ": gone: retracted by its owner\n");
                return;
            }
            case "example.com/broken" -> {
                ex.getResponseHeaders().set("X-Modproxy-Upstream", UPSTREAM);
                send(ex, 502, "text/plain; charset=utf-8", "upstream " + UPSTREAM + " answered 500 for " + module + "\n");
                return;
            }
            case "example.com/crash" -> {
                send(ex, 500, "text/plain; charset=utf-8", "boom: the fake fetcher broke\n\tat Somewhere\n");
                return;
            }
            case "example.com/slow" -> Thread.sleep(4000);
            default -> {
            }
        }
        boolean lying = module.equals("example.com/lying");
        switch (r.type()) {
            case LIST -> send(ex, 200, "text/plain; charset=utf-8", "v1.0.0\nv1.1.0\n");
            case LATEST -> send(ex, 200, "application/json", "{\"Version\":\"v1.1.0\",\"Time\":\"2024-01-02T03:04:05Z\"}");
            case INFO -> {
                if (r.isQuery()) {
                    send(ex, 200, "application/json",
                            "{\"Version\":\"v1.1.1-0.20240102030405-abcdefabcdef\",\"Time\":\"2024-01-02T03:04:05Z\"}");
                    return;
                }
                ModuleVersion mv = r.moduleVersion();
                if (module.startsWith("example.com/early")) {
                    early(ex, mv, module.equals("example.com/earlybad"));
                    return;
                }
                if (!lying) {
                    TestModules.storeVersion(store, mv);
                }
                send(ex, 200, "application/json", new String(TestModules.info(mv), StandardCharsets.UTF_8));
            }
            case MOD -> {
                ModuleVersion mv = r.moduleVersion();
                if (!lying) {
                    TestModules.put(store, mv, ProxyRequest.Type.MOD, TestModules.mod(mv));
                }
                send(ex, 200, "text/plain; charset=utf-8", new String(TestModules.mod(mv), StandardCharsets.UTF_8));
            }
            case ZIP -> {
                if (!lying) {
                    TestModules.storeVersion(store, r.moduleVersion());
                }
                ex.getResponseHeaders().set("X-Modproxy-Upstream", UPSTREAM);
                ex.sendResponseHeaders(204, -1);
            }
        }
    }

    /** An early .info: nothing stored yet; the .mod carried along when the gateway asks for it. */
    private static void early(HttpExchange ex, ModuleVersion mv, boolean badLength) throws IOException {
        byte[] info = TestModules.info(mv);
        ex.getResponseHeaders().set("X-Modproxy-Upstream", UPSTREAM);
        if (!"1".equals(ex.getRequestHeaders().getFirst("X-Modproxy-With-Mod"))) {
            send(ex, 200, "application/json", new String(info, StandardCharsets.UTF_8));
            return;
        }
        byte[] mod = TestModules.mod(mv);
        byte[] both = java.util.Arrays.copyOf(info, info.length + mod.length);
        System.arraycopy(mod, 0, both, info.length, mod.length);
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.getResponseHeaders().set("X-Modproxy-Info-Length", badLength ? "999999" : Integer.toString(info.length));
        ex.sendResponseHeaders(200, both.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(both);
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}

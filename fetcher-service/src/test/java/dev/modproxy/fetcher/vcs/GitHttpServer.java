package dev.modproxy.fetcher.vcs;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * A git server for tests: real bare repositories made with the {@code git} command, served as
 * git's "dumb" HTTP protocol (static files after {@code git update-server-info}) on
 * {@code <address>:443} over TLS, or {@code :80} without, so that module paths carry no port.
 * Bare repository {@code team/lib} answers {@code https://<address>/team/lib}, where {@code go}
 * looks for module {@code <address>/team/lib.git}; {@code ?go-get=1} requests get the go-import
 * tags registered with {@link #goImport}. Paths below a prefix given to {@link #requireBasic}
 * answer 401 unless the Basic credentials pass its check.
 */
final class GitHttpServer implements AutoCloseable {

    private final String address;
    private final boolean tls;
    private final Path served;
    private final Path work;
    private final HttpServer server;
    private final Map<String, BiPredicate<String, String>> auth = new ConcurrentHashMap<>();
    private final Map<String, String> goImports = new ConcurrentHashMap<>();
    /** The user names of accepted Basic credentials, in order. */
    final List<String> users = new CopyOnWriteArrayList<>();

    GitHttpServer(String address, SSLContext tls, Path dir) throws IOException {
        this.address = address;
        this.tls = tls != null;
        this.served = Files.createDirectories(dir.resolve("served"));
        this.work = Files.createDirectories(dir.resolve("work"));
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(address), tls == null ? 80 : 443);
        if (tls == null) {
            server = HttpServer.create(at, 50);
        } else {
            HttpsServer s = HttpsServer.create(at, 50);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = s;
        }
        server.createContext("/", ex -> {
            try (ex) {
                String p = ex.getRequestURI().getPath();
                for (var a : auth.entrySet()) {
                    if (p.startsWith(a.getKey()) && !authorized(ex.getRequestHeaders().getFirst("Authorization"), a.getValue())) {
                        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                        ex.sendResponseHeaders(401, -1);
                        return;
                    }
                }
                byte[] body;
                String query = ex.getRequestURI().getQuery();
                if ("go-get=1".equals(query)) {
                    String content = goImports.get(address + p);
                    if (content == null) {
                        ex.sendResponseHeaders(404, -1);
                        return;
                    }
                    body = ("<html><head><meta name=\"go-import\" content=\"" + content + "\"></head></html>")
                            .getBytes(StandardCharsets.UTF_8);
                } else {
                    Path f = served.resolve(p.substring(1)).normalize();
                    if (!f.startsWith(served) || !Files.isRegularFile(f)) {
                        ex.sendResponseHeaders(404, -1);
                        return;
                    }
                    body = Files.readAllBytes(f);
                }
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    private boolean authorized(String header, BiPredicate<String, String> check) {
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String userPassword = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        int colon = userPassword.indexOf(':');
        if (colon < 0 || !check.test(userPassword.substring(0, colon), userPassword.substring(colon + 1))) {
            return false;
        }
        users.add(userPassword.substring(0, colon));
        return true;
    }

    String scheme() {
        return tls ? "https" : "http";
    }

    /** Requests for paths below {@code prefix} need Basic credentials that {@code check} accepts. */
    GitHttpServer requireBasic(String prefix, BiPredicate<String, String> check) {
        auth.put(prefix, check);
        return this;
    }

    /** {@code https://<importPath>?go-get=1} answers {@code <meta name="go-import" content="...">}. */
    GitHttpServer goImport(String importPath, String content) {
        goImports.put(importPath, content);
        return this;
    }

    /**
     * A repository {@code name} whose root is module {@code module}, with one commit (go.mod and a
     * Go file) tagged {@code v1.0.0}, published for dumb HTTP.
     */
    GitHttpServer repo(String name, String module) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve(name));
        Path bare = served.resolve(name);
        Files.createDirectories(bare.getParent());
        run(dir, "git", "init", "-q", "-b", "main");
        run(dir, "git", "config", "user.name", "Test");
        run(dir, "git", "config", "user.email", "test@example.com");
        Files.writeString(dir.resolve("go.mod"), "module " + module + "\n\ngo 1.19\n");
        Files.writeString(dir.resolve("lib.go"), "package lib\n");
        run(dir, "git", "add", "-A");
        run(dir, "git", "commit", "-q", "-m", "one");
        run(dir, "git", "tag", "v1.0.0");
        run(work, "git", "clone", "-q", "--bare", dir.toString(), bare.toString());
        run(bare, "git", "update-server-info");
        return this;
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("GIT_AUTHOR_DATE", "1646370367 +0200");
        pb.environment().put("GIT_COMMITTER_DATE", "1646370367 +0200");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

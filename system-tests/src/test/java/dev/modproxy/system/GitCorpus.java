package dev.modproxy.system;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real git repositories made with the {@code git} command, pushed to bare repositories that a
 * plain static HTTP server serves as git's "dumb" HTTP protocol ({@code git update-server-info}).
 * Bare repository {@code team/lib} answers {@code http://<host>/team/lib}, which is where the
 * {@code go} command looks for module {@code <host>/team/lib.git}. Paths below {@code private/}
 * answer 401 unless the request carries the right Basic credentials; below {@code locked/} always.
 */
final class GitCorpus implements AutoCloseable {

    private final Path work;
    private final Path served;
    private final HttpServer server;
    private long clock = Instant.parse("2022-03-04T05:06:07Z").getEpochSecond();
    final String host;

    GitCorpus(Path dir, String host, String basicAuth) throws IOException {
        this.work = Files.createDirectories(dir.resolve("work"));
        this.served = Files.createDirectories(dir.resolve("served"));
        this.host = host;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), 80), 50);
        server.createContext("/", ex -> {
            try (ex) {
                String p = ex.getRequestURI().getPath();
                if (p.startsWith("/locked/")) {
                    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
                if (p.startsWith("/private/") && !("Basic " + basicAuth).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
                Path f = served.resolve(p.substring(1)).normalize();
                if (!f.startsWith(served) || !Files.isRegularFile(f)) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(f);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
    }

    /** A working repository named {@code name}, published as {@code served/<name>}. */
    Repo repo(String name) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve(name));
        Repo r = new Repo(name, dir);
        r.git("init", "-q", "-b", "main");
        r.git("config", "user.name", "Corpus");
        r.git("config", "user.email", "corpus@example.com");
        Path bare = served.resolve(name);
        Files.createDirectories(bare.getParent());
        run(work, "git", "init", "-q", "--bare", "-b", "main", bare.toString());
        r.git("remote", "add", "origin", bare.toString());
        return r;
    }

    final class Repo {
        final String name;
        final Path dir;

        Repo(String name, Path dir) {
            this.name = name;
            this.dir = dir;
        }

        String module() {
            return host + "/" + name + ".git";
        }

        Repo write(String path, String content) throws IOException {
            Path f = dir.resolve(path);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content);
            return this;
        }

        Repo delete(String path) throws IOException {
            Files.deleteIfExists(dir.resolve(path));
            return this;
        }

        /** Commits everything, one simulated hour after the previous commit; returns the hash. */
        String commit(String message) throws IOException, InterruptedException {
            clock += 3600;
            git("add", "-A");
            run(dir, Map.of("GIT_AUTHOR_DATE", clock + " +0200", "GIT_COMMITTER_DATE", clock + " +0200"),
                    "git", "commit", "-q", "--allow-empty", "-m", message);
            return git("rev-parse", "HEAD").strip();
        }

        Repo tag(String tag) throws IOException, InterruptedException {
            git("tag", tag);
            return this;
        }

        Repo annotatedTag(String tag) throws IOException, InterruptedException {
            run(dir, Map.of("GIT_COMMITTER_DATE", clock + " +0200"), "git", "tag", "-a", "-m", "release " + tag, tag);
            return this;
        }

        String git(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("git"));
            cmd.addAll(List.of(args));
            return run(dir, Map.of(), cmd.toArray(String[]::new));
        }

        /** Pushes every branch and tag and refreshes the dumb-HTTP index files. */
        void publish() throws IOException, InterruptedException {
            git("push", "-q", "-f", "--all", "origin");
            git("push", "-q", "-f", "--tags", "origin");
            run(served.resolve(name), "git", "update-server-info");
        }
    }

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        return run(dir, Map.of(), cmd);
    }

    private static String run(Path dir, Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

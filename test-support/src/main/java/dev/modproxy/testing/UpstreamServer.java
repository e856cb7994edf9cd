package dev.modproxy.testing;

import com.sun.net.httpserver.HttpExchange;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A static GOPROXY server over a directory (a {@link GoProxyTree}) on 127.0.0.1, with faults
 * that tests switch on per path: another status, a delay, a body cut short. It counts every
 * request per path, so a test can assert how often an upstream was asked.
 */
public final class UpstreamServer implements AutoCloseable {

    /** What to do instead of serving the file, for paths matching a pattern. */
    public record Fault(Pattern path, int status, long delayMillis, long truncateAt, AtomicInteger remaining) {
    }

    private final Path root;
    private final SSLContext tls;
    private final HttpServer server;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    public UpstreamServer(Path root) throws IOException {
        this(root, null);
    }

    /** An HTTPS upstream when {@code tls} is given (see {@link TestCertificates}). */
    public UpstreamServer(Path root, SSLContext tls) throws IOException {
        this.root = root;
        this.tls = tls;
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            this.server = HttpServer.create(loopback, 64);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            this.server = https;
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "upstream-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code status} (with a one-line body) for the next {@code times} matching requests (-1: always). */
    public void failWith(String pathRegex, int status, int times) {
        faults.add(new Fault(Pattern.compile(pathRegex), status, 0, -1, new AtomicInteger(times)));
    }

    /** Waits {@code millis} before answering matching requests. */
    public void delay(String pathRegex, long millis, int times) {
        faults.add(new Fault(Pattern.compile(pathRegex), 0, millis, -1, new AtomicInteger(times)));
    }

    /** Sends only the first {@code bytes} bytes of matching files, as a complete (chunked) answer. */
    public void truncate(String pathRegex, long bytes, int times) {
        faults.add(new Fault(Pattern.compile(pathRegex), 0, 0, bytes, new AtomicInteger(times)));
    }

    public void clearFaults() {
        faults.clear();
    }

    /** How many requests reached paths matching {@code pathRegex}. */
    public int hits(String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return hits.entrySet().stream().filter(e -> p.matcher(e.getKey()).matches())
                .mapToInt(e -> e.getValue().get()).sum();
    }

    public void resetHits() {
        hits.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        // Decoded: the go command sends '!' as %21, and the tree's files have the plain name.
        String path = ex.getRequestURI().getPath();
        hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        try (ex) {
            Fault fault = take(path);
            if (fault != null && fault.delayMillis() > 0) {
                try {
                    Thread.sleep(fault.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (fault != null && fault.status() > 0) {
                send(ex, fault.status(), ("injected fault " + fault.status() + " for " + path + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                send(ex, 404, ("not found: " + path + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            long size = Files.size(file);
            long limit = fault != null && fault.truncateAt() >= 0 ? fault.truncateAt() : size;
            // A truncated answer goes out chunked, so it ends cleanly but short: the client gets
            // a well-formed HTTP answer whose body is not the whole file.
            ex.sendResponseHeaders(200, limit < size ? 0 : size);
            try (OutputStream out = ex.getResponseBody(); var in = Files.newInputStream(file)) {
                byte[] buf = new byte[64 * 1024];
                long sent = 0;
                for (int n; sent < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - sent))) > 0; ) {
                    out.write(buf, 0, n);
                    sent += n;
                }
            }
        } catch (IOException e) {
            // the client sees the broken connection; that is the point
        }
    }

    private Fault take(String path) {
        for (Fault f : faults) {
            if (f.path().matcher(path).matches()) {
                int left = f.remaining().get();
                if (left == 0) {
                    continue;
                }
                if (left < 0 || f.remaining().compareAndSet(left, left - 1)) {
                    return f;
                }
            }
        }
        return null;
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

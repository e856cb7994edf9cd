package dev.modproxy.fetcher.client;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One GET against an upstream proxy, without retries or breakers (those wrap it in
 * {@link UpstreamProxyClient}). Turns every outcome into bytes, a file, or a
 * {@link FetchException} whose message names the upstream, the request and what went wrong.
 *
 * <p>Status rules, as the {@code go} command reads a proxy: 200 is the answer; 404 and 410 mean
 * "does not exist"; anything else is a failure of the upstream. {@code file://} upstreams are
 * read from disk: a missing file is "does not exist".
 */
final class UpstreamHttp {

    /** A call that may be retried by the guard. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws Exception;
    }

    /** Marks 429 and 5xx answers, the statuses worth retrying. */
    static final class RetryableStatus extends IOException {
        RetryableStatus(int status) {
            super("HTTP " + status);
        }
    }

    private final HttpClient client;

    UpstreamHttp(SSLContext ssl, Duration connectTimeout) {
        this.client = HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    byte[] getBytes(String base, String path, Duration timeout, long limit) throws FetchException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fetch(base, path, timeout, limit, out);
        return out.toByteArray();
    }

    long download(String base, String path, Path target, Duration timeout, long limit) throws FetchException {
        try (OutputStream out = Files.newOutputStream(target)) {
            return fetch(base, path, timeout, limit, out);
        } catch (IOException e) {
            throw new FetchException(Kind.UNAVAILABLE, "cannot write temporary file for " + path + ": " + e.getMessage(), base, e);
        }
    }

    private long fetch(String base, String path, Duration timeout, long limit, OutputStream out) throws FetchException {
        URI uri = URI.create(base + "/" + path);
        if ("file".equals(uri.getScheme())) {
            return readFile(base, path, uri, limit, out);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("User-Agent", "modproxy-fetcher")
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new FetchException(Kind.UPSTREAM_TIMEOUT, "upstream " + base + " did not answer " + path
                    + " within " + timeout.toSeconds() + "s", base, e);
        } catch (ConnectException e) {
            throw new FetchException(Kind.UPSTREAM_FAILED, "upstream " + base + " unreachable for " + path
                    + ": connection refused", base, e);
        } catch (IOException e) {
            throw new FetchException(Kind.UPSTREAM_FAILED, "upstream " + base + " failed for " + path + ": "
                    + describe(e), base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Kind.UNAVAILABLE, "interrupted while fetching " + path, base, e);
        }
        int status = response.statusCode();
        InputStream body = response.body();
        // The JDK client has no read timeout once headers are in: a stalled body would block
        // forever. Closing the stream at the deadline breaks the blocked read.
        var watchdog = WATCHDOG.schedule(() -> closeQuietly(body),
                Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        try (body) {
            if (status == 200) {
                return copy(body, out, limit, deadline, base, path, timeout);
            }
            String reason = firstLine(body);
            if (status == 404 || status == 410) {
                throw new FetchException(status == 404 ? Kind.NOT_FOUND : Kind.GONE,
                        reason.isEmpty() ? "not found: " + path + " (upstream " + base + ")" : reason, base, null);
            }
            IOException cause = status == 429 || status >= 500 ? new RetryableStatus(status) : null;
            throw new FetchException(Kind.UPSTREAM_FAILED, "upstream " + base + " answered " + status + " for "
                    + path + (reason.isEmpty() ? "" : ": " + reason), base, cause);
        } catch (IOException e) {
            if (System.nanoTime() >= deadline) {
                throw new FetchException(Kind.UPSTREAM_TIMEOUT, "upstream " + base + " did not finish " + path
                        + " within " + timeout.toSeconds() + "s", base, e);
            }
            throw new FetchException(Kind.UPSTREAM_FAILED, "upstream " + base + " broke off " + path + ": "
                    + describe(e), base, e);
        } finally {
            watchdog.cancel(false);
        }
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "upstream-watchdog");
        t.setDaemon(true);
        return t;
    });

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the reader sees the failure; nothing to add here
        }
    }

    private static long copy(InputStream in, OutputStream out, long limit, long deadline, String base,
                             String path, Duration timeout) throws IOException, FetchException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            total += n;
            if (total > limit) {
                throw new FetchException(Kind.UPSTREAM_FAILED, "upstream " + base + " sent more than " + limit
                        + " bytes for " + path, base, null);
            }
            if (System.nanoTime() > deadline) {
                throw new FetchException(Kind.UPSTREAM_TIMEOUT, "upstream " + base + " did not finish " + path
                        + " within " + timeout.toSeconds() + "s", base, null);
            }
            out.write(buf, 0, n);
        }
        return total;
    }

    private static long readFile(String base, String path, URI uri, long limit, OutputStream out) throws FetchException {
        Path file = Path.of(uri);
        try (InputStream in = Files.newInputStream(file)) {
            return copy(in, out, limit, Long.MAX_VALUE, base, path, Duration.ZERO);
        } catch (NoSuchFileException e) {
            throw new FetchException(Kind.NOT_FOUND, "not found: " + path + " (upstream " + base + ")", base, null);
        } catch (IOException e) {
            throw new FetchException(Kind.UPSTREAM_FAILED, "upstream " + base + ": cannot read " + path + ": "
                    + describe(e), base, e);
        }
    }

    private static String firstLine(InputStream body) throws IOException {
        byte[] head = body.readNBytes(512);
        String s = new String(head, StandardCharsets.UTF_8).strip();
        int nl = s.indexOf('\n');
        return (nl >= 0 ? s.substring(0, nl) : s).replaceAll("\\p{Cntrl}", " ").strip();
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}

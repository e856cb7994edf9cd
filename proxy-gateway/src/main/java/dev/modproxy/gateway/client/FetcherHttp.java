package dev.modproxy.gateway.client;

import dev.modproxy.internal.ServiceCredential;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The wire side of the fetcher's internal API: one GET to one endpoint, nothing else. Which
 * endpoint, what the status means and what to do on failure are {@link FetcherClient}'s.
 *
 * <p>The exchange runs on the calling (worker) thread with {@link HttpURLConnection}: plain
 * HTTP/1.1, kept-alive connections reused (the JDK's keep-alive cache), no proxy, no redirects.
 * The JDK's {@code java.net.http.HttpClient} handed every exchange to its selector thread and
 * then to an executor thread before waking the caller; a cold fill is a long series of small
 * exchanges one after another, and on busy cores each of those wake-ups cost about a
 * millisecond (bench/, "Cold fill, session 2"). Here the worker writes the request and reads the
 * answer itself.
 *
 * <p>Timeouts: connecting is bounded by the connect timeout ({@link HttpConnectTimeoutException},
 * the fetcher counts as unreachable); every read by the fetch timeout
 * ({@link HttpTimeoutException}). The fetcher sends its (small) answer in one piece, so the read
 * timeout bounds the exchange.
 *
 * <p>Every request carries the {@link ServiceCredential}; the fetcher answers nothing else.
 */
final class FetcherHttp {

    /** Mount point of the internal API on a fetcher. */
    static final String API = "/internal/v1/fetch/";

    /** Asks the fetcher to carry the {@code .mod} along with an early {@code .info} (its FetchResource). */
    static final String WITH_MOD = "X-Modproxy-With-Mod";
    /** Where the {@code .info} ends in a body that carries the {@code .mod} too. */
    static final String INFO_LENGTH = "X-Modproxy-Info-Length";

    /** {@code mod}: the {@code .mod} the fetcher carried along with a {@code .info} ({@code body}), or null. */
    record Response(int status, byte[] body, Optional<String> upstream, Optional<String> retryAfter, byte[] mod) {
    }

    private final int connectMillis;
    private final int readMillis;
    private final ServiceCredential credential;

    FetcherHttp(Duration connectTimeout, Duration timeout, ServiceCredential credential) {
        this.connectMillis = millis(connectTimeout);
        this.readMillis = millis(timeout);
        this.credential = credential;
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /**
     * Asks {@code endpoint} for {@code requestPath} (a canonical GOPROXY request path).
     *
     * @throws java.net.ConnectException if no connection could be made (the endpoint is down)
     * @throws HttpConnectTimeoutException if connecting took longer than the connect timeout
     * @throws HttpTimeoutException if the answer took longer than the fetch timeout
     */
    Response get(URI endpoint, String requestPath, boolean withMod) throws IOException, InterruptedException {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + API + encodePath(requestPath)).toURL()
                .openConnection(Proxy.NO_PROXY);
        credential.authorization().ifPresent(a -> c.setRequestProperty(ServiceCredential.HEADER, a));
        if (withMod) {
            c.setRequestProperty(WITH_MOD, "1");
        }
        c.setConnectTimeout(connectMillis);
        c.setReadTimeout(readMillis);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        try {
            c.connect();
        } catch (SocketTimeoutException e) {
            throw new HttpConnectTimeoutException("connecting to " + endpoint + " timed out");
        }
        try {
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] body;
            if (in == null) {
                body = new byte[0];
            } else {
                try (in) { // read to the end and closed: the connection goes back to the keep-alive cache
                    body = in.readAllBytes();
                }
            }
            if (Thread.interrupted()) { // the fault-tolerance timeout fired meanwhile
                throw new InterruptedException("fetch of " + requestPath + " interrupted");
            }
            Optional<String> upstream = Optional.ofNullable(c.getHeaderField("X-Modproxy-Upstream"));
            Optional<String> retryAfter = Optional.ofNullable(c.getHeaderField("Retry-After"));
            String split = status == 200 ? c.getHeaderField(INFO_LENGTH) : null;
            if (split == null) {
                return new Response(status, body, upstream, retryAfter, null);
            }
            int n = infoLength(split, body.length);
            return new Response(status, Arrays.copyOf(body, n), upstream, retryAfter,
                    Arrays.copyOfRange(body, n, body.length));
        } catch (SocketTimeoutException e) {
            c.disconnect();
            throw new HttpTimeoutException("no answer from " + endpoint + " within " + readMillis + " ms");
        }
    }

    /**
     * Where the {@code .info} ends in a body carrying the {@code .mod} too. Anything but a length
     * inside the body is a broken fetcher: its body is neither a {@code .info} nor a pair.
     */
    private static int infoLength(String value, int bodyLength) throws IOException {
        try {
            int n = Integer.parseInt(value.strip());
            if (n > 0 && n < bodyLength) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(INFO_LENGTH + " " + value + " does not split a body of " + bodyLength + " bytes");
    }

    /**
     * Percent-encodes what may not appear raw in a URI path. A canonical request path is
     * almost always plain already (escaped module paths are lower-case ASCII), but an
     * {@code .info} query may hold any character a branch name can.
     */
    static String encodePath(String path) {
        StringBuilder out = new StringBuilder(path.length() + 16);
        for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }
}

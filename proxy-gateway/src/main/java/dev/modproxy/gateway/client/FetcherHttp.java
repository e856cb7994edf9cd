package dev.modproxy.gateway.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The wire side of the fetcher's internal API: one GET to one endpoint, nothing else. Which
 * endpoint, what the status means and what to do on failure are {@link FetcherClient}'s.
 *
 * <p>HTTP/1.1 is forced: the fetchers are plain-HTTP cluster services, and the JDK's default
 * would first try an h2c upgrade on every new connection.
 */
final class FetcherHttp {

    /** Mount point of the internal API on a fetcher. */
    static final String API = "/internal/v1/fetch/";

    record Response(int status, byte[] body, Optional<String> upstream, Optional<String> retryAfter) {
    }

    private final HttpClient client;
    private final Duration timeout;

    FetcherHttp(Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
    }

    /**
     * Asks {@code endpoint} for {@code requestPath} (a canonical GOPROXY request path).
     *
     * @throws java.net.ConnectException if no connection could be made (the endpoint is down)
     * @throws java.net.http.HttpTimeoutException if the answer took longer than the fetch timeout
     */
    Response get(URI endpoint, String requestPath) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + API + encodePath(requestPath)))
                .timeout(timeout)
                .GET()
                .build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.body(),
                response.headers().firstValue("X-Modproxy-Upstream"), response.headers().firstValue("Retry-After"));
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

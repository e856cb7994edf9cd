package dev.modproxy.sumdb.client;

import dev.modproxy.internal.ServiceCredential;
import dev.modproxy.sumdb.SumdbException;
import dev.modproxy.sumdb.SumdbException.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Plain GETs to another service or database, with a body limit, a deadline, and the error
 * kinds of this service: 404/410 → NOT_FOUND, other non-2xx or broken connections →
 * UPSTREAM_FAILED, deadline → UPSTREAM_TIMEOUT. The message names the URL and, for an error
 * answer, its first line.
 *
 * <p>Made with a {@link ServiceCredential} it sends it on every call: only for modproxy's own
 * services (the fetchers), never for an upstream checksum database.
 */
public final class SumdbHttp {

    private final HttpClient http;
    private final Duration timeout;
    private final ServiceCredential credential;

    /** For the outside world (upstream checksum databases): sends no credential. */
    public SumdbHttp(Duration timeout) {
        this(timeout, ServiceCredential.none(), HttpClient.Redirect.NORMAL);
    }

    /**
     * For modproxy's own services: sends {@code credential}. Redirects are not followed, so the
     * credential goes to the configured address only.
     */
    public SumdbHttp(Duration timeout, ServiceCredential credential) {
        this(timeout, credential, HttpClient.Redirect.NEVER);
    }

    private SumdbHttp(Duration timeout, ServiceCredential credential, HttpClient.Redirect redirects) {
        this.timeout = timeout;
        this.credential = credential;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(redirects).build();
    }

    /** The answer of a GET: its status and body (bodies of 2xx only). */
    public record Answer(int status, byte[] body) {
    }

    /** GET url; a 2xx answer's body, read up to {@code limit} bytes. */
    public byte[] get(String url, int limit) throws SumdbException {
        Answer a = send(url, limit);
        if (a.status / 100 == 2) {
            return a.body;
        }
        String reason = firstLine(a.body);
        Kind kind = a.status == 404 || a.status == 410 ? Kind.NOT_FOUND : Kind.UPSTREAM_FAILED;
        throw new SumdbException(kind, url + ": " + a.status + (reason.isEmpty() ? "" : " " + reason));
    }

    /** GET url, whatever its status. */
    public Answer send(String url, int limit) throws SumdbException {
        HttpRequest req;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
            credential.authorization().ifPresent(a -> b.header(ServiceCredential.HEADER, a));
            req = b.build();
        } catch (IllegalArgumentException e) {
            throw new SumdbException(Kind.BAD_REQUEST, "bad URL " + url + ": " + e.getMessage());
        }
        try {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(limit + 1);
                if (body.length > limit) {
                    throw new SumdbException(Kind.UPSTREAM_FAILED, url + ": answer over " + limit + " bytes");
                }
                return new Answer(r.statusCode(), body);
            }
        } catch (HttpTimeoutException e) {
            throw new SumdbException(Kind.UPSTREAM_TIMEOUT, url + ": no answer within " + timeout.toSeconds() + "s", e);
        } catch (IOException e) {
            throw new SumdbException(Kind.UPSTREAM_FAILED, url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SumdbException(Kind.UNAVAILABLE, url + ": interrupted", e);
        }
    }

    private static String firstLine(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

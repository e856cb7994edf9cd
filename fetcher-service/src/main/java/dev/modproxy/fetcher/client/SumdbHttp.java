package dev.modproxy.fetcher.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.internal.ServiceCredential;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The HTTP calls to sumdb-service's internal API ({@code POST /internal/v1/sumdb/verify|record}
 * with {@code {module, version, zipHash, modHash}}). A definitive answer (409 mismatch, 404 not
 * in the upstream database, 400) is a {@link FetchException}; a fault worth retrying (no
 * connection, 5xx other than the upstream database's own 502/504) is {@link Unreachable}.
 * Every call carries the {@link ServiceCredential}; a 401 (the two services disagree on it) is
 * a refusal like any other 4xx, with sumdb-service's reason.
 */
final class SumdbHttp {

    /** sumdb-service could not be reached or failed itself: retried, and counted by the breaker. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String endpoint;
    private final ServiceCredential credential;

    SumdbHttp(String endpoint, ServiceCredential credential) {
        this.endpoint = endpoint.replaceAll("/+$", "");
        this.credential = credential;
    }

    String endpoint() {
        return endpoint;
    }

    /** The answer's reason (one line) on success, or throws. */
    String post(String op, ModuleVersion mv, String zipHash, String modHash) throws FetchException {
        String url = endpoint + "/internal/v1/sumdb/" + op;
        byte[] body;
        try {
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            fields.put("module", mv.path().value());
            fields.put("version", mv.version());
            if (zipHash != null) { // verify takes a go.mod hash alone
                fields.put("zipHash", zipHash);
            }
            fields.put("modHash", modHash);
            body = json.writeValueAsBytes(fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> r;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            credential.authorization().ifPresent(a -> b.header(ServiceCredential.HEADER, a));
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Unreachable("checksum database service " + endpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Kind.UNAVAILABLE, "interrupted while asking " + url);
        }
        String reason = r.body().strip();
        int s = r.statusCode();
        if (s == 200) {
            return reason;
        }
        if (s == 409) {
            throw new FetchException(Kind.UPSTREAM_FAILED, reason);
        }
        if (s == 404) {
            throw new FetchException(Kind.UPSTREAM_FAILED, "cannot verify " + mv + ": " + reason);
        }
        if (s == 502 || s == 504) {
            throw new FetchException(s == 504 ? Kind.UPSTREAM_TIMEOUT : Kind.UPSTREAM_FAILED, "cannot verify " + mv + ": " + reason);
        }
        if (s / 100 == 4) {
            throw new FetchException(Kind.UNAVAILABLE, "checksum database service refused " + mv + ": " + s + " " + reason);
        }
        throw new Unreachable("checksum database service " + endpoint + ": " + s + " " + reason, null);
    }
}

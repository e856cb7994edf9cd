package dev.modproxy.gateway.client;

import java.nio.charset.StandardCharsets;

/**
 * A successful answer of the fetcher's internal API: its status (200 with a body, or 204 when
 * the artifact is now in storage), the body, and the endpoint that gave it; for an early
 * {@code .info}, the version's checked {@code .mod} when the fetcher carried it along, else null.
 */
public record FetcherAnswer(int status, byte[] body, String endpoint, byte[] mod) {

    public FetcherAnswer(int status, byte[] body, String endpoint) {
        this(status, body, endpoint, null);
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}

package dev.modproxy.gateway.service;

import java.util.Map;
import java.util.Optional;

/**
 * The one error type of the gateway: every failure a client can be told about is one of these,
 * and the route's failure handler is the one place that turns it into an HTTP answer.
 *
 * <p>The message is what the {@code go} command shows its user, so it is always one line and
 * never carries a stack trace; it is cut to one line here, whoever built it. {@code headers}
 * carries the few response headers an error needs ({@code Content-Range} on 416, the
 * fetcher's {@code X-Modproxy-Upstream} relayed on its errors).
 */
public final class ProxyException extends Exception {

    /** What went wrong, and so which status the client gets. */
    public enum Kind {
        BAD_REQUEST(400),
        /** No or bad credentials where they are required (with {@code WWW-Authenticate}). */
        UNAUTHORIZED(401),
        /** Refused by policy (deny rule, allow list, cooldown) or a missing admin role. */
        FORBIDDEN(403),
        NOT_FOUND(404),
        METHOD_NOT_ALLOWED(405),
        GONE(410),
        /** Request target or query over the configured limits. */
        URI_TOO_LONG(414),
        RANGE_NOT_SATISFIABLE(416),
        TOO_MANY_REQUESTS(429),
        INTERNAL(500),
        BAD_GATEWAY(502),
        UNAVAILABLE(503),
        GATEWAY_TIMEOUT(504);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** The kind a fetcher's error status stands for, if it is one the fetcher may send. */
        public static Optional<Kind> relayable(int status) {
            return switch (status) {
                case 400 -> Optional.of(BAD_REQUEST);
                case 404 -> Optional.of(NOT_FOUND);
                case 410 -> Optional.of(GONE);
                case 429 -> Optional.of(TOO_MANY_REQUESTS);
                case 502 -> Optional.of(BAD_GATEWAY);
                case 503 -> Optional.of(UNAVAILABLE);
                case 504 -> Optional.of(GATEWAY_TIMEOUT);
                default -> Optional.empty();
            };
        }
    }

    private final Kind kind;
    private final Map<String, String> headers;

    public ProxyException(Kind kind, String message) {
        this(kind, message, Map.of(), null);
    }

    public ProxyException(Kind kind, String message, Throwable cause) {
        this(kind, message, Map.of(), cause);
    }

    public ProxyException(Kind kind, String message, Map<String, String> headers, Throwable cause) {
        super(oneLine(message), cause, false, cause != null);
        this.kind = kind;
        this.headers = Map.copyOf(headers);
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return kind.status;
    }

    /** Extra response headers for this error (never content type or length). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The first line of {@code text}, without control characters, never empty. */
    public static String oneLine(String text) {
        if (text == null || text.isBlank()) {
            return "error";
        }
        return withoutControls(text.strip().lines().findFirst().orElse("error"));
    }

    /** {@code text} with every control character (line breaks included) replaced by '?'. */
    public static String withoutControls(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}

package dev.modproxy.fetcher;

/**
 * The fetcher's one error type. The kind decides the HTTP status (in
 * {@link dev.modproxy.fetcher.rest.FetchExceptionMapper}, the only place that does); the message
 * is one line that the gateway relays, and the {@code go} command prints, as it is.
 */
public class FetchException extends Exception {

    public enum Kind {
        /** Malformed module path, version or request. */
        BAD_REQUEST(400),
        /** The module or version does not exist (upstreams answered 404, or nothing has it). */
        NOT_FOUND(404),
        /** An upstream answered 410 Gone. */
        GONE(410),
        /** An upstream failed: 5xx, refused connection, bad artifact, protocol error. */
        UPSTREAM_FAILED(502),
        /** Local trouble: storage unavailable, circuit open, too busy. */
        UNAVAILABLE(503),
        /** An upstream did not answer in time. */
        UPSTREAM_TIMEOUT(504);

        public final int status;

        Kind(int status) {
            this.status = status;
        }

        /** "Does not exist" answers are the only ones that let a {@code ,} list fall through. */
        public boolean isNotFound() {
            return this == NOT_FOUND || this == GONE;
        }
    }

    private final Kind kind;
    private final String upstream;
    private boolean storage;
    private boolean credentials;
    private final long retryAfterSeconds;

    public FetchException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public FetchException(Kind kind, String message, String upstream, Throwable cause) {
        this(kind, message, upstream, cause, 0);
    }

    /** With a {@code Retry-After} (seconds, when positive): the fetcher is busy, not broken. */
    public FetchException(Kind kind, String message, String upstream, Throwable cause, long retryAfterSeconds) {
        super(oneLine(message), cause);
        this.kind = kind;
        this.upstream = upstream;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Storage failed (503): counted as a storage error, whatever the words. */
    public static FetchException storage(String message, Throwable cause) {
        FetchException e = new FetchException(Kind.UNAVAILABLE, message, null, cause);
        e.storage = true;
        return e;
    }

    /**
     * A "not found" that means "not for these credentials" (a git server refusing them): the
     * answer may change as soon as an operator fixes the credentials, so it is never remembered
     * by the negative cache.
     */
    public static FetchException credentialsRefused(String message, String upstream, Throwable cause) {
        FetchException e = new FetchException(Kind.NOT_FOUND, message, upstream, cause);
        e.credentials = true;
        return e;
    }

    /** True for {@link #credentialsRefused}. */
    public boolean isCredentialsRefusal() {
        return credentials;
    }

    /** True if storage, not an upstream or the request, failed. */
    public boolean isStorageFailure() {
        return storage;
    }

    /** Seconds the client should wait before trying again, or 0 when not said. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    /** The upstream this error came from, or null. */
    public String upstream() {
        return upstream;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.replaceAll("[\\r\\n]+", " ").strip();
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }
}

package dev.modproxy.sumdb;

/**
 * The service's one error type. The kind decides the HTTP status (in
 * {@link dev.modproxy.sumdb.rest.SumdbExceptionMapper}, the only place that does); the message
 * is one line of text that callers and the {@code go} command show as it is.
 */
public class SumdbException extends Exception {

    public enum Kind {
        /** Malformed path, name, module, version, hash or body. */
        BAD_REQUEST(400),
        /** No such database, record, tile or module. */
        NOT_FOUND(404),
        /** Hashes disagree with the record already kept (ours or upstream's). */
        MISMATCH(409),
        /** The upstream database failed, lied, or forked. */
        UPSTREAM_FAILED(502),
        /** Local trouble: storage, key, log integrity. */
        UNAVAILABLE(503),
        /** The upstream database did not answer in time. */
        UPSTREAM_TIMEOUT(504);

        public final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;

    public SumdbException(Kind kind, String message) {
        this(kind, message, null);
    }

    public SumdbException(Kind kind, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.replaceAll("[\\r\\n]+", " ").strip();
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }
}

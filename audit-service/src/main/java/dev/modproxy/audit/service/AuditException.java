package dev.modproxy.audit.service;

/**
 * The one error type of audit-service; {@code rest.AuditExceptionMapper} turns its kind into an
 * HTTP status in exactly one place. Messages are one line, shown to the caller as they are.
 */
public class AuditException extends RuntimeException {

    public enum Kind {
        /** The query is malformed (400). */
        BAD_REQUEST(400),
        /** Storage failed while answering (503: try again). */
        STORAGE_UNAVAILABLE(503);

        public final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;

    public AuditException(Kind kind, String message) {
        super(message.lines().findFirst().orElse(message));
        this.kind = kind;
    }

    public AuditException(Kind kind, String message, Throwable cause) {
        super(message.lines().findFirst().orElse(message), cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package dev.modproxy.gomod;

/**
 * The one error type of gomod: every parser and checker in this library reports bad input
 * with this exception and a {@link Kind}, never with an unchecked runtime exception.
 *
 * <p>The message is one line, in the words the {@code go} command uses where it has them, so
 * services can hand it to a client as a {@code text/plain} reason unchanged. The kind lets a
 * service map the error to an HTTP status in exactly one place.
 */
public class GoModException extends Exception {

    /** What sort of input was wrong. */
    public enum Kind {
        /** A module path, import path or file path that breaks the path rules. */
        INVALID_PATH,
        /** A version string that is not valid semver, or not allowed where it was used. */
        INVALID_VERSION,
        /** A GOPROXY list, GOPRIVATE pattern list or GOSUMDB setting that does not parse. */
        INVALID_SETTING,
        /** A module zip (or file tree) that breaks the module zip rules. */
        INVALID_ZIP,
        /** A go.mod file that does not parse or does not match the module. */
        INVALID_MOD,
        /** A signed note or key that is malformed or whose signature does not verify. */
        INVALID_NOTE,
        /** A transparency-log record, tile, tree or proof that is malformed or does not check. */
        INVALID_TLOG,
        /** A size limit was exceeded. */
        TOO_LARGE,
        /** Underlying I/O failed while reading or writing streams or files. */
        IO
    }

    private final Kind kind;

    public GoModException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public GoModException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package dev.modproxy.storage;

import java.io.IOException;

/**
 * A storage operation failed for a reason other than absence. Services map it to 503
 * (storage unavailable), never to 404, so a client never takes an outage for "no such module".
 */
public class StorageException extends IOException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.modproxy.storage;

import java.io.IOException;
import java.io.InputStream;

/** A blob being read: its metadata and an open stream the caller must close. */
public record Blob(BlobInfo info, InputStream stream) implements AutoCloseable {
    @Override
    public void close() throws IOException {
        stream.close();
    }
}

package dev.modproxy.gateway.support;

import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.fs.FsBlobStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/**
 * In tests the gateway's store is the real filesystem store the application would configure
 * (the same root the fake fetchers write to), seen through a {@link RecordingBlobStore}.
 */
public class TestStorage {

    /** Where {@code modproxy.data-dir=target/test-data} puts the fs store. */
    public static final Path ROOT = Path.of("target/test-data/storage");

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    RecordingBlobStore store() throws StorageException {
        return new RecordingBlobStore(open());
    }

    void close(@Disposes RecordingBlobStore store) {
        store.close();
    }

    public static BlobStore open() throws StorageException {
        return new FsBlobStore(ROOT);
    }
}

package dev.modproxy.storage.config;

import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStores;
import dev.modproxy.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/**
 * Makes the configured {@link BlobStore} injectable in every service: one instance per
 * application, opened at first use and closed at shutdown.
 */
@ApplicationScoped
public class StorageProducer {

    @Produces
    @ApplicationScoped
    BlobStore blobStore(StorageConfig config) throws StorageException {
        return BlobStores.open(config.settings());
    }

    void close(@Disposes BlobStore store) {
        store.close();
    }
}

package dev.modproxy.storage;

import dev.modproxy.storage.fs.FsBlobStore;
import dev.modproxy.storage.s3.S3BlobStore;

import java.util.Locale;

/** Opens the backend that {@link StorageSettings} names. */
public final class BlobStores {

    private BlobStores() {
    }

    /**
     * @throws IllegalArgumentException if the type is unknown or its settings are missing
     * @throws StorageException if the backend cannot be reached or prepared
     */
    public static BlobStore open(StorageSettings settings) throws StorageException {
        if (settings == null) {
            throw new IllegalArgumentException("storage settings are missing");
        }
        String type = settings.type() == null ? "" : settings.type().trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "fs":
                if (settings.fsRoot() == null) {
                    throw new IllegalArgumentException("storage type \"fs\" needs a root directory");
                }
                return new FsBlobStore(settings.fsRoot());
            case "s3":
                if (settings.s3() == null) {
                    throw new IllegalArgumentException("storage type \"s3\" needs S3 settings");
                }
                return new S3BlobStore(settings.s3());
            default:
                throw new IllegalArgumentException("unknown storage type \"" + settings.type()
                        + "\": expected \"fs\" or \"s3\"");
        }
    }
}

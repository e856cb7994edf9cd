package dev.modproxy.storage.config;

import dev.modproxy.storage.StorageSettings;
import dev.modproxy.storage.s3.S3Settings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The storage settings every service shares ({@code modproxy.storage.*}, environment
 * {@code MODPROXY_STORAGE_*}). With {@code type=fs} (the default) blobs live under
 * {@code <modproxy.data-dir>/storage}; with {@code type=s3} in a bucket of any S3 API.
 */
@ConfigMapping(prefix = "modproxy")
public interface StorageConfig {

    @WithName("data-dir")
    @WithDefault(".modproxy")
    Path dataDir();

    Storage storage();

    interface Storage {
        /** {@code fs} or {@code s3}. */
        @WithDefault("fs")
        String type();

        /** For {@code fs}: the root directory; default {@code <data-dir>/storage}. */
        @WithName("fs.root")
        Optional<Path> fsRoot();

        S3 s3();
    }

    interface S3 {
        /** For example {@code http://minio:9000} or {@code https://s3.eu-west-1.amazonaws.com}. */
        Optional<String> endpoint();

        @WithDefault("modproxy")
        String bucket();

        @WithName("access-key")
        Optional<String> accessKey();

        @WithName("secret-key")
        Optional<String> secretKey();

        @WithDefault("us-east-1")
        String region();

        /** A key prefix inside the bucket, so several installations can share one bucket. */
        @WithDefault("")
        Optional<String> prefix();

        /** Multipart part size in bytes: the memory one upload holds at a time. */
        @WithName("part-size")
        @WithDefault("16777216")
        long partSize();

        /** Create the bucket at start-up if it is missing. */
        @WithName("create-bucket")
        @WithDefault("true")
        boolean createBucket();
    }

    /** The backend-neutral settings these properties describe. */
    default StorageSettings settings() {
        Storage s = storage();
        return switch (s.type()) {
            case "fs" -> StorageSettings.fs(s.fsRoot().orElse(dataDir().resolve("storage")));
            case "s3" -> StorageSettings.s3(new S3Settings(
                    s.s3().endpoint().orElseThrow(() -> new IllegalArgumentException(
                            "modproxy.storage.s3.endpoint is required with modproxy.storage.type=s3")),
                    s.s3().bucket(),
                    s.s3().accessKey().orElse(""),
                    s.s3().secretKey().orElse(""),
                    s.s3().region(),
                    s.s3().prefix().orElse(""),
                    s.s3().partSize(),
                    s.s3().createBucket()));
            default -> throw new IllegalArgumentException("modproxy.storage.type must be fs or s3, not \""
                    + s.type() + "\"");
        };
    }
}

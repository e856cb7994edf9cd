package dev.modproxy.storage.s3;

import dev.modproxy.storage.BlobKey;

import java.util.Objects;

/**
 * Where and how {@link S3BlobStore} talks to S3.
 *
 * @param endpoint     base URL, e.g. {@code https://s3.eu-west-1.amazonaws.com} or {@code http://127.0.0.1:9000}
 * @param bucket       bucket name
 * @param accessKey    access key id
 * @param secretKey    secret key (never printed: {@link #toString()} redacts it)
 * @param region       region, or null to let the client ask the server
 * @param prefix       key prefix inside the bucket ("" or null for none); a trailing '/' is added
 * @param partSize     multipart part size in bytes; 0 means {@link #DEFAULT_PART_SIZE}. Memory per
 *                     concurrent put is about one part.
 * @param createBucket create the bucket at startup if it does not exist
 */
public record S3Settings(String endpoint, String bucket, String accessKey, String secretKey, String region,
                         String prefix, long partSize, boolean createBucket) {

    public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;
    /** S3's minimum size for every part but the last. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** Our cap: a part is one byte[] in memory. */
    public static final long MAX_PART_SIZE = 512L * 1024 * 1024;

    public S3Settings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("S3 bucket must not be blank");
        }
        if (partSize == 0) {
            partSize = DEFAULT_PART_SIZE;
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be between " + MIN_PART_SIZE + " and "
                    + MAX_PART_SIZE + " bytes, got " + partSize);
        }
        if (prefix == null) {
            prefix = "";
        }
        if (!prefix.isEmpty()) {
            String bare = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
            if (!BlobKey.isValid(bare)) {
                throw new IllegalArgumentException("invalid S3 key prefix: " + prefix);
            }
            prefix = bare + "/";
        }
        if (region != null && region.isBlank()) {
            region = null;
        }
    }

    /** Settings without bucket creation, with the default part size. */
    public S3Settings(String endpoint, String bucket, String accessKey, String secretKey, String region,
                      String prefix, long partSize) {
        this(endpoint, bucket, accessKey, secretKey, region, prefix, partSize, false);
    }

    public S3Settings withPrefix(String newPrefix) {
        return new S3Settings(endpoint, bucket, accessKey, secretKey, region, newPrefix, partSize, createBucket);
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", bucket=" + bucket + ", accessKey=" + accessKey
                + ", secretKey=***, region=" + region + ", prefix=" + prefix + ", partSize=" + partSize
                + ", createBucket=" + createBucket + "]";
    }
}

package dev.modproxy.storage;

import java.time.Instant;

/**
 * What a backend knows about a stored blob. {@code etag} changes whenever the content does
 * (it is safe as an HTTP strong validator for immutable blobs).
 */
public record BlobInfo(BlobKey key, long size, Instant lastModified, String etag) {
}

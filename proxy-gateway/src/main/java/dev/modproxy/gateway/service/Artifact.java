package dev.modproxy.gateway.service;

import dev.modproxy.storage.BlobInfo;

import java.time.Instant;

/**
 * What the gateway answers a GOPROXY request with: bytes already in memory, or a blob to be
 * streamed from storage. Both carry the validators and caching policy of the response.
 */
public sealed interface Artifact {

    String contentType();

    /** The strong validator, quoted as HTTP wants it, or null when there is none. */
    String etag();

    /** Null when unknown. */
    Instant lastModified();

    String cacheControl();

    long size();

    /** True for immutable artifacts, which support ranges and are cached for a year. */
    boolean immutable();

    /** Small artifacts and answers: served from the bytes here. */
    record InMemory(byte[] bytes, String contentType, String etag, Instant lastModified, String cacheControl,
                    boolean immutable) implements Artifact {
        @Override
        public long size() {
            return bytes.length;
        }
    }

    /**
     * A large immutable blob (zips, big .mod files): streamed, never held whole. {@code file} is
     * the local file that holds it when storage has one (fs), sent zero-copy; else null.
     */
    record Stored(BlobInfo info, String contentType, String etag, java.nio.file.Path file) implements Artifact {
        public Stored(BlobInfo info, String contentType, String etag) {
            this(info, contentType, etag, null);
        }

        @Override
        public Instant lastModified() {
            return info.lastModified();
        }

        @Override
        public String cacheControl() {
            return IMMUTABLE;
        }

        @Override
        public long size() {
            return info.size();
        }

        @Override
        public boolean immutable() {
            return true;
        }
    }

    String IMMUTABLE = "public, max-age=31536000, immutable";

    String JSON = "application/json";
    String TEXT = "text/plain; charset=utf-8";
    String ZIP = "application/zip";

    /** Storage etags are opaque strings, with or without quotes; HTTP wants exactly one pair. */
    static String quoteEtag(String etag) {
        if (etag == null || etag.isBlank()) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return '"' + e.replace("\"", "") + '"';
    }
}

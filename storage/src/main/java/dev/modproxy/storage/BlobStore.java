package dev.modproxy.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where modproxy keeps bytes: module artifacts, list caches, checksum-log tiles, audit segments.
 *
 * <p>The contract every backend keeps (and {@code BlobStoreConformance} checks):
 * <ul>
 *   <li>Keys are {@link BlobKey}s: relative, '/'-separated, no empty, "." or ".." segments, so a
 *       key can never name anything outside the store's root or bucket prefix.</li>
 *   <li>A write is all-or-nothing: a reader sees either no blob or the whole blob, never a
 *       prefix of it, whatever happens to the writer (crash, kill, lost connection).</li>
 *   <li>{@link WriteMode#IMMUTABLE} writes happen once: a second write to the same key leaves the
 *       first blob in place and reports {@code false}. Module artifacts are written this way,
 *       because a {@code .zip} once served must never change.</li>
 *   <li>{@link WriteMode#REPLACE} writes swap the whole blob atomically (for caches such as
 *       {@code list}).</li>
 *   <li>Data streams: no backend holds a whole blob in memory, on write or on read.</li>
 *   <li>Absence is {@code Optional.empty()}, not an exception; every other failure is a
 *       {@link StorageException}.</li>
 * </ul>
 */
public interface BlobStore extends AutoCloseable {

    /** Size and version of a blob, or empty if there is none. */
    Optional<BlobInfo> stat(BlobKey key) throws StorageException;

    /** The whole blob. The caller closes the returned stream. */
    Optional<Blob> get(BlobKey key) throws StorageException;

    /**
     * Part of a blob: {@code length} bytes from {@code offset} (fewer at the end of the blob).
     * The caller has checked the range against {@link BlobInfo#size()}; a range that starts at or
     * past the end still gets the blob, with an empty stream. The returned {@link Blob#info()}
     * describes the whole blob (its size, not the range's), so it can fill a Content-Range header.
     */
    Optional<Blob> get(BlobKey key, long offset, long length) throws StorageException;

    /**
     * Stores {@code data} (read to its end, not closed) under {@code key}.
     *
     * @param size the number of bytes {@code data} holds, or -1 if unknown (backends stream either way);
     *     a stream that holds a different number fails the write and stores nothing
     * @return true if this call stored the blob; false if {@code mode} is IMMUTABLE and a blob
     *     was already there (it is left unchanged, and {@code data} may have been read only in
     *     part or not at all)
     * @throws StorageException if the store fails or {@code data} throws; nothing is stored then
     */
    boolean put(BlobKey key, InputStream data, long size, WriteMode mode) throws StorageException;

    /** Keys that start with {@code prefix} (a key prefix, not necessarily a whole segment), sorted. */
    List<BlobKey> list(String prefix) throws StorageException;

    /**
     * The local file that holds the blob, for a server to send it zero-copy ({@code sendfile});
     * empty when there is none or the backend keeps no local files (s3, the default). Only for
     * IMMUTABLE blobs: the file is never rewritten in place, so it is the blob's bytes for as
     * long as it exists.
     */
    default Optional<java.nio.file.Path> localFile(BlobKey key) throws StorageException {
        return Optional.empty();
    }

    /** Removes the blob if there is one. */
    void delete(BlobKey key) throws StorageException;

    /** A cheap round trip that fails when the store cannot be used (for readiness). */
    void ping() throws StorageException;

    @Override
    default void close() {
    }

    enum WriteMode { IMMUTABLE, REPLACE }
}

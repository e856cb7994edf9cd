package dev.modproxy.gateway.support;

import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobInfo;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real store wrapped to record every key the gateway touches, and to fail on demand: tests
 * check that bad input reaches no storage at all, that good input stays under its module's
 * prefix, and that an outage becomes 503.
 */
public class RecordingBlobStore implements BlobStore {

    private final BlobStore delegate;
    private final List<String> accessed = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private volatile boolean buggy;

    public RecordingBlobStore(BlobStore delegate) {
        this.delegate = delegate;
    }

    /** The real store underneath, for tests that prepare data without being recorded. */
    public BlobStore delegate() {
        return delegate;
    }

    /**
     * Keys touched on behalf of requests. The quarantine list is left out: a background task
     * re-reads it every few seconds, whatever requests come in.
     */
    public List<String> accessed() {
        return accessed.stream().filter(k -> !k.startsWith("quarantine/")).toList();
    }

    public void clear() {
        accessed.clear();
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Makes every access throw an unchecked exception, as a bug in a backend would. */
    public void buggy(boolean buggy) {
        this.buggy = buggy;
    }

    private void touch(String what) throws StorageException {
        accessed.add(what);
        if (failing) {
            throw new StorageException("disk on fire (test)");
        }
        if (buggy) {
            throw new IllegalStateException("a bug in the storage backend (test)");
        }
    }

    @Override
    public Optional<BlobInfo> stat(BlobKey key) throws StorageException {
        touch(key.value());
        return delegate.stat(key);
    }

    @Override
    public Optional<Blob> get(BlobKey key) throws StorageException {
        touch(key.value());
        return delegate.get(key);
    }

    @Override
    public Optional<Blob> get(BlobKey key, long offset, long length) throws StorageException {
        touch(key.value());
        return delegate.get(key, offset, length);
    }

    @Override
    public boolean put(BlobKey key, InputStream data, long size, WriteMode mode) throws StorageException {
        touch(key.value());
        return delegate.put(key, data, size, mode);
    }

    @Override
    public List<BlobKey> list(String prefix) throws StorageException {
        touch(prefix);
        return delegate.list(prefix);
    }

    @Override
    public void delete(BlobKey key) throws StorageException {
        touch(key.value());
        delegate.delete(key);
    }

    @Override
    public void ping() throws StorageException {
        if (failing) {
            throw new StorageException("disk on fire (test)");
        }
        delegate.ping();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

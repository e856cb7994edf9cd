package dev.modproxy.storage.fs;

import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.BlobStoreConformance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conformance suite on {@link FsBlobStore}, plus what only a filesystem has. */
class FsBlobStoreTest extends BlobStoreConformance {

    @TempDir
    Path dir;

    @Override
    protected BlobStore openStore() throws Exception {
        return new FsBlobStore(dir.resolve("store"));
    }

    @Test
    void tempFilesAreInvisibleAndOldOnesAreCleaned() throws Exception {
        Path root = ((FsBlobStore) store).root();
        put(BlobKey.of("m/@v/list"), "v1\n", WriteMode.REPLACE);
        Path fresh = root.resolve("m/@v/" + FsBlobStore.TEMP_PREFIX + "fresh");
        Path stale = root.resolve("m/@v/" + FsBlobStore.TEMP_PREFIX + "stale");
        Files.write(fresh, new byte[] {1, 2, 3});
        Files.write(stale, new byte[] {4, 5, 6});
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        assertEquals(List.of(BlobKey.of("m/@v/list")), store.list(""));

        store.close();
        store = new FsBlobStore(root); // default age: 15 minutes
        assertTrue(Files.exists(fresh), "a temp file being written right now is left alone");
        assertFalse(Files.exists(stale), "an hour-old temp file is a dead writer's");
        assertEquals(List.of(BlobKey.of("m/@v/list")), store.list(""));
    }

    @Test
    void blobIsAPlainFileUnderRoot() throws Exception {
        Path root = ((FsBlobStore) store).root();
        put(BlobKey.of("golang.org/x/text/@v/v0.3.0.mod"), "module golang.org/x/text\n", WriteMode.IMMUTABLE);
        assertEquals("module golang.org/x/text\n",
                Files.readString(root.resolve("golang.org/x/text/@v/v0.3.0.mod")));
        try (var files = Files.list(root.resolve("golang.org/x/text/@v"))) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void localFileIsTheBlobsFileForSendfile() throws Exception {
        BlobKey key = BlobKey.of("m/@v/v1.0.0.zip");
        assertEquals(Optional.empty(), store.localFile(key), "no blob, no file");
        put(key, "zip bytes", WriteMode.IMMUTABLE);
        Path file = store.localFile(key).orElseThrow();
        assertEquals(((FsBlobStore) store).root().resolve("m/@v/v1.0.0.zip"), file);
        assertEquals("zip bytes", Files.readString(file));
    }

    @Test
    void keyBelowAnExistingBlobFailsCleanly() throws Exception {
        put(BlobKey.of("a/b"), "file", WriteMode.IMMUTABLE);
        BlobKey below = BlobKey.of("a/b/c");
        byte[] b = bytes("x");
        org.junit.jupiter.api.Assertions.assertThrows(dev.modproxy.storage.StorageException.class,
                () -> store.put(below, new ByteArrayInputStream(b), b.length, WriteMode.IMMUTABLE));
        assertEquals(Optional.empty(), store.stat(below));
        assertEquals(List.of(BlobKey.of("a/b")), store.list(""));
    }
}

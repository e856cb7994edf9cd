package dev.modproxy.storage;

import dev.modproxy.storage.fs.FsBlobStore;
import dev.modproxy.storage.s3.S3Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlobStoresTest {

    @TempDir
    Path dir;

    @Test
    void opensFs() throws Exception {
        try (BlobStore s = BlobStores.open(StorageSettings.fs(dir))) {
            assertInstanceOf(FsBlobStore.class, s);
            s.ping();
        }
    }

    @Test
    void unknownTypeIsRejectedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobStores.open(new StorageSettings("gcs", dir, null)));
        assertTrue(e.getMessage().contains("\"gcs\""), e.getMessage());
        assertTrue(e.getMessage().contains("\"fs\" or \"s3\""), e.getMessage());
    }

    @Test
    void missingSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> BlobStores.open(new StorageSettings("fs", null, null)));
        assertThrows(IllegalArgumentException.class, () -> BlobStores.open(new StorageSettings("s3", null, null)));
        assertThrows(IllegalArgumentException.class, () -> BlobStores.open(null));
    }

    @Test
    void s3SettingsNeverPrintTheSecret() {
        S3Settings s = new S3Settings("http://127.0.0.1:9000", "b", "AKID", "s3cr3t-value", null, "p", 0);
        assertFalse(s.toString().contains("s3cr3t-value"), s.toString());
        assertFalse(StorageSettings.s3(s).toString().contains("s3cr3t-value"));
        assertTrue(s.partSize() == S3Settings.DEFAULT_PART_SIZE);
        assertTrue(s.prefix().equals("p/"));
    }

    @Test
    void badKeysNeverReachABackend() {
        for (String bad : new String[] {"../x", "/abs", "a//b", "a/./b", "a/../b", "a\\b", "a b", "a%2e", ""}) {
            assertFalse(BlobKey.isValid(bad), bad);
        }
    }
}

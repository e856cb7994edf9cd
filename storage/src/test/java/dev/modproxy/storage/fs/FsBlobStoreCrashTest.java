package dev.modproxy.storage.fs;

import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore.WriteMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 a writer mid-blob (a real child JVM, {@link SlowWriterMain}) and check that what it
 * leaves is invisible and is cleaned up by the next store's startup.
 */
class FsBlobStoreCrashTest {

    @TempDir
    Path root;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void killedImmutableWriterLeavesNoBlob() throws Exception {
        BlobKey key = BlobKey.of("example.com/big/@v/v1.0.0.zip");
        killMidWrite(key, WriteMode.IMMUTABLE);

        // Before cleanup: the temp file is there, and invisible.
        assertEquals(1, tempFiles().size(), "the killed writer left its temp file");
        FsBlobStore keeping = new FsBlobStore(root); // default age: a fresh temp file is kept
        assertEquals(Optional.empty(), keeping.stat(key));
        assertEquals(Optional.empty(), keeping.get(key));
        assertEquals(List.of(), keeping.list(""));
        assertEquals(1, tempFiles().size());

        FsBlobStore fresh = new FsBlobStore(root, Duration.ZERO);
        assertEquals(Optional.empty(), fresh.stat(key));
        assertEquals(List.of(), fresh.list(""));
        assertEquals(List.of(), tempFiles(), "startup cleanup removed the stale temp file");

        // And the key is still writable once.
        byte[] b = "whole".getBytes(StandardCharsets.UTF_8);
        assertTrue(fresh.put(key, new ByteArrayInputStream(b), b.length, WriteMode.IMMUTABLE));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void killedReplaceWriterLeavesTheOldBlob() throws Exception {
        BlobKey key = BlobKey.of("example.com/big/@v/list");
        byte[] old = "v1.0.0\n".getBytes(StandardCharsets.UTF_8);
        assertTrue(new FsBlobStore(root).put(key, new ByteArrayInputStream(old), old.length, WriteMode.REPLACE));

        killMidWrite(key, WriteMode.REPLACE);

        FsBlobStore fresh = new FsBlobStore(root, Duration.ZERO);
        assertEquals(List.of(key), fresh.list(""));
        assertEquals(old.length, fresh.stat(key).orElseThrow().size());
        try (Blob blob = fresh.get(key).orElseThrow()) {
            assertArrayEquals(old, blob.stream().readAllBytes());
        }
        assertEquals(List.of(), tempFiles());
    }

    private void killMidWrite(BlobKey key, WriteMode mode) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"),
                SlowWriterMain.class.getName(), root.toString(), key.value(), mode.name())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertEquals("WRITING", line, "child did not start writing");
            // Wait until the temp file has real bytes in it, so the kill is truly mid-write.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (tempFiles().isEmpty() || Files.size(tempFiles().get(0)) < 1024 * 1024) {
                assertTrue(System.nanoTime() < deadline, "no growing temp file");
                Thread.sleep(20);
            }
            assertTrue(child.isAlive());
        } finally {
            child.destroyForcibly(); // SIGKILL on Unix: no finally blocks, no shutdown hooks
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertFalse(child.isAlive());
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith(FsBlobStore.TEMP_PREFIX)).toList();
        }
    }
}

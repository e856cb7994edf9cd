package dev.modproxy.storage.fs;

import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.GeneratedStream;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Child process for {@link FsBlobStoreCrashTest}: writes a large blob slowly to an
 * {@link FsBlobStore} and says "WRITING" on stdout once it is well into it, so the parent can
 * kill it mid-write. Args: root, key, mode.
 */
public final class SlowWriterMain {
    public static void main(String[] args) throws Exception {
        FsBlobStore store = new FsBlobStore(Path.of(args[0]));
        BlobKey key = BlobKey.of(args[1]);
        WriteMode mode = WriteMode.valueOf(args[2]);
        long size = 256L * 1024 * 1024;
        GeneratedStream slow = new GeneratedStream(size, 1) {
            private boolean announced;

            @Override
            protected void reached(long position) throws IOException {
                if (position >= 1024 * 1024) {
                    if (!announced) {
                        announced = true;
                        System.out.println("WRITING");
                        System.out.flush();
                    }
                    try {
                        Thread.sleep(5); // ~1.6 MB/s: the write lasts minutes unless killed
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            }
        };
        store.put(key, slow, size, mode);
        System.out.println("DONE"); // never reached in the test
    }
}

package dev.modproxy.system;

import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.fs.FsBlobStore;
import dev.modproxy.storage.layout.ModuleLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful shutdown: a SIGTERM (what Kubernetes sends first) while a client is downloading a
 * 200 MB zip lets that download finish, whole and byte-exact, before the gateway exits. The zip
 * is put straight into the fs store under its {@link ModuleLayout} keys, so no fetcher is needed.
 */
class ShutdownDrainIT {

    private static final long SIZE = 200L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void sigtermLetsALargeDownloadFinish() throws Exception {
        Path storage = dir.resolve("storage");
        ModuleVersion mv = ModuleVersion.of("example.com/big", "v1.0.0");
        String expected;
        try (FsBlobStore store = new FsBlobStore(storage)) {
            Generated zip = new Generated(SIZE, 42);
            store.put(ModuleLayout.artifact(mv, Type.ZIP), zip, SIZE, WriteMode.IMMUTABLE);
            expected = zip.sha256();
            byte[] mod = "module example.com/big\n".getBytes(StandardCharsets.UTF_8);
            store.put(ModuleLayout.artifact(mv, Type.MOD), new ByteArrayInputStream(mod), mod.length, WriteMode.IMMUTABLE);
            byte[] info = "{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
            store.put(ModuleLayout.artifact(mv, Type.INFO), new ByteArrayInputStream(info), info.length, WriteMode.IMMUTABLE);
        }
        ServiceProcess gateway = ServiceProcess.start("proxy-gateway", "drain-gateway", dir.resolve("logs"), Map.of(
                "MODPROXY_FETCHER_ENDPOINTS", "http://127.0.0.1:" + ServiceProcess.freePort(),
                "MODPROXY_DATA_DIR", dir.resolve("gateway").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(gateway.url() + "/example.com/big/@v/v1.0.0.zip")
                    .toURL().openConnection();
            c.setReadTimeout(30_000);
            assertEquals(200, c.getResponseCode());
            assertEquals(Long.toString(SIZE), c.getHeaderField("Content-Length"));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long got = 0;
            try (InputStream in = c.getInputStream()) {
                byte[] buf = new byte[64 * 1024];
                // Take the first few megabytes, then SIGTERM with most of the zip still to send.
                while (got < 4 * 1024 * 1024) {
                    int n = in.read(buf);
                    assertTrue(n > 0, "ended early at " + got);
                    sha.update(buf, 0, n);
                    got += n;
                }
                gateway.terminate();
                Thread.sleep(1000); // the shutdown is under way while the client is still reading
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                    got += n;
                }
            }
            assertEquals(SIZE, got, "bytes received");
            assertEquals(expected, HexFormat.of().formatHex(sha.digest()), "sha-256 of what the client received");
            assertTrue(gateway.awaitExit(60), "gateway exits once the download is done");
        } finally {
            gateway.close();
        }
    }

    /** {@code size} pseudo-random bytes, hashed as they are read. */
    private static final class Generated extends InputStream {
        private final Random random;
        private final MessageDigest sha;
        private long left;

        Generated(long size, long seed) throws Exception {
            this.left = size;
            this.random = new Random(seed);
            this.sha = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            sha.update(chunk);
            left -= n;
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}

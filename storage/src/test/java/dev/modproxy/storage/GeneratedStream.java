package dev.modproxy.storage;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code size} pseudo-random bytes from {@code seed}, generated as they are read (never held in
 * memory), with a running SHA-256 of what was handed out. {@link #reached} lets a test pause or
 * fail the stream at a position.
 */
public class GeneratedStream extends InputStream {
    private final long size;
    private long position;
    private long state;
    private final MessageDigest digest;

    public GeneratedStream(long size, long seed) {
        this.size = size;
        this.state = seed * 0x9E3779B97F4A7C15L + 1;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Called before handing out bytes from {@code position} on. */
    protected void reached(long position) throws IOException {
    }

    public long position() {
        return position;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        reached(position);
        int n = (int) Math.min(len, Math.min(size - position, 8192));
        for (int i = 0; i < n; i++) {
            b[off + i] = next();
        }
        digest.update(b, off, n);
        position += n;
        return n;
    }

    private byte next() {
        // xorshift64*, one byte per step: cheap and good enough to catch misplaced bytes.
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        return (byte) ((state * 0x2545F4914F6CDD1DL) >>> 56);
    }

    /** SHA-256 of the bytes handed out so far. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the rest of the stream and returns the SHA-256 of everything handed out. */
    public String sha256OfRest() throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (read(buf, 0, buf.length) != -1) {
            // digest updated in read
        }
        return sha256();
    }
}

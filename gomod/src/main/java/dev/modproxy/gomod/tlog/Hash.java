package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoBase64;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A 32-byte SHA-256 hash naming a log record or tree node. Its text form is standard padded
 * base64 (44 characters), as in x/mod's {@code tlog.Hash.String} and {@code tlog.ParseHash}.
 * {@link #of(byte[])} with other than 32 bytes is a programming error
 * ({@code IllegalArgumentException}); text from outside goes through {@link #parse}.
 */
public final class Hash {

    /** Bytes in a hash. */
    public static final int SIZE = 32;

    /** The all-zero hash, defined as the hash of the empty tree. */
    public static final Hash ZERO = new Hash(new byte[SIZE]);

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The hash with the given 32 bytes. */
    public static Hash of(byte[] bytes) {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("hash must be 32 bytes, not " + bytes.length);
        }
        return new Hash(bytes.clone());
    }

    /** The hash stored at {@code data[offset, offset+32)}. */
    public static Hash of(byte[] data, int offset) {
        return new Hash(Arrays.copyOfRange(data, offset, offset + SIZE));
    }

    /** Parses the base64 form. */
    public static Hash parse(String s) throws GoModException {
        byte[] b = GoBase64.decode(s);
        if (b == null || b.length != SIZE) {
            throw new GoModException(GoModException.Kind.INVALID_TLOG, "malformed hash");
        }
        return new Hash(b);
    }

    /** SHA-256 over the concatenated parts. */
    static Hash sha256(byte[]... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                sha.update(p);
            }
            return new Hash(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, SIZE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The base64 form. */
    @Override
    public String toString() {
        return GoBase64.encode(bytes);
    }
}

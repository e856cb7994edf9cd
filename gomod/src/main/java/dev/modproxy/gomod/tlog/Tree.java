package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoBase64;
import dev.modproxy.gomod.text.GoDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A log's tree head: its size and root hash, the text a checksum database signs (x/mod's
 * {@code tlog.Tree}, {@code FormatTree}, {@code ParseTree}).
 *
 * <p>The text is three lines, each ending in newline: "go.sum database tree", N in decimal,
 * the hash in base64. A parser takes N only in canonical form (no sign, no leading zeros) and
 * ignores anything after the third line, where a compatible future format may add lines; an
 * incompatible one would change the first line. Texts over a million bytes are refused.
 *
 * <p>A negative size is a programming error in the constructor
 * ({@code IllegalArgumentException}); a note text from outside goes through {@link #parse}.
 *
 * @param n number of records, from 0
 * @param hash root hash ({@link Hash#ZERO} for the empty tree)
 */
public record Tree(long n, Hash hash) {

    private static final String PREFIX = "go.sum database tree\n";
    private static final int MAX_TEXT = 1_000_000;

    public Tree {
        Objects.requireNonNull(hash, "hash");
        if (n < 0) {
            throw new IllegalArgumentException("negative tree size " + n);
        }
    }

    /** The tree's note text. */
    public byte[] format() {
        return (PREFIX + n + "\n" + hash + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a tree note text. */
    public static Tree parse(byte[] text) throws GoModException {
        byte[] prefix = PREFIX.getBytes(StandardCharsets.UTF_8);
        if (text.length < prefix.length || !Arrays.equals(text, 0, prefix.length, prefix, 0, prefix.length)
                || newlines(text) < 3 || text.length > MAX_TEXT) {
            throw malformed();
        }
        // Only the size and hash lines matter; both must be ASCII to be valid, so decoding
        // the whole text leniently cannot change them.
        String[] lines = new String(text, StandardCharsets.UTF_8).split("\n", 4);
        Long n = GoDecimal.parse(lines[1]);
        if (n == null || n < 0 || !lines[1].equals(Long.toString(n))) {
            throw malformed();
        }
        byte[] h = GoBase64.decode(lines[2]);
        if (h == null || h.length != Hash.SIZE) {
            throw malformed();
        }
        return new Tree(n, Hash.of(h));
    }

    private static int newlines(byte[] text) {
        int count = 0;
        for (byte b : text) {
            if (b == '\n') {
                count++;
            }
        }
        return count;
    }

    private static GoModException malformed() {
        return new GoModException(GoModException.Kind.INVALID_TLOG, "malformed tree note");
    }
}

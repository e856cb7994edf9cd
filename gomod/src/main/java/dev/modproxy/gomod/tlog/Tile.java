package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoDecimal;
import dev.modproxy.gomod.text.GoQuote;

/**
 * A tile of a log (x/mod's {@code tlog.Tile}): the W consecutive hashes at tree level H·L
 * starting at hash number N·2^H, which stand for the whole height-H subtree above them. A
 * complete tile has W = 2^H hashes; a partial one fewer. Level L = -1 holds record data
 * instead of hashes.
 *
 * <p>A tile's path is {@code tile/H/L/NNN[.p/W]}: L is written "data" for level -1; N is
 * written in groups of three digits, most significant first, every group but the last
 * prefixed "x" (N = 1234067 is {@code x001/x234/067}); the ".p/W" suffix marks a partial tile.
 * The groups keep any one directory under 3000 entries. A path parses only if it is exactly
 * the path of the tile it describes, so every tile has one spelling.
 *
 * <p>Coordinates outside these ranges are a programming error in the constructor
 * ({@code IllegalArgumentException}); a path from outside goes through {@link #parse}.
 *
 * @param h height, 1 to 30
 * @param l level in the tiling, -1 (data) or more
 * @param n number within the level, from 0
 * @param w width, 1 to 2^h
 */
public record Tile(int h, int l, long n, int w) {

    private static final int PATH_BASE = 1000;

    public Tile {
        if (h < 1 || h > 30 || l < -1 || n < 0 || w < 1 || w > 1 << h) {
            throw new IllegalArgumentException("invalid tile H=" + h + " L=" + l + " N=" + n + " W=" + w);
        }
    }

    /** Whether the tile has all 2^H hashes. */
    public boolean isComplete() {
        return w == 1 << h;
    }

    /** The tile coordinate path. */
    public String path() {
        long rest = n;
        StringBuilder digits = new StringBuilder(String.format("%03d", rest % PATH_BASE));
        while (rest >= PATH_BASE) {
            rest /= PATH_BASE;
            digits.insert(0, String.format("x%03d/", rest % PATH_BASE));
        }
        return "tile/" + h + "/" + (l == -1 ? "data" : Integer.toString(l)) + "/" + digits
                + (isComplete() ? "" : ".p/" + w);
    }

    @Override
    public String toString() {
        return path();
    }

    /** Parses a tile coordinate path. */
    public static Tile parse(String path) throws GoModException {
        String[] f = path.split("/", -1);
        if (f.length < 4 || !f[0].equals("tile")) {
            throw badPath(path);
        }
        Long height = GoDecimal.parse(f[1]);
        boolean isData = f[2].equals("data");
        Long level = isData ? Long.valueOf(0) : GoDecimal.parse(f[2]);
        if (height == null || level == null || height < 1 || level < 0 || height > 30 || level > Integer.MAX_VALUE) {
            throw badPath(path);
        }
        int h = height.intValue();
        int w = 1 << h;
        int end = f.length;
        if (f[end - 2].endsWith(".p")) {
            Long width = GoDecimal.parse(f[end - 1]);
            if (width == null || width <= 0 || width >= w) {
                throw badPath(path);
            }
            w = width.intValue();
            f[end - 2] = f[end - 2].substring(0, f[end - 2].length() - 2);
            end--;
        }
        long n = 0;
        for (int i = 3; i < end; i++) {
            String s = f[i].startsWith("x") ? f[i].substring(1) : f[i];
            Long group = GoDecimal.parse(s);
            if (group == null || group < 0 || group >= PATH_BASE) {
                throw badPath(path);
            }
            n = n * PATH_BASE + group;
        }
        if (n < 0) {
            throw badPath(path);
        }
        Tile t = new Tile(h, isData ? -1 : level.intValue(), n, w);
        if (!path.equals(t.path())) {
            throw badPath(path);
        }
        return t;
    }

    private static GoModException badPath(String path) {
        return new GoModException(GoModException.Kind.INVALID_TLOG, "malformed tile path " + GoQuote.quote(path));
    }
}

package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiling of the stored hashes (https://research.swtch.com/tlog#tiling_a_log), as x/mod's
 * {@code tlog} tiles them.
 *
 * <p>With tiles of height H, tile (L, N) holds the level-H·L hashes N·2^H to N·2^H + W - 1; every
 * hash of levels H·L to H·L + H - 1 in that span can be recomputed from them, so those levels are
 * not published. A tile's data is its W hashes concatenated, 32 bytes each. The tile holding a
 * stored hash is the narrowest one that contains the whole subtree below that hash.
 *
 * <p>When a log grows from size a to size b, the tiles to publish at each level are the complete
 * tiles newly completed and every width of the last, partial tile from the old width plus one up
 * to the new width; so clients can fetch any earlier tree's tiles by exact path.
 *
 * <p>A tile height below 1 is a programming error ({@code IllegalArgumentException}), as it is a
 * panic in x/mod.
 */
public final class Tiles {

    private Tiles() {
    }

    /** The tile of height h and least width storing the hash at the given stored index. */
    public static Tile tileForIndex(int h, long index) {
        return locate(h, index).tile;
    }

    /** A tile and the byte range of its data whose {@link #tileHash} is the wanted hash. */
    private record Located(Tile tile, long start, long end) {
    }

    private static Located locate(int h, long index) {
        if (h <= 0) {
            throw new IllegalArgumentException("TileForIndex: invalid height " + h);
        }
        long[] split = Tlog.splitStoredHashIndex(index);
        int level = (int) split[0];
        long n = split[1];
        int tileLevel = level / h;
        level -= tileLevel * h; // now the level within the tile
        long tileN = n << level >> h;
        n -= tileN << h >> level; // now the number within the tile at that level
        Tile t = new Tile(h, tileLevel, tileN, (int) ((n + 1) << level));
        return new Located(t, (n << level) * Hash.SIZE, ((n + 1) << level) * Hash.SIZE);
    }

    /**
     * The hash at the given stored index, read from the data of tile t, which must be the tile
     * {@link #tileForIndex} names for it or a wider version of that tile.
     */
    public static Hash hashFromTile(Tile t, byte[] data, long index) throws GoModException {
        if (t.l() < 0 || t.l() >= 64) {
            throw Proofs.tlogError("invalid tile " + t.path());
        }
        if (data.length < (long) t.w() * Hash.SIZE) {
            throw Proofs.tlogError("data len " + data.length + " too short for tile " + t.path());
        }
        Located want = locate(t.h(), index);
        if (t.l() != want.tile.l() || t.n() != want.tile.n() || t.w() < want.tile.w()) {
            throw Proofs.tlogError("index " + index + " is in " + want.tile.path() + " not " + t.path());
        }
        return tileHash(data, (int) want.start, (int) want.end);
    }

    /** The hash of the subtree whose 2^k leaf hashes are {@code data[from, to)}. */
    static Hash tileHash(byte[] data, int from, int to) {
        if (to - from == Hash.SIZE) {
            return Hash.of(data, from);
        }
        if (to <= from) {
            throw new IllegalStateException("bad math in tileHash");
        }
        int mid = from + (to - from) / 2;
        return Tlog.nodeHash(tileHash(data, from, mid), tileHash(data, mid, to));
    }

    /** The tiles of height h to publish when the tree grows from oldTreeSize to newTreeSize. */
    public static List<Tile> newTiles(int h, long oldTreeSize, long newTreeSize) {
        if (h <= 0) {
            throw new IllegalArgumentException("NewTiles: invalid height " + h);
        }
        List<Tile> tiles = new ArrayList<>();
        for (int level = 0; shr(newTreeSize, (long) h * level) > 0; level++) {
            long oldN = shr(oldTreeSize, (long) h * level);
            long newN = shr(newTreeSize, (long) h * level);
            for (long n = oldN >> h; n < newN >> h; n++) {
                tiles.add(new Tile(h, level, n, 1 << h));
            }
            long n = newN >> h;
            int maxW = (int) (newN - (n << h));
            int minW = oldN > n << h ? (int) (oldN - (n << h)) : 1;
            for (int w = minW; w <= maxW; w++) {
                tiles.add(new Tile(h, level, n, w));
            }
        }
        return tiles;
    }

    /** The data of tile t: its W hashes, read from r. */
    public static byte[] readTileData(Tile t, HashReader r) throws GoModException {
        long start = t.n() << t.h();
        long[] indexes = new long[t.w()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = Tlog.storedHashIndex(t.h() * t.l(), start + i);
        }
        List<Hash> hashes = HashReader.readChecked(r, indexes);
        byte[] data = new byte[indexes.length * Hash.SIZE];
        for (int i = 0; i < indexes.length; i++) {
            hashes.get(i).copyTo(data, i * Hash.SIZE);
        }
        return data;
    }

    /** Go's x >> s for signed x: shifting by the width or more leaves only the sign. */
    static long shr(long x, long s) {
        return s >= 64 ? (x < 0 ? -1 : 0) : x >> s;
    }
}

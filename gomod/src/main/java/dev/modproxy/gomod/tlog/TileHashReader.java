package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link HashReader} that reads hashes out of tiles and only returns hashes proven to belong
 * to a trusted tree (x/mod's {@code tlog.TileHashReader}).
 *
 * <p>For every request it fetches, in one call, the tiles that hold the tree's root subtrees
 * and the tiles holding the wanted hashes together with their ancestors up to a tile already in
 * the set. It then recomputes the tree hash from the root tiles, which must equal the trusted
 * tree's hash, and checks each further tile, parents before children, against the hash its
 * parent tile holds for it. Only then are the tiles handed to {@link TileReader#saveTiles} and
 * the hashes returned. Any mismatch is "downloaded inconsistent tile".
 */
public final class TileHashReader implements HashReader {

    private final Tree tree;
    private final TileReader reader;

    public TileHashReader(Tree tree, TileReader reader) {
        this.tree = tree;
        this.reader = reader;
    }

    /**
     * Tile t's k'th ancestor among the tiles of a tree of n records (k = 0 gives t at the width
     * the tree has), or null if the tree has no such tile.
     */
    static Tile tileParent(Tile t, int k, long n) {
        int h = t.h();
        int l = t.l() + k;
        long tn = Tiles.shr(t.n(), (long) k * h);
        long w = 1L << h;
        long max = Tiles.shr(n, (long) l * h);
        if ((tn << h) + w >= max) {
            if (tn << h >= max) {
                return null;
            }
            w = max - (tn << h);
        }
        return new Tile(h, l, tn, (int) w);
    }

    @Override
    public List<Hash> readHashes(long[] indexes) throws GoModException {
        int h = reader.height();
        Map<Tile, Integer> tileOrder = new HashMap<>();
        List<Tile> tiles = new ArrayList<>();

        // The tiles needed to recompute the tree hash; if it matches, they are authentic.
        long[] stx = Tlog.toArray(Tlog.subTreeIndex(0, tree.n(), new ArrayList<>()));
        int[] stxTileOrder = new int[stx.length];
        for (int i = 0; i < stx.length; i++) {
            Tile tile = tileParent(Tiles.tileForIndex(h, stx[i]), 0, tree.n());
            Integer j = tileOrder.get(tile);
            if (j == null) {
                j = tiles.size();
                tileOrder.put(tile, j);
                tiles.add(tile);
            }
            stxTileOrder[i] = j;
        }

        // The tiles holding the wanted hashes, each after the ancestors that authenticate it.
        int[] indexTileOrder = new int[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            long x = indexes[i];
            if (x >= Tlog.storedHashIndex(0, tree.n())) {
                throw Proofs.tlogError("indexes not in tree");
            }
            Tile tile = Tiles.tileForIndex(h, x);
            int k = 0;
            while (true) {
                Integer j = tileOrder.get(tileParent(tile, k, tree.n()));
                if (j != null) {
                    if (k == 0) {
                        indexTileOrder[i] = j;
                    }
                    break;
                }
                if (++k > 64) {
                    throw Proofs.tlogError("bad math in tileHashReader: " + tree.n() + " " + x + ": no authenticated ancestor");
                }
            }
            for (k--; k >= 0; k--) {
                Tile p = tileParent(tile, k, tree.n());
                if (!p.isComplete()) {
                    // Only complete tiles have parents, and this one has one.
                    throw Proofs.tlogError("bad math in tileHashReader: " + tree.n() + " " + x + " " + p);
                }
                tileOrder.put(p, tiles.size());
                if (k == 0) {
                    indexTileOrder[i] = tiles.size();
                }
                tiles.add(p);
            }
        }

        List<byte[]> data = reader.readTiles(List.copyOf(tiles));
        if (data.size() != tiles.size()) {
            throw Proofs.tlogError("TileReader returned bad result slice (len=" + data.size() + ", want " + tiles.size() + ")");
        }
        for (int i = 0; i < tiles.size(); i++) {
            Tile tile = tiles.get(i);
            if (data.get(i).length != (long) tile.w() * Hash.SIZE) {
                throw Proofs.tlogError("TileReader returned bad result slice (" + tile.path() + " len="
                        + data.get(i).length + ", want " + tile.w() * Hash.SIZE + ")");
            }
        }

        if (stx.length == 0) {
            return List.of(); // the empty tree: no index is in it, so none was asked for
        }

        // Authenticate the root tiles against the tree hash.
        int last = stx.length - 1;
        Hash th = Tiles.hashFromTile(tiles.get(stxTileOrder[last]), data.get(stxTileOrder[last]), stx[last]);
        for (int i = last - 1; i >= 0; i--) {
            Hash sub = Tiles.hashFromTile(tiles.get(stxTileOrder[i]), data.get(stxTileOrder[i]), stx[i]);
            th = Tlog.nodeHash(sub, th);
        }
        if (!th.equals(tree.hash())) {
            throw Proofs.tlogError("downloaded inconsistent tile");
        }

        // Authenticate the other tiles against their (already authenticated) parents.
        for (int i = stx.length; i < tiles.size(); i++) {
            Tile tile = tiles.get(i);
            Tile p = tileParent(tile, 1, tree.n());
            Integer j = p == null ? null : tileOrder.get(p);
            if (j == null) {
                throw Proofs.tlogError("bad math in tileHashReader " + tree.n() + ": lost parent of " + tile);
            }
            Hash want = Tiles.hashFromTile(p, data.get(j), Tlog.storedHashIndex(p.l() * p.h(), tile.n()));
            byte[] d = data.get(i);
            if (!want.equals(Tiles.tileHash(d, 0, d.length))) {
                throw Proofs.tlogError("downloaded inconsistent tile");
            }
        }

        reader.saveTiles(List.copyOf(tiles), List.copyOf(data));

        List<Hash> hashes = new ArrayList<>(indexes.length);
        for (int i = 0; i < indexes.length; i++) {
            int j = indexTileOrder[i];
            hashes.add(Tiles.hashFromTile(tiles.get(j), data.get(j), indexes[i]));
        }
        return hashes;
    }
}

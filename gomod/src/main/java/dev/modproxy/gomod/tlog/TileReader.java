package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import java.util.List;

/** Reads tiles of a log, from a cache or a tile server (x/mod's {@code tlog.TileReader}). */
public interface TileReader {

    /** The height of the tiles this reader serves. */
    int height();

    /**
     * The data of each tile, in order; each entry must be exactly {@code tile.w() * 32} bytes.
     * Data from a server is suspect until {@link #saveTiles} confirms it, so it should not be
     * cached persistently before then.
     */
    List<byte[]> readTiles(List<Tile> tiles) throws GoModException;

    /** The tiles last read have been authenticated against a trusted tree and may be persisted. */
    void saveTiles(List<Tile> tiles, List<byte[]> data);
}

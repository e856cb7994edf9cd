package dev.modproxy.gomod.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tile paths, TileForIndex and NewTiles against x/mod (tlog/tile-paths.tsv, tile-for-index.tsv, new-tiles.tsv). */
class TileTest {

    static Stream<Arguments> paths() {
        return TestData.rows("tlog/tile-paths.tsv").stream().map(r -> Arguments.of(Cells.goString(r[0]), r[1]));
    }

    static Stream<Arguments> tilesForIndex() {
        return TestData.rows("tlog/tile-for-index.tsv").stream()
                .map(r -> Arguments.of(Integer.parseInt(r[0]), Long.parseLong(r[1]), r[2]));
    }

    static Stream<Arguments> newTiles() {
        return TestData.rows("tlog/new-tiles.tsv").stream()
                .map(r -> Arguments.of(Integer.parseInt(r[0]), Long.parseLong(r[1]), Long.parseLong(r[2]), r[3]));
    }

    /** x/mod TestTilePath plus edge cases, with x/mod's results: parse, and format back. */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("paths")
    void parsesTilePathsAsXMod(String path, String expected) {
        try {
            Tile t = Tile.parse(path);
            assertEquals(expected, t.h() + " " + t.l() + " " + t.n() + " " + t.w());
            assertEquals(path, t.path());
        } catch (GoModException e) {
            assertEquals(expected, e.getMessage());
            assertEquals(GoModException.Kind.INVALID_TLOG, e.kind());
        }
    }

    @ParameterizedTest(name = "TileForIndex({0}, {1}) = {2}")
    @MethodSource("tilesForIndex")
    void tileForIndexMatchesXMod(int h, long index, String path) {
        assertEquals(path, Tiles.tileForIndex(h, index).path());
    }

    @ParameterizedTest(name = "NewTiles({0}, {1}, {2})")
    @MethodSource("newTiles")
    void newTilesMatchXMod(int h, long oldSize, long newSize, String paths) {
        List<String> got = Tiles.newTiles(h, oldSize, newSize).stream().map(Tile::path).toList();
        assertEquals(paths, got.isEmpty() ? "-" : String.join(",", got));
    }

    @Test
    void hashFromTileRejectsTheWrongTile() throws GoModException {
        MemoryLog log = MemoryLog.ofLeaves(20);
        Tile tile = new Tile(2, 0, 1, 4);
        byte[] data = Tiles.readTileData(tile, log);
        assertEquals(log.stored.get(7), Tiles.hashFromTile(tile, data, 7));
        assertEquals("index 0 is in tile/2/0/000.p/1 not tile/2/0/001",
                assertThrows(GoModException.class, () -> Tiles.hashFromTile(tile, data, 0)).getMessage());
        assertEquals("data len 32 too short for tile tile/2/0/001",
                assertThrows(GoModException.class, () -> Tiles.hashFromTile(tile, new byte[32], 7)).getMessage());
        assertEquals("invalid tile tile/2/data/001",
                assertThrows(GoModException.class, () -> Tiles.hashFromTile(new Tile(2, -1, 1, 4), data, 7)).getMessage());
    }

    @Test
    void tilesAreValidatedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new Tile(0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Tile(31, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Tile(2, -2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Tile(2, 0, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Tile(2, 0, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new Tile(2, 0, 0, 0));
    }
}

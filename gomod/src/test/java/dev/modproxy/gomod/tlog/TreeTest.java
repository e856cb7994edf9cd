package dev.modproxy.gomod.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tree note formatting and parsing against x/mod (tlog/tree-notes.tsv). */
class TreeTest {

    static Stream<Arguments> notes() {
        return TestData.rows("tlog/tree-notes.tsv").stream().map(r -> Arguments.of(r[0], r[1]));
    }

    /** x/mod TestFormatTree. */
    @Test
    void formatsAsXMod() {
        Tree tree = new Tree(123456789012L, Tlog.recordHash("hello world".getBytes(StandardCharsets.UTF_8)));
        assertEquals("go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
                new String(tree.format(), StandardCharsets.UTF_8));
    }

    /** x/mod TestParseTree plus edge cases, with x/mod's results. */
    @ParameterizedTest(name = "[{index}] -> {1}")
    @MethodSource("notes")
    void parsesAsXMod(String quoted, String expected) {
        try {
            Tree t = Tree.parse(Cells.goBytes(quoted));
            assertEquals(expected, t.n() + " " + t.hash());
        } catch (GoModException e) {
            assertEquals(expected, e.getMessage());
            assertEquals(GoModException.Kind.INVALID_TLOG, e.kind());
        }
    }
}

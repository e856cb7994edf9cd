package dev.modproxy.gomod.tlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Record formatting and parsing against x/mod (tlog/record-format.tsv, record-parse.tsv). */
class RecordTest {

    static Stream<Arguments> formats() {
        return TestData.rows("tlog/record-format.tsv").stream().map(r -> Arguments.of(Long.parseLong(r[0]), r[1], r[2]));
    }

    static Stream<Arguments> parses() {
        return TestData.rows("tlog/record-parse.tsv").stream()
                .map(r -> Arguments.of(r[0], r.length > 2 ? r[1] + "\t" + r[2] + "\t" + r[3] : r[1]));
    }

    /** x/mod TestFormatRecord plus edge cases, with x/mod's results. */
    @ParameterizedTest(name = "[{index}] {1} -> {2}")
    @MethodSource("formats")
    void formatsAsXMod(long id, String text, String expected) {
        try {
            byte[] msg = Record.format(id, Cells.goBytes(text));
            assertArrayEquals(Cells.goBytes(expected), msg);
            assertArrayEquals(msg, new Record(id, Cells.goString(text)).format());
        } catch (GoModException e) {
            assertEquals(expected, e.getMessage());
            assertEquals(GoModException.Kind.INVALID_TLOG, e.kind());
        }
    }

    /** x/mod TestParseRecord plus edge cases, with x/mod's results. */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("parses")
    void parsesAsXMod(String msg, String expected) {
        try {
            Record.Parsed p = Record.parse(Cells.goBytes(msg));
            String[] want = expected.split("\t");
            assertEquals(Long.parseLong(want[0]), p.record().id());
            assertEquals(Cells.goString(want[1]), p.record().text());
            assertArrayEquals(Cells.goBytes(want[2]), p.rest());
        } catch (GoModException e) {
            assertEquals(expected, e.getMessage());
        }
    }

    @Test
    void recordsAreValidatedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new Record(1, "no newline"));
        assertThrows(IllegalArgumentException.class, () -> new Record(1, "blank\n\nline\n"));
        assertThrows(IllegalArgumentException.class, () -> new Record(1, "lone \ud800 surrogate\n"));
        assertEquals("7\nok\n\n", new String(new Record(7, "ok\n").format(), StandardCharsets.UTF_8));
    }
}

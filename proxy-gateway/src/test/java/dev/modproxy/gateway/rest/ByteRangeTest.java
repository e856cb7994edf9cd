package dev.modproxy.gateway.rest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ByteRangeTest {

    static final Instant MODIFIED = Instant.parse("2024-01-02T03:04:05Z");

    @ParameterizedTest(name = "[{0}] of {1}")
    @CsvFileSource(resources = "/rest/byte-ranges.tsv", delimiter = '\t', commentCharacter = '#',
            ignoreLeadingAndTrailingWhitespace = false, nullValues = {})
    void parses(String header, long size, String expected) {
        assertEquals(expected, describe(ByteRange.of(header == null ? "" : header, null, "\"e\"", MODIFIED, size)));
    }

    @Test
    void ifRangeMustNameThisVersion() {
        String range = "bytes=0-1";
        assertEquals("0-1", describe(ByteRange.of(range, "\"e\"", "\"e\"", MODIFIED, 10)));
        assertEquals("full", describe(ByteRange.of(range, "\"other\"", "\"e\"", MODIFIED, 10)));
        assertEquals("full", describe(ByteRange.of(range, "W/\"e\"", "\"e\"", MODIFIED, 10)));
        assertEquals("0-1", describe(ByteRange.of(range, "Tue, 02 Jan 2024 03:04:05 GMT", "\"e\"", MODIFIED, 10)));
        assertEquals("full", describe(ByteRange.of(range, "Wed, 03 Jan 2024 03:04:05 GMT", "\"e\"", MODIFIED, 10)));
        assertEquals("full", describe(ByteRange.of(null, null, "\"e\"", MODIFIED, 10)));
    }

    static String describe(ByteRange r) {
        if (r instanceof ByteRange.Partial p) {
            return p.first() + "-" + p.last();
        }
        return r instanceof ByteRange.Unsatisfiable ? "416" : "full";
    }
}

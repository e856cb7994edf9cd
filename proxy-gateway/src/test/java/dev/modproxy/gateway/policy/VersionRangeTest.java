package dev.modproxy.gateway.policy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionRangeTest {

    @Test
    void comparisonsAndAlternatives() {
        VersionRange r = VersionRange.parse(">=v1.0.0 <v1.2.3 || v2.0.0");
        assertTrue(r.contains("v1.0.0"));
        assertTrue(r.contains("v1.2.3-rc.1"));
        assertTrue(r.contains("v1.2.2-0.20240102030405-abcdefabcdef"));
        assertFalse(r.contains("v1.2.3"));
        assertTrue(r.contains("v2.0.0"));
        assertFalse(r.contains("v2.0.1"));
        assertFalse(r.contains("not-a-version"));
        assertTrue(VersionRange.parse("<=v0.9.0,>v0.1.0").contains("v0.9.0"));
        assertTrue(VersionRange.parse("").isAll());
        assertTrue(VersionRange.parse("*").contains("v9.9.9"));
    }

    @Test
    void badRanges() {
        for (String bad : new String[] {"1.2.3", "<", "v1 ||", "|| v1.0.0", ">=v1.0.0 <banana", "=>v1.0.0"}) {
            assertThrows(IllegalArgumentException.class, () -> VersionRange.parse(bad), bad);
        }
    }

    @Property(tries = 3000)
    void anyTextParsesOrIsRefused(@ForAll @StringLength(max = 80) String text, @ForAll @StringLength(max = 20) String v) {
        try {
            VersionRange r = VersionRange.parse(text);
            r.contains(v);
            r.contains("v1.0.0");
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}

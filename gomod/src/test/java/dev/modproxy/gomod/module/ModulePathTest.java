package dev.modproxy.gomod.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.GoModException.Kind;
import org.junit.jupiter.api.Test;

/** The value types: validated at construction, escaped forms, equality. */
class ModulePathTest {

    @Test
    void ofChecksThePath() throws GoModException {
        ModulePath p = ModulePath.of("github.com/GoogleCloudPlatform/omega/v2");
        assertEquals("github.com/GoogleCloudPlatform/omega/v2", p.value());
        assertEquals("github.com/!google!cloud!platform/omega/v2", p.escaped());
        assertEquals("github.com/GoogleCloudPlatform/omega", p.prefix());
        assertEquals("/v2", p.pathMajor());
        GoModException e = assertThrows(GoModException.class, () -> ModulePath.of("x.y/z/v1"));
        assertEquals(Kind.INVALID_PATH, e.kind());
        assertEquals("malformed module path \"x.y/z/v1\": invalid version", e.getMessage());
    }

    @Test
    void fromEscapedUndoesEscaped() throws GoModException {
        ModulePath p = ModulePath.fromEscaped("github.com/!azure/azure-sdk-for-go");
        assertEquals(ModulePath.of("github.com/Azure/azure-sdk-for-go"), p);
        assertEquals(p.hashCode(), ModulePath.of("github.com/Azure/azure-sdk-for-go").hashCode());
        GoModException e = assertThrows(GoModException.class, () -> ModulePath.fromEscaped("github.com/Azure/x"));
        assertEquals(Kind.INVALID_PATH, e.kind());
        assertEquals("invalid escaped module path \"github.com/Azure/x\"", e.getMessage());
    }

    @Test
    void moduleVersionChecksThePair() throws GoModException {
        ModuleVersion mv = ModuleVersion.of("gopkg.in/yaml.v2", "v2.1.5");
        assertEquals("gopkg.in/yaml.v2@v2.1.5", mv.toString());
        assertEquals(ModuleVersion.of(ModulePath.of("gopkg.in/yaml.v2"), "v2.1.5"), mv);
        GoModException e = assertThrows(GoModException.class, () -> ModuleVersion.of("gopkg.in/yaml.v2", "v3.0.0"));
        assertEquals(Kind.INVALID_VERSION, e.kind());
        assertEquals("gopkg.in/yaml.v2@v3.0.0: invalid version: should be v2, not v3", e.getMessage());
        e = assertThrows(GoModException.class, () -> ModuleVersion.of("rsc io/quote", "v1.0.0"));
        assertEquals(Kind.INVALID_PATH, e.kind());
    }

    @Test
    void moduleVersionEscapes() throws GoModException {
        ModuleVersion mv = ModuleVersion.fromEscaped("github.com/!sirupsen/logrus", "v1.0.0-!r!c1");
        assertEquals("github.com/Sirupsen/logrus", mv.path().value());
        assertEquals("v1.0.0-RC1", mv.version());
        assertEquals("v1.0.0-!r!c1", mv.escapedVersion());
        assertEquals(true, mv.isCanonical());
        assertEquals(false, ModuleVersion.of("rsc.io/quote", "v1.2").isCanonical());
        assertEquals(true, ModuleVersion.of("rsc.io/quote", "v17.0.0+incompatible").isIncompatible());
        assertNotEquals(ModuleVersion.of("rsc.io/quote", "v1.2"), ModuleVersion.of("rsc.io/quote", "v1.2.0"));
        assertEquals(true, ModuleVersion.ORDER.compare(ModuleVersion.of("rsc.io/quote", "v1.10.0"),
                ModuleVersion.of("rsc.io/quote", "v1.9.0")) > 0);
        assertEquals(true, ModuleVersion.ORDER.compare(ModuleVersion.of("rsc.io/a", "v1.10.0"),
                ModuleVersion.of("rsc.io/b", "v1.9.0")) < 0);
        GoModException e = assertThrows(GoModException.class, () -> ModuleVersion.fromEscaped("rsc.io/quote", "v1.0.0-RC1"));
        assertEquals(Kind.INVALID_VERSION, e.kind());
        assertEquals("invalid escaped version \"v1.0.0-RC1\"", e.getMessage());
        e = assertThrows(GoModException.class, () -> ModuleVersion.fromEscaped("rsc.io/quote", "master"));
        assertEquals("rsc.io/quote@master: invalid version: not a semantic version", e.getMessage());
    }
}

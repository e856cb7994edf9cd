package dev.modproxy.sumdb.service;

import dev.modproxy.gomod.note.NoteKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyGenTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int keygen(String... args) {
        return KeyGen.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aKeyFileTheServiceLoadsAndItsVerifierKeyPrinted() throws Exception {
        Path file = dir.resolve("signer.key");
        assertEquals(0, keygen("sum.corp.example", file.toString()));
        SignerKeys loaded = SignerKeys.fromFile(file, "sum.corp.example");
        assertEquals(loaded.verifierKey(), out.toString(StandardCharsets.UTF_8).strip());
        assertTrue(loaded.verifierKey().startsWith("sum.corp.example+"));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(file));
        NoteKeys.newVerifier(loaded.verifierKey());
    }

    @Test
    void anExistingKeyIsNeverReplaced() throws Exception {
        Path file = dir.resolve("signer.key");
        Files.writeString(file, "the old key\n");
        assertEquals(1, keygen("sum.corp.example", file.toString()));
        assertEquals("the old key\n", Files.readString(file));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("exists"));
    }

    @Test
    void toStandardOutputTheSignerKeyAndTheVerifierKeyApart() throws Exception {
        assertEquals(0, keygen("sum.corp.example", "-"));
        String signer = out.toString(StandardCharsets.UTF_8).strip();
        assertTrue(signer.startsWith("PRIVATE+KEY+sum.corp.example+"), signer);
        assertEquals(SignerKeys.fromSignerKey(signer).verifierKey(), err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void aNameNoClientCouldUseOrNoNameIsRefused() {
        assertEquals(2, keygen("bad+name"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot name"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, keygen());
        assertEquals(2, keygen("--help"));
    }
}

package dev.modproxy.sumdb.service;

import dev.modproxy.gomod.note.NoteKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignerKeysTest {

    @TempDir
    Path dir;

    @Test
    void theVerifierKeyDerivedFromASignerKeyIsTheOneGeneratedWithIt() throws Exception {
        // Many keys, so key data holding '+' and '/' (base64) is among them.
        for (int i = 0; i < 200; i++) {
            NoteKeys.KeyPair pair = NoteKeys.generateKey("sum.example.com");
            assertEquals(pair.verifierKey(), SignerKeys.fromSignerKey(pair.signerKey()).verifierKey());
        }
    }

    @Test
    void aGeneratedKeyIsKeptPrivateAndReused() throws Exception {
        SignerKeys first = SignerKeys.generatedIn(dir, "sum.example.com/db");
        SignerKeys again = SignerKeys.generatedIn(dir, "sum.example.com/db");
        assertEquals(first.verifierKey(), again.verifierKey());
        Path file = dir.resolve("sum.example.com_db.signer-key");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(file));
        assertFalse(first.toString().contains("PRIVATE"), "the signer key is never printed");
    }

    @Test
    void aKeyFileForAnotherNameIsRefused() throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, NoteKeys.generateKey("other.example").signerKey() + "\n");
        assertThrows(IllegalArgumentException.class, () -> SignerKeys.fromFile(file, "sum.example.com"));
    }
}

package dev.modproxy.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceCredentialTest {

    private static final String A = "token-a-0123456789abcdef";
    private static final String B = "token-b-0123456789abcdef";

    @Test
    void theCurrentTokenIsSentAndEveryListedOneAccepted() {
        ServiceCredential c = ServiceCredential.of(List.of(A, B));
        assertEquals(Optional.of("Bearer " + A), c.authorization());
        assertEquals(Optional.empty(), c.refusal("Bearer " + A));
        assertEquals(Optional.empty(), c.refusal("Bearer " + B));
        assertEquals(Optional.empty(), c.refusal("bearer " + B), "the scheme is case-insensitive (RFC 9110)");
        assertEquals(Optional.of("service credential not accepted"), c.refusal("Bearer " + A + "x"));
        assertEquals(Optional.of("service credential not accepted"), c.refusal("Bearer " + A.substring(1)));
        assertTrue(c.refusal(null).orElseThrow().startsWith("service credential required"));
        assertTrue(c.refusal("Basic " + A).orElseThrow().contains("Bearer"));
    }

    @Test
    void noCredentialSendsNothingAndRefusesEverything() {
        ServiceCredential c = ServiceCredential.none();
        assertEquals(Optional.empty(), c.authorization());
        assertTrue(c.refusal("Bearer " + A).orElseThrow().startsWith("internal API closed: no service credential"));
    }

    @Test
    void weakOrMalformedTokensAreConfigurationErrors() {
        assertThrows(IllegalArgumentException.class, () -> ServiceCredential.of(List.of("short")));
        assertThrows(IllegalArgumentException.class, () -> ServiceCredential.of(List.of("has a space in it 0123456789")));
        assertThrows(IllegalArgumentException.class, () -> ServiceCredential.of(List.of(" ")));
    }

    @Test
    void aRotatedFileTakesEffectWithoutARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, A + "\n");
        ServiceCredential c = ServiceCredential.fromFile(file);
        assertEquals(Optional.of("Bearer " + A), c.authorization());
        assertEquals(Optional.empty(), c.refusal("Bearer " + A));
        assertTrue(c.refusal("Bearer " + B).isPresent());

        // Step 1 of a rotation: the new token first, the old one still accepted.
        replace(file, "# rotated\n" + B + "\n\n" + A + "\n");
        assertEquals(Optional.of("Bearer " + B), c.authorization());
        assertEquals(Optional.empty(), c.refusal("Bearer " + A));
        assertEquals(Optional.empty(), c.refusal("Bearer " + B));

        // Step 3: the old one dropped.
        replace(file, B + "\n");
        assertTrue(c.refusal("Bearer " + A).isPresent());
        assertEquals(Optional.empty(), c.refusal("Bearer " + B));
    }

    @Test
    void aBrokenFileClosesTheApiUntilItIsFixed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        ServiceCredential c = ServiceCredential.fromFile(file);
        assertTrue(c.refusal("Bearer " + A).orElseThrow().contains("cannot be read"));
        assertEquals(Optional.empty(), c.authorization());

        replace(file, "tooshort\n");
        assertTrue(c.refusal("Bearer tooshort").orElseThrow().contains("shorter than 16"));

        replace(file, "\n# nothing\n");
        assertTrue(c.refusal("Bearer " + A).orElseThrow().contains("no token in token file"));

        replace(file, A);
        assertEquals(Optional.empty(), c.refusal("Bearer " + A));
    }

    /** Writes the file the way Kubernetes updates a Secret: a new file moved over the old one. */
    private static void replace(Path file, String content) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

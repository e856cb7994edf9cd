package dev.modproxy.gomod.note;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modproxy.gomod.GoModException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Signed notes on random texts: what is signed opens to the same text, and tampering breaks it. */
class NoteProperties {

    private static final NoteKeys.KeyPair KEYS = NoteKeys.generateKey("sum.example.com");

    @Provide
    Arbitrary<String> noteTexts() {
        Arbitrary<String> line = Arbitraries.strings().withCharRange(' ', '\uD7FF').withCharRange('\uE000', '\uFFFF')
                .ofMaxLength(30);
        return line.list().ofMinSize(1).ofMaxSize(5).map(lines -> String.join("\n", lines) + "\n")
                .filter(s -> !s.contains("\n\n"));
    }

    /** A note signed with a key opens with that key to the same text; flipping a text byte breaks it. */
    @Property(tries = 200)
    void signedNotesOpen(@ForAll("noteTexts") String text) throws GoModException {
        Signer signer = NoteKeys.newSigner(KEYS.signerKey());
        Verifiers known = VerifierList.of(NoteKeys.newVerifier(KEYS.verifierKey()));
        byte[] msg = Notes.sign(Note.of(text), signer);
        Note note = Notes.open(msg, known);
        assertEquals(text, note.text());
        assertEquals(List.of(), note.unverifiedSigs());
        assertArrayEquals(msg, Notes.sign(note, signer));

        byte[] tampered = msg.clone();
        tampered[0] = (byte) (tampered[0] == 'a' ? 'b' : 'a');
        assertThrows(GoModException.class, () -> Notes.open(tampered, known));
    }
}

package dev.modproxy.gomod.note;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoBase64;
import dev.modproxy.gomod.text.GoUtf8;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

    /** On what Java's decoder accepts as padded base64, Go's decoder agrees. */
    @Property
    void base64AgreesWithJdkOnCanonicalInput(@ForAll byte[] data) {
        assertArrayEquals(data, GoBase64.decode(Base64.getEncoder().encodeToString(data)));
    }

    /** Base64 without its padding is rejected, as Go's StdEncoding rejects it. */
    @Property
    void base64RequiresPadding(@ForAll byte[] data) {
        String s = Base64.getEncoder().withoutPadding().encodeToString(data);
        if (s.length() % 4 != 0) {
            assertEquals(null, GoBase64.decode(s));
        }
    }

    /** UTF-8 validity agrees with the JDK's strict decoder. */
    @Property
    void utf8ValidityAgreesWithJdk(@ForAll byte[] data) {
        boolean jdk;
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        assertEquals(jdk, GoUtf8.isValid(data));
    }
}

package dev.modproxy.gomod.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Opening and signing notes as x/mod does (note/open.tsv, note/sign.tsv). */
class NotesTest {

    static Stream<Arguments> openCases() {
        return TestData.rows("note/open.tsv").stream().map(r -> Arguments.of(r[0], r[1], r[2], r[3], r[4]));
    }

    static Stream<Arguments> signCases() {
        return TestData.rows("note/sign.tsv").stream().map(r -> Arguments.of(r[0], r[1], r[2], r[3]));
    }

    /** x/mod TestOpen (and ExampleOpen), with the results x/mod's note.Open gives. */
    @ParameterizedTest(name = "[{index}] verifiers {0} -> {4}")
    @MethodSource("openCases")
    void opensAsXMod(String verifiers, String msg, String sigs, String unverified, String error) throws GoModException {
        Verifiers known = verifiers(verifiers);
        Note note;
        try {
            note = Notes.open(Cells.goBytes(msg), known);
            assertEquals("-", error, "opened, but x/mod fails");
        } catch (UnverifiedNoteException e) {
            assertEquals(error, e.getMessage());
            note = e.note();
        } catch (GoModException e) {
            assertEquals(error, e.getMessage());
            assertEquals(GoModException.Kind.INVALID_NOTE, e.kind());
            return;
        }
        assertEquals(signatures(sigs), note.sigs());
        assertEquals(signatures(unverified), note.unverifiedSigs());
        assertEquals("If you think cryptography is the answer to your problem,\n"
                + "then you don't know what your problem is.\n", note.text());
    }

    @Test
    void invalidSignatureAndUnknownKeyErrorsAreTyped() throws GoModException {
        byte[] msg = Cells.goBytes(TestData.rows("note/open.tsv").get(8)[1]);
        InvalidSignatureException e = assertThrows(InvalidSignatureException.class,
                () -> Notes.open(msg, verifiers("peter")));
        assertEquals("PeterNeumann", e.name());
        assertEquals(0xc74f20a3, e.keyHash());
    }

    /** x/mod TestSign and ExampleSign_add_signatures. */
    @ParameterizedTest(name = "[{index}] signers {0} -> {3}")
    @MethodSource("signCases")
    void signsAsXMod(String signers, String existing, String text, String expected) throws GoModException {
        Note note = new Note(Cells.goString(text), signatures(existing), List.of());
        Signer[] list = signers.equals("-") ? new Signer[0] : new Signer[] {signer(signers)};
        if (expected.startsWith("!")) {
            GoModException e = assertThrows(GoModException.class, () -> Notes.sign(note, list));
            assertEquals(expected.substring(1), e.getMessage());
            if (signers.equals("failing")) {
                assertSame(SURPRISE, e);
            }
        } else {
            assertEquals(Cells.goString(expected), new String(Notes.sign(note, list), StandardCharsets.UTF_8));
        }
    }

    /** x/mod TestVerifierList. */
    @Test
    void verifierListLooksUpByNameAndHash() throws GoModException {
        Verifier peter = NoteKeys.newVerifier(NoteKeysTest.key("verifier", "peter"));
        Verifier enoch = NoteKeys.newVerifier(NoteKeysTest.key("verifier", "enoch"));
        VerifierList list = VerifierList.of(peter, enoch, enoch);
        assertSame(peter, list.verifier("PeterNeumann", 0xc74f20a3));
        UnknownVerifierException unknown = assertThrows(UnknownVerifierException.class,
                () -> list.verifier("PeterNeumann", 0xc74f20a4));
        assertEquals("unknown key PeterNeumann+c74f20a4", unknown.getMessage());
        assertEquals("unknown key PeterNeuman+c74f20a3",
                assertThrows(UnknownVerifierException.class, () -> list.verifier("PeterNeuman", 0xc74f20a3)).getMessage());
        assertEquals("ambiguous key EnochRoot+af0cfe78",
                assertThrows(GoModException.class, () -> list.verifier("EnochRoot", 0xaf0cfe78)).getMessage());
    }

    @Test
    void signedNoteOpensAgain() throws GoModException {
        NoteKeys.KeyPair pair = NoteKeys.generateKey("example.com/log");
        byte[] msg = Notes.sign(Note.of("hello\n"), NoteKeys.newSigner(pair.signerKey()));
        Note note = Notes.open(msg, VerifierList.of(NoteKeys.newVerifier(pair.verifierKey())));
        assertEquals("hello\n", note.text());
        assertEquals("example.com/log", note.sigs().get(0).name());
    }

    private static final GoModException SURPRISE = new GoModException(GoModException.Kind.INVALID_NOTE, "surprise!");

    private static Signer signer(String label) throws GoModException {
        if (label.equals("bad-name") || label.equals("failing")) {
            Signer real = NoteKeys.newSigner(NoteKeysTest.key("signer", "peter"));
            boolean badName = label.equals("bad-name");
            return new Signer() {
                @Override
                public String name() {
                    return badName ? "bad name" : real.name();
                }

                @Override
                public int keyHash() {
                    return real.keyHash();
                }

                @Override
                public byte[] sign(byte[] msg) throws GoModException {
                    if (badName) {
                        return real.sign(msg);
                    }
                    throw SURPRISE;
                }
            };
        }
        return NoteKeys.newSigner(NoteKeysTest.key("signer", label));
    }

    /** "peter,enoch" is a VerifierList; "fixed:peter" answers every lookup with that verifier. */
    private static Verifiers verifiers(String spec) throws GoModException {
        if (spec.startsWith("fixed:")) {
            Verifier v = NoteKeys.newVerifier(NoteKeysTest.key("verifier", spec.substring(6)));
            return (name, hash) -> v;
        }
        List<Verifier> list = new ArrayList<>();
        if (!spec.equals("-")) {
            for (String label : spec.split(",")) {
                list.add(NoteKeys.newVerifier(NoteKeysTest.key("verifier", label)));
            }
        }
        return VerifierList.of(list);
    }

    private static List<Signature> signatures(String cell) {
        List<Signature> out = new ArrayList<>();
        if (cell.equals("-")) {
            return out;
        }
        for (String s : cell.split(",")) {
            String[] f = s.split(" ");
            if (f.length != 3) {
                fail("bad signature cell " + s);
            }
            out.add(new Signature(f[0], Integer.parseUnsignedInt(f[1], 16), f[2]));
        }
        return out;
    }
}

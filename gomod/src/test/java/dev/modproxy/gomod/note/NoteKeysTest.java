package dev.modproxy.gomod.note;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.Cells;
import dev.modproxy.gomod.testdata.TestData;
import dev.modproxy.gomod.text.GoBase64;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Verifier and signer keys and server names as x/mod judges them (note/keys.tsv, key-manglings.tsv, names.tsv). */
class NoteKeysTest {

    static Stream<Arguments> keys() {
        return TestData.rows("note/keys.tsv").stream().map(r -> Arguments.of(r[1], Cells.goString(r[2]), r[3]));
    }

    static Stream<Arguments> manglings() {
        return TestData.rows("note/key-manglings.tsv").stream().map(r -> Arguments.of(r[0], Cells.goString(r[1]), r[2]));
    }

    /** The labelled keys of keys.tsv, for other tests. */
    static String key(String kind, String label) {
        return TestData.rows("note/keys.tsv").stream()
                .filter(r -> r[0].equals(label) && r[1].equals(kind))
                .map(r -> Cells.goString(r[2]))
                .findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource({"keys", "manglings"})
    void parsesKeysAsXMod(String kind, String key, String expected) {
        try {
            Object parsed = kind.equals("verifier") ? NoteKeys.newVerifier(key) : NoteKeys.newSigner(key);
            assertEquals("ok", expected, "accepted " + parsed);
        } catch (GoModException e) {
            assertEquals(expected, e.getMessage());
            assertEquals(GoModException.Kind.INVALID_NOTE, e.kind());
        }
    }

    static Stream<Arguments> names() {
        return TestData.rows("note/names.tsv").stream()
                .map(r -> Arguments.of(Cells.goString(r[0]), Cells.goString(r[1]), r[2]));
    }

    /** Server names judged with Go's notion of space (not Java's), keys made from a raw public key. */
    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("names")
    void judgesNamesAsXMod(String name, String vkey, String expected) throws GoModException {
        assertEquals(vkey, NoteKeys.newEd25519VerifierKey(name, Ed25519.publicKeyFromSeed(new byte[32])));
        try {
            assertEquals(name, NoteKeys.newVerifier(vkey).name());
            assertEquals("ok", expected);
        } catch (GoModException e) {
            assertEquals(expected, e.getMessage());
        }
    }

    /** x/mod TestNewVerifier / TestNewSigner: no proper substring of a key is a key. */
    @Test
    void rejectsEverySubstringOfAKey() {
        for (String kind : new String[] {"verifier", "signer"}) {
            String key = key(kind, "peter");
            byte[] b = key.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i <= b.length; i++) {
                for (int j = i + 1; j <= b.length; j++) {
                    if (i == 0 && j == b.length) {
                        continue;
                    }
                    String sub = new String(b, i, j - i, StandardCharsets.UTF_8);
                    assertThrows(GoModException.class,
                            () -> {
                                if (kind.equals("verifier")) {
                                    NoteKeys.newVerifier(sub);
                                } else {
                                    NoteKeys.newSigner(sub);
                                }
                            }, kind + " " + sub);
                }
            }
        }
    }

    @Test
    void generatedKeysWork() throws GoModException {
        NoteKeys.KeyPair pair = NoteKeys.generateKey("EnochRoot");
        assertSignerMatchesVerifier("EnochRoot", NoteKeys.newSigner(pair.signerKey()), NoteKeys.newVerifier(pair.verifierKey()));
    }

    /** ExampleSign_add_signatures: the all-zero seed gives x/mod's EnochRoot keys. */
    @Test
    void generateKeyFromZeroSeedMatchesXMod() {
        SecureRandom zeros = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        };
        NoteKeys.KeyPair pair = NoteKeys.generateKey("EnochRoot", zeros);
        assertEquals(key("signer", "enoch"), pair.signerKey());
        assertEquals(key("verifier", "enoch"), pair.verifierKey());
    }

    /** x/mod TestFromEd25519. */
    @Test
    void verifierKeyFromRawEd25519Key() throws GoModException {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        byte[] pub = Ed25519.publicKeyFromSeed(seed);
        String vkey = NoteKeys.newEd25519VerifierKey("EnochRoot", pub);
        Signer signer = seedSigner("EnochRoot", seed);
        assertSignerMatchesVerifier("EnochRoot", signer, NoteKeys.newVerifier(vkey));

        byte[] shortKey = java.util.Arrays.copyOf(pub, 31);
        GoModException e = assertThrows(GoModException.class, () -> NoteKeys.newEd25519VerifierKey("EnochRoot", shortKey));
        assertEquals("invalid public key size 31, expected 32", e.getMessage());
    }

    @Test
    void rawPublicKeyRoundTripsThroughX509() throws GoModException {
        Verifier v = NoteKeys.newVerifier(key("verifier", "peter"));
        byte[] raw = java.util.Arrays.copyOfRange(GoBase64.decode(key("verifier", "peter").split("\\+")[2]), 1, 33);
        assertEquals(key("verifier", "peter"), NoteKeys.newEd25519VerifierKey(v.name(), raw));
        byte[] seed = java.util.Arrays.copyOfRange(GoBase64.decode(key("signer", "peter").split("\\+", 5)[4]), 1, 33);
        assertArrayEquals(raw, Ed25519.publicKeyFromSeed(seed));
    }

    /** x/mod testSignerAndVerifier. */
    static void assertSignerMatchesVerifier(String name, Signer signer, Verifier verifier) throws GoModException {
        assertEquals(name, signer.name());
        assertEquals(name, verifier.name());
        assertEquals(signer.keyHash(), verifier.keyHash());
        byte[] msg = "hi".getBytes(StandardCharsets.UTF_8);
        byte[] sig = signer.sign(msg);
        assertTrue(verifier.verify(msg, sig), "signature does not verify");
        sig[0]++;
        assertFalse(verifier.verify(msg, sig), "corrupt signature verifies");
        sig[0]--;
        msg[0]++;
        assertFalse(verifier.verify(msg, sig), "corrupt message verifies");
    }

    /** x/mod's test helper newSignerFromEd25519Seed: a signer straight from a seed. */
    private static Signer seedSigner(String name, byte[] seed) {
        byte[] pub = new byte[33];
        pub[0] = 1;
        System.arraycopy(Ed25519.publicKeyFromSeed(seed), 0, pub, 1, 32);
        int hash = NoteKeys.keyHash(name, pub);
        java.security.PrivateKey key = Ed25519.privateKey(seed);
        return new Signer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int keyHash() {
                return hash;
            }

            @Override
            public byte[] sign(byte[] msg) {
                return Ed25519.sign(key, msg);
            }
        };
    }
}

package dev.modproxy.sumdb.service;

import dev.modproxy.gomod.GoModException;
import java.util.Base64;
import dev.modproxy.gomod.note.NoteKeys;
import dev.modproxy.gomod.note.Signer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * The own database's key pair. The signer key ({@code PRIVATE+KEY+<name>+<hash>+<base64>}, the
 * format of x/mod's {@code note.GenerateKey}) is read from a file — a mounted Kubernetes Secret
 * in production — or generated once into the data directory (mode 0600, created atomically so
 * two processes starting together keep the same key). The verifier key is derived from it. The
 * signer key is never logged nor served; {@link #toString()} hides it.
 */
public final class SignerKeys {

    private static final int X509_PREFIX = 12;

    private final String signerKey;
    private final String verifierKey;

    private SignerKeys(String signerKey, String verifierKey) {
        this.signerKey = signerKey;
        this.verifierKey = verifierKey;
    }

    /** Reads the signer key from {@code file}; it must be for {@code name}. */
    public static SignerKeys fromFile(Path file, String name) throws IOException, GoModException {
        String skey = Files.readString(file, StandardCharsets.UTF_8).strip();
        SignerKeys keys = fromSignerKey(skey);
        Signer s = NoteKeys.newSigner(skey);
        if (!s.name().equals(name)) {
            throw new IllegalArgumentException("the signer key in " + file + " is for " + s.name()
                    + ", not for modproxy.sumdb.name=" + name);
        }
        return keys;
    }

    /** The key kept under {@code dir}, generated there first if there is none. */
    public static SignerKeys generatedIn(Path dir, String name) throws IOException, GoModException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name.replace('/', '_') + ".signer-key");
        if (!Files.exists(file)) {
            NoteKeys.KeyPair pair = NoteKeys.generateKey(name);
            Path tmp = Files.createTempFile(dir, ".key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, pair.signerKey() + "\n", StandardCharsets.UTF_8);
            try {
                // A link cannot replace an existing file: the first process to create it wins.
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException lost) {
                // Another process generated it first; use theirs.
            } catch (UnsupportedOperationException | IOException noLinks) {
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return fromFile(file, name);
    }

    static SignerKeys fromSignerKey(String skey) throws GoModException {
        Signer signer = NoteKeys.newSigner(skey); // checks format and hash
        // PRIVATE+KEY+<name>+<hash>+<base64>: the key data follows the fourth '+' (base64 has '+' too).
        int at = -1;
        for (int i = 0; i < 4; i++) {
            at = skey.indexOf('+', at + 1);
        }
        byte[] key = Base64.getDecoder().decode(skey.substring(at + 1));
        byte[] pub = publicKeyFromSeed(Arrays.copyOfRange(key, 1, key.length));
        String vkey = NoteKeys.newEd25519VerifierKey(signer.name(), pub);
        if (NoteKeys.newVerifier(vkey).keyHash() != signer.keyHash()) {
            throw new IllegalStateException("derived verifier key does not match the signer key");
        }
        return new SignerKeys(skey, vkey);
    }

    /** Go's ed25519.NewKeyFromSeed(seed).Public(): the JDK generator draws the seed from its random source. */
    private static byte[] publicKeyFromSeed(byte[] seed) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            byte[] der = g.generateKeyPair().getPublic().getEncoded();
            return Arrays.copyOfRange(der, X509_PREFIX, der.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519", e);
        }
    }

    public String signerKey() {
        return signerKey;
    }

    /** The public key text {@code <name>+<hash>+<base64>}, what GOSUMDB takes. */
    public String verifierKey() {
        return verifierKey;
    }

    @Override
    public String toString() {
        return "SignerKeys[" + verifierKey + "]";
    }
}

package dev.modproxy.gomod.note;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoBase64;
import dev.modproxy.gomod.text.GoText;
import dev.modproxy.gomod.text.GoUtf8;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Encoded server keys, as x/mod's {@code sumdb/note} writes and reads them.
 *
 * <p>A verifier (public) key is {@code <name>+<hash>+<keydata>} and a signer (private) key is
 * {@code PRIVATE+KEY+<name>+<hash>+<keydata>}; the literal prefix keeps a secret key from being
 * mistaken for a public one. The fields are split at the first '+' each, so only the key data
 * may contain '+'.
 * <ul>
 *   <li>name: non-empty, valid UTF-8, no Unicode space (Go's {@code unicode.IsSpace}), no '+';</li>
 *   <li>hash: exactly eight hex digits (either case accepted, lower case written);</li>
 *   <li>keydata: standard padded base64 of one algorithm byte and the key. Algorithm 1 is
 *       Ed25519, the only one; its key is the 32-byte public key, or for a signer key the 32-byte
 *       private seed.</li>
 * </ul>
 * The key hash is the first four bytes, big-endian, of SHA-256(name + "\n" + algorithm byte +
 * public key). A signer key's hash is checked against the public key derived from its seed.
 *
 * <p>Errors use x/mod's words, which are the same for signer keys as for verifier keys:
 * "malformed verifier id" (bad syntax or key length), "invalid verifier hash" (hash does not
 * match), "unknown verifier algorithm".
 */
public final class NoteKeys {

    /** A freshly generated key pair: the secret signer key and the public verifier key. */
    public record KeyPair(String signerKey, String verifierKey) {
    }

    private static final byte ALG_ED25519 = 1;
    private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

    private NoteKeys() {
    }

    /** Generates a new Ed25519 key pair for the named server. */
    public static KeyPair generateKey(String name) {
        return generateKey(name, new SecureRandom());
    }

    /**
     * Generates a key pair whose 32-byte seed is drawn from {@code random}; as in Go, the name is
     * not checked here (a bad name makes the keys unusable, which {@link #newSigner} reports).
     */
    public static KeyPair generateKey(String name, SecureRandom random) {
        byte[] seed = new byte[Ed25519.KEY_SIZE];
        random.nextBytes(seed);
        byte[] pub = withAlg(Ed25519.publicKeyFromSeed(seed));
        int hash = keyHash(name, pub);
        String tail = name + "+" + hex8(hash) + "+";
        return new KeyPair(PRIVATE_PREFIX + tail + GoBase64.encode(withAlg(seed)), tail + GoBase64.encode(pub));
    }

    /** Encodes a verifier key for a raw 32-byte Ed25519 public key. */
    public static String newEd25519VerifierKey(String name, byte[] publicKey) throws GoModException {
        if (publicKey.length != Ed25519.KEY_SIZE) {
            throw new GoModException(GoModException.Kind.INVALID_NOTE,
                    "invalid public key size " + publicKey.length + ", expected " + Ed25519.KEY_SIZE);
        }
        byte[] pub = withAlg(publicKey);
        return name + "+" + hex8(keyHash(name, pub)) + "+" + GoBase64.encode(pub);
    }

    /** Parses an encoded verifier key. */
    public static Verifier newVerifier(String vkey) throws GoModException {
        String[] nameRest = chop(vkey);
        String name = nameRest[0];
        String[] hashKey = chop(nameRest[1]);
        Integer hash = parseHex8(hashKey[0]);
        byte[] key = GoBase64.decode(hashKey[1]);
        if (hash == null || key == null || !isValidName(name) || key.length == 0) {
            throw error("malformed verifier id");
        }
        if (hash != keyHash(name, key)) {
            throw error("invalid verifier hash");
        }
        if (key[0] != ALG_ED25519) {
            throw error("unknown verifier algorithm");
        }
        byte[] raw = Arrays.copyOfRange(key, 1, key.length);
        if (raw.length != Ed25519.KEY_SIZE) {
            throw error("malformed verifier id");
        }
        return new Ed25519Verifier(name, hash, Ed25519.publicKey(raw));
    }

    /** Parses an encoded signer key. */
    public static Signer newSigner(String skey) throws GoModException {
        String[] priv1 = chop(skey);
        String[] priv2 = chop(priv1[1]);
        String[] nameRest = chop(priv2[1]);
        String name = nameRest[0];
        String[] hashKey = chop(nameRest[1]);
        Integer hash = parseHex8(hashKey[0]);
        byte[] key = GoBase64.decode(hashKey[1]);
        if (!priv1[0].equals("PRIVATE") || !priv2[0].equals("KEY")
                || hash == null || key == null || !isValidName(name) || key.length == 0) {
            throw error("malformed verifier id");
        }
        if (key[0] != ALG_ED25519) {
            throw error("unknown verifier algorithm");
        }
        byte[] seed = Arrays.copyOfRange(key, 1, key.length);
        if (seed.length != Ed25519.KEY_SIZE) {
            throw error("malformed verifier id");
        }
        // The hash names the public key, so it can only be checked once that is derived.
        if (hash != keyHash(name, withAlg(Ed25519.publicKeyFromSeed(seed)))) {
            throw error("invalid verifier hash");
        }
        return new Ed25519Signer(name, hash, Ed25519.privateKey(seed));
    }

    /** The key hash: the first four bytes of SHA-256(name + "\n" + key), big-endian. */
    public static int keyHash(String name, byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((name + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] sum = sha.digest(key);
            return (sum[0] & 0xff) << 24 | (sum[1] & 0xff) << 16 | (sum[2] & 0xff) << 8 | (sum[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    /** A server name: non-empty valid UTF-8 without Unicode spaces or '+'. */
    public static boolean isValidName(String name) {
        return !name.isEmpty() && GoUtf8.isValid(name) && name.indexOf('+') < 0
                && name.codePoints().noneMatch(GoText::isSpace);
    }

    static String hex8(int hash) {
        return String.format("%08x", hash);
    }

    /** Splits at the first '+': {before, after}, or {s, ""} without one (Go's chop). */
    private static String[] chop(String s) {
        int i = s.indexOf('+');
        return i < 0 ? new String[] {s, ""} : new String[] {s.substring(0, i), s.substring(i + 1)};
    }

    /** Exactly eight hex digits, as {@code len == 8 && strconv.ParseUint(s, 16, 32)} accepts. */
    private static Integer parseHex8(String s) {
        if (s.length() != 8) {
            return null;
        }
        int v = 0;
        for (int i = 0; i < 8; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0 || s.charAt(i) > 'f') {
                return null;
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static byte[] withAlg(byte[] key) {
        byte[] out = new byte[key.length + 1];
        out[0] = ALG_ED25519;
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }

    private static GoModException error(String message) {
        return new GoModException(GoModException.Kind.INVALID_NOTE, message);
    }

    private record Ed25519Verifier(String name, int keyHash, PublicKey key) implements Verifier {
        @Override
        public boolean verify(byte[] msg, byte[] sig) {
            return Ed25519.verify(key, msg, sig);
        }
    }

    private record Ed25519Signer(String name, int keyHash, PrivateKey key) implements Signer {
        @Override
        public byte[] sign(byte[] msg) {
            return Ed25519.sign(key, msg);
        }

        @Override
        public String toString() {
            return "Ed25519Signer[" + name + "+" + hex8(keyHash) + "]";
        }
    }
}

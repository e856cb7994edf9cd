package dev.modproxy.gomod.note;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Ed25519 (RFC 8032) on the JDK's own provider, speaking Go's raw key forms.
 *
 * <p>Go keeps a public key as its 32-byte encoding and a private key as its 32-byte seed; the
 * JDK wants X.509 SubjectPublicKeyInfo and PKCS#8 PrivateKeyInfo. For Ed25519 (RFC 8410) both
 * DER encodings are a fixed prefix followed by the raw 32 bytes:
 *
 * <pre>
 * public:  30 2a 30 05 06 03 2b 65 70 03 21 00 || key      (SEQUENCE { AlgorithmIdentifier 1.3.101.112, BIT STRING })
 * private: 30 2e 02 01 00 30 05 06 03 2b 65 70 04 22 04 20 || seed   (version 0, alg, OCTET STRING { OCTET STRING })
 * </pre>
 *
 * <p>The JDK has no call that derives the public key from a seed, but its key-pair generator
 * takes the seed as the 32 bytes it draws from its random source; a source that hands out the
 * seed therefore yields the pair Go's {@code ed25519.NewKeyFromSeed} yields.
 */
final class Ed25519 {

    static final int KEY_SIZE = 32;

    private static final byte[] X509_PREFIX = hex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");

    private Ed25519() {
    }

    /** The public key for a seed, as Go's {@code ed25519.NewKeyFromSeed(seed)[32:]}. */
    static byte[] publicKeyFromSeed(byte[] seed) {
        checkSize(seed);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new SeedSource(seed));
            byte[] der = g.generateKeyPair().getPublic().getEncoded();
            return Arrays.copyOfRange(der, X509_PREFIX.length, der.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks Ed25519", e);
        }
    }

    static PrivateKey privateKey(byte[] seed) {
        checkSize(seed);
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks Ed25519", e);
        }
    }

    /** The JDK key for a raw public key, or null if the bytes do not decode as a curve point. */
    static PublicKey publicKey(byte[] key) {
        checkSize(key);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, key)));
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    static byte[] sign(PrivateKey key, byte[] msg) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(msg);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK Ed25519 signing failed", e);
        }
    }

    /** Like Go's {@code ed25519.Verify}: any malformed key or signature is just "false". */
    static boolean verify(PublicKey key, byte[] msg, byte[] sig) {
        if (key == null || sig.length != 64) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(msg);
            return s.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static void checkSize(byte[] key) {
        if (key.length != KEY_SIZE) {
            throw new IllegalArgumentException("Ed25519 key must be 32 bytes, not " + key.length);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** A "random" source that yields the given seed, so the JDK generator derives its key pair. */
    private static final class SeedSource extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        SeedSource(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("Ed25519 generator asked for " + bytes.length + " random bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}

package dev.modproxy.gomod.note;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoBase64;
import dev.modproxy.gomod.text.GoUtf8;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Signs and opens notes in the signed-note encoding of x/mod's {@code sumdb/note}.
 *
 * <p>A signed note is the text, which ends in a newline, then a blank line, then one or more
 * signature lines, each "— " (em dash U+2014, space), the key name, a space, and base64 of the
 * 4-byte big-endian key hash followed by the signature, ending in a newline. The signed message
 * is the text including its final newline but not the blank line. The whole note must be valid
 * UTF-8 with no ASCII control characters other than newline; the signature block starts after
 * the last blank line.
 *
 * <p>Opening checks each signature against the known verifiers: a signature by a known key must
 * verify ({@link InvalidSignatureException} otherwise); one by an unknown key is kept as
 * unverified; any other lookup failure (such as an ambiguous key) is fatal. Repeated signatures
 * by one known key, and repeated identical unverified lines, are dropped. More than 100
 * signature lines make the note malformed, which bounds the work an attacker can cause. A note
 * no known key signed fails with {@link UnverifiedNoteException}.
 *
 * <p>Signing emits the text, the blank line, the note's existing signatures (verified first,
 * then unverified) except those by the new signers' keys, then the new signatures.
 */
public final class Notes {

    static final String MALFORMED = "malformed note";
    private static final int MAX_SIGNATURES = 100;
    private static final byte[] SIG_PREFIX = "— ".getBytes(StandardCharsets.UTF_8);

    private record NameHash(String name, int hash) {
    }

    private Notes() {
    }

    /** Opens {@code msg}, checking its signatures against {@code known}. */
    public static Note open(byte[] msg, Verifiers known) throws GoModException {
        if (known == null) {
            known = VerifierList.of();
        }
        if (!GoUtf8.isCleanText(msg, 0, msg.length)) {
            throw malformed();
        }
        int split = lastBlankLine(msg);
        if (split < 0) {
            throw malformed();
        }
        byte[] text = Arrays.copyOfRange(msg, 0, split + 1);
        int pos = split + 2;
        if (pos == msg.length || msg[msg.length - 1] != '\n') {
            throw malformed();
        }

        List<Signature> sigs = new ArrayList<>();
        List<Signature> unverified = new ArrayList<>();
        Set<NameHash> seen = new HashSet<>();
        Set<String> seenUnverified = new HashSet<>();
        int numSig = 0;
        while (pos < msg.length) {
            int eol = indexOf(msg, (byte) '\n', pos);
            if (!startsWith(msg, pos, SIG_PREFIX)) {
                throw malformed();
            }
            String line = new String(msg, pos + SIG_PREFIX.length, eol - pos - SIG_PREFIX.length, StandardCharsets.UTF_8);
            pos = eol + 1;

            int space = line.indexOf(' ');
            String name = space < 0 ? line : line.substring(0, space);
            String b64 = space < 0 ? "" : line.substring(space + 1);
            byte[] sig = GoBase64.decode(b64);
            if (sig == null || !NoteKeys.isValidName(name) || b64.isEmpty() || sig.length < 5) {
                throw malformed();
            }
            int hash = (sig[0] & 0xff) << 24 | (sig[1] & 0xff) << 16 | (sig[2] & 0xff) << 8 | (sig[3] & 0xff);
            if (++numSig > MAX_SIGNATURES) {
                throw malformed();
            }

            Verifier v;
            try {
                v = known.verifier(name, hash);
            } catch (UnknownVerifierException e) {
                if (seenUnverified.add(line)) {
                    unverified.add(new Signature(name, hash, b64));
                }
                continue;
            }
            if (!v.name().equals(name) || v.keyHash() != hash) {
                throw new GoModException(GoModException.Kind.INVALID_NOTE, "verifier name or hash doesn't match signature");
            }
            if (!seen.add(new NameHash(name, hash))) {
                continue;
            }
            if (!v.verify(text, Arrays.copyOfRange(sig, 4, sig.length))) {
                throw new InvalidSignatureException(name, hash);
            }
            sigs.add(new Signature(name, hash, b64));
        }

        Note note = new Note(new String(text, StandardCharsets.UTF_8), sigs, unverified);
        if (sigs.isEmpty()) {
            throw new UnverifiedNoteException(note);
        }
        return note;
    }

    /** Signs {@code note} with each signer and returns the encoded message. */
    public static byte[] sign(Note note, Signer... signers) throws GoModException {
        if (!note.text().endsWith("\n")) {
            throw malformed();
        }
        byte[] text = note.text().getBytes(StandardCharsets.UTF_8);

        StringBuilder newSigs = new StringBuilder();
        Set<NameHash> replaced = new HashSet<>();
        for (Signer s : signers) {
            String name = s.name();
            int hash = s.keyHash();
            replaced.add(new NameHash(name, hash));
            if (!NoteKeys.isValidName(name)) {
                throw new GoModException(GoModException.Kind.INVALID_NOTE, "invalid signer");
            }
            byte[] sig = s.sign(text);
            byte[] raw = new byte[4 + sig.length];
            raw[0] = (byte) (hash >>> 24);
            raw[1] = (byte) (hash >>> 16);
            raw[2] = (byte) (hash >>> 8);
            raw[3] = (byte) hash;
            System.arraycopy(sig, 0, raw, 4, sig.length);
            newSigs.append("— ").append(name).append(' ').append(GoBase64.encode(raw)).append('\n');
        }

        StringBuilder out = new StringBuilder(note.text()).append('\n');
        for (List<Signature> list : List.of(note.sigs(), note.unverifiedSigs())) {
            for (Signature sig : list) {
                if (!NoteKeys.isValidName(sig.name())) {
                    throw malformed();
                }
                if (replaced.contains(new NameHash(sig.name(), sig.hash()))) {
                    continue;
                }
                byte[] raw = GoBase64.decode(sig.base64());
                if (raw == null || raw.length < 4
                        || ((raw[0] & 0xff) << 24 | (raw[1] & 0xff) << 16 | (raw[2] & 0xff) << 8 | (raw[3] & 0xff)) != sig.hash()) {
                    throw malformed();
                }
                out.append("— ").append(sig.name()).append(' ').append(sig.base64()).append('\n');
            }
        }
        out.append(newSigs);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static GoModException malformed() {
        return new GoModException(GoModException.Kind.INVALID_NOTE, MALFORMED);
    }

    /** Index of the first '\n' of the last "\n\n" in msg, or -1. */
    private static int lastBlankLine(byte[] msg) {
        for (int i = msg.length - 2; i >= 0; i--) {
            if (msg[i] == '\n' && msg[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (b.length - at < prefix.length) {
            return false;
        }
        return Arrays.equals(b, at, at + prefix.length, prefix, 0, prefix.length);
    }
}

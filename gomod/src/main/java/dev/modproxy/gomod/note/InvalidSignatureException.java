package dev.modproxy.gomod.note;

import dev.modproxy.gomod.GoModException;

/** The key was known and its verifier rejected the signature. */
public class InvalidSignatureException extends GoModException {

    private static final long serialVersionUID = 1L;
    private final String name;
    private final int keyHash;

    public InvalidSignatureException(String name, int keyHash) {
        super(Kind.INVALID_NOTE, "invalid signature for key " + name + "+" + NoteKeys.hex8(keyHash));
        this.name = name;
        this.keyHash = keyHash;
    }

    public String name() {
        return name;
    }

    public int keyHash() {
        return keyHash;
    }
}

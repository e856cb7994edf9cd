package dev.modproxy.gomod.note;

import dev.modproxy.gomod.GoModException;

/** The key (name, hash) is not known; {@link Notes#open} files such signatures as unverified. */
public class UnknownVerifierException extends GoModException {

    private static final long serialVersionUID = 1L;
    private final String name;
    private final int keyHash;

    public UnknownVerifierException(String name, int keyHash) {
        super(Kind.INVALID_NOTE, "unknown key " + name + "+" + NoteKeys.hex8(keyHash));
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

package dev.modproxy.gomod.note;

import dev.modproxy.gomod.GoModException;

/**
 * The note parsed but no known key signed it. The parsed note, with all its signatures
 * unverified, travels with the exception so a caller can see who did sign.
 */
public class UnverifiedNoteException extends GoModException {

    private static final long serialVersionUID = 1L;
    private final transient Note note;

    public UnverifiedNoteException(Note note) {
        super(Kind.INVALID_NOTE, "note has no verifiable signatures");
        this.note = note;
    }

    public Note note() {
        return note;
    }
}

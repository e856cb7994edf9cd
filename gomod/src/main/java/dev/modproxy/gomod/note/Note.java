package dev.modproxy.gomod.note;

import java.util.List;
import java.util.Objects;

/**
 * A note: its text (ending in newline when well formed) and the signatures found on it, split
 * into those a known key verified and those from unknown keys. See {@link Notes} for the
 * encoding.
 */
public record Note(String text, List<Signature> sigs, List<Signature> unverifiedSigs) {

    public Note {
        Objects.requireNonNull(text, "text");
        sigs = List.copyOf(sigs);
        unverifiedSigs = List.copyOf(unverifiedSigs);
    }

    /** An unsigned note with the given text. */
    public static Note of(String text) {
        return new Note(text, List.of(), List.of());
    }
}

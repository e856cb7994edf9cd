package dev.modproxy.gomod.note;

import dev.modproxy.gomod.GoModException;

/** Looks up the verifier for a (name, key hash) pair (x/mod's {@code note.Verifiers}). */
public interface Verifiers {

    /**
     * Returns the verifier for the key, or throws {@link UnknownVerifierException} if the pair is
     * not known; {@link Notes#open} treats any other exception as fatal.
     */
    Verifier verifier(String name, int hash) throws GoModException;
}

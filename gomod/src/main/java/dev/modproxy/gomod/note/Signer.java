package dev.modproxy.gomod.note;

import dev.modproxy.gomod.GoModException;

/** Signs messages with one server key (x/mod's {@code note.Signer}). */
public interface Signer {

    /** The server name the key belongs to. */
    String name();

    /** The 32-bit hash of the matching public key (an unsigned value carried in an int). */
    int keyHash();

    /** Returns the signature of {@code msg}; an implementation that can fail reports it here. */
    byte[] sign(byte[] msg) throws GoModException;
}

package dev.modproxy.gomod.note;

/** Verifies signatures made with one server key (x/mod's {@code note.Verifier}). */
public interface Verifier {

    /** The server name the key belongs to. */
    String name();

    /** The 32-bit key hash (an unsigned value carried in an int). */
    int keyHash();

    /** Reports whether {@code sig} is a valid signature of {@code msg}; never throws. */
    boolean verify(byte[] msg, byte[] sig);
}

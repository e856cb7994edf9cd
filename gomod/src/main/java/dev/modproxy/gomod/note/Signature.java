package dev.modproxy.gomod.note;

import java.util.Objects;

/**
 * One signature line of a note: the key's name and hash, and the signature as it was written
 * (base64 of the 4-byte big-endian key hash followed by the raw signature). Not validated here,
 * because it records what a note claims; {@link Notes#sign} re-checks it before re-emitting it.
 */
public record Signature(String name, int hash, String base64) {

    public Signature {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(base64, "base64");
    }
}

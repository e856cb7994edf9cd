package dev.modproxy.gomod.note;

import dev.modproxy.gomod.GoModException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Verifiers} backed by a fixed list. A (name, hash) pair listed more than once is
 * "ambiguous" and refused when asked for, since a list with two different keys claiming one
 * identity has been tampered with.
 */
public final class VerifierList implements Verifiers {

    private record NameHash(String name, int hash) {
    }

    private final Map<NameHash, List<Verifier>> byKey = new HashMap<>();

    private VerifierList(List<Verifier> list) {
        for (Verifier v : list) {
            byKey.computeIfAbsent(new NameHash(v.name(), v.keyHash()), k -> new ArrayList<>()).add(v);
        }
    }

    public static VerifierList of(Verifier... list) {
        return new VerifierList(List.of(list));
    }

    public static VerifierList of(List<? extends Verifier> list) {
        return new VerifierList(List.copyOf(list));
    }

    @Override
    public Verifier verifier(String name, int hash) throws GoModException {
        List<Verifier> found = byKey.get(new NameHash(name, hash));
        if (found == null) {
            throw new UnknownVerifierException(name, hash);
        }
        if (found.size() > 1) {
            throw new GoModException(GoModException.Kind.INVALID_NOTE,
                    "ambiguous key " + name + "+" + NoteKeys.hex8(hash));
        }
        return found.get(0);
    }
}

package dev.modproxy.sumdb.service;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.sumdb.SumdbException;
import dev.modproxy.sumdb.SumdbException.Kind;

import java.util.Base64;

/**
 * The two hashes a checksum database keeps for a module version, and the record text they make.
 *
 * <p>A record is the go.sum lines {@code <module> <version> h1:<zip hash>\n} and
 * {@code <module> <version>/go.mod h1:<go.mod hash>\n}, in that order (what sum.golang.org
 * stores, and what the go command looks for in a lookup answer: the lines starting with
 * {@code "<module> <version> "} or {@code "<module> <version>/go.mod "}). An {@code h1:} hash is
 * "h1:" and the standard padded base64 of 32 bytes (x/mod's dirhash.Hash1).
 *
 * <p>For verification only, the zip hash may be absent (null): the fetcher checks a go.mod it
 * serves alone (module graph loading) before it has the zip. Such a GoSum is never recorded.
 */
public record GoSum(ModuleVersion mv, String zipHash, String modHash) {

    /** Checks and builds; bad input is a {@link Kind#BAD_REQUEST}. */
    public static GoSum of(String module, String version, String zipHash, String modHash) throws SumdbException {
        if (zipHash == null) {
            throw new SumdbException(Kind.BAD_REQUEST, "module, version, zipHash and modHash are required");
        }
        return forVerification(module, version, zipHash, modHash);
    }

    /** Like {@link #of}, but the zip hash may be null: only the go.mod hash is then checked. */
    public static GoSum forVerification(String module, String version, String zipHash, String modHash)
            throws SumdbException {
        if (module == null || version == null || modHash == null) {
            throw new SumdbException(Kind.BAD_REQUEST, "module, version and modHash are required");
        }
        ModuleVersion mv;
        try {
            mv = ModuleVersion.of(module, version);
        } catch (GoModException e) {
            throw new SumdbException(Kind.BAD_REQUEST, e.getMessage());
        }
        if (zipHash != null) {
            checkHash("zipHash", zipHash);
        }
        checkHash("modHash", modHash);
        return new GoSum(mv, zipHash, modHash);
    }

    private static void checkHash(String what, String h) throws SumdbException {
        boolean ok = h.startsWith("h1:") && h.length() == 47;
        if (ok) {
            try {
                ok = Base64.getDecoder().decode(h.substring(3)).length == 32;
            } catch (IllegalArgumentException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new SumdbException(Kind.BAD_REQUEST, what + " is not an h1: hash: " + h);
        }
    }

    public String text() {
        String mv0 = mv.path().value() + " " + mv.version();
        return mv0 + " " + zipHash + "\n" + mv0 + "/go.mod " + modHash + "\n";
    }

    /**
     * The hashes a record's text holds for {@code mv}, as the go command reads them (lines
     * starting with its prefixes; a record without both is unusable and reported so).
     */
    public static GoSum fromRecord(ModuleVersion mv, String text) throws SumdbException {
        String zip = null;
        String mod = null;
        String p = mv.path().value() + " " + mv.version();
        for (String line : text.split("\n")) {
            if (line.startsWith(p + " ")) {
                zip = line.substring(p.length() + 1);
            } else if (line.startsWith(p + "/go.mod ")) {
                mod = line.substring(p.length() + 8);
            }
        }
        if (zip == null || mod == null) {
            throw new SumdbException(Kind.UPSTREAM_FAILED, "checksum database record for " + mv
                    + " lacks its go.sum lines");
        }
        return new GoSum(mv, zip, mod);
    }

    /** The words of a 409: "checksum mismatch" with both sides' hashes. */
    public String mismatchWith(GoSum kept, String keptBy) {
        StringBuilder b = new StringBuilder("checksum mismatch for ").append(mv).append(':');
        if (zipHash != null && kept.zipHash != null && !zipHash.equals(kept.zipHash)) {
            b.append(" zip downloaded: ").append(zipHash).append(", ").append(keptBy).append(": ").append(kept.zipHash).append(';');
        }
        if (!modHash.equals(kept.modHash)) {
            b.append(" go.mod downloaded: ").append(modHash).append(", ").append(keptBy).append(": ").append(kept.modHash).append(';');
        }
        return b.substring(0, b.length() - 1);
    }

    /** Same hashes; a zip hash missing on either side is not compared. */
    public boolean sameHashes(GoSum o) {
        return (zipHash == null || o.zipHash == null || zipHash.equals(o.zipHash)) && modHash.equals(o.modHash);
    }
}

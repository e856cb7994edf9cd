package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.note.InvalidSignatureException;
import dev.modproxy.gomod.note.NoteKeys;
import dev.modproxy.gomod.note.Notes;
import dev.modproxy.gomod.note.UnverifiedNoteException;
import dev.modproxy.gomod.note.Verifier;
import dev.modproxy.gomod.note.VerifierList;
import dev.modproxy.gomod.tlog.Hash;
import dev.modproxy.gomod.tlog.Record;
import dev.modproxy.gomod.tlog.Tile;
import dev.modproxy.gomod.tlog.TileHashReader;
import dev.modproxy.gomod.tlog.TileReader;
import dev.modproxy.gomod.tlog.Tlog;
import dev.modproxy.gomod.tlog.Tree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a checksum-log entry shipped in a bundle proves. The rules:
 * <ul>
 *   <li>The entry is the source database's lookup answer for the version:
 *       {@code <id>\n<record lines>\n\n<signed tree head>}.</li>
 *   <li>Only keys this modproxy trusts by configuration ({@code modproxy.bundle.trusted-keys})
 *       count, never a key the bundle names: anyone can write a manifest. A tree head signed by
 *       none of them is no evidence ({@link #UNTRUSTED}); a bad signature by a trusted key
 *       rejects the bundle.</li>
 *   <li>A signature covers the tree head, not the record, so the record's inclusion in that tree
 *       is proven with the tiles the bundle ships ({@code sumdb/tile/…}, height
 *       {@value #TILE_HEIGHT}), each authenticated against the signed tree hash
 *       ({@link TileHashReader}). No proof, no evidence: the bundle is rejected.</li>
 *   <li>The record's lines must carry the hashes of the files in the bundle.</li>
 * </ul>
 */
final class BundleEvidence {

    /** The tile height modproxy's checksum database serves (the go command's). */
    static final int TILE_HEIGHT = 8;

    static final boolean TRUSTED = true;
    static final boolean UNTRUSTED = false;

    private final VerifierList trusted;

    BundleEvidence(List<String> trustedKeys) {
        List<Verifier> keys = new ArrayList<>();
        for (String k : trustedKeys) {
            try {
                keys.add(NoteKeys.newVerifier(k.strip()));
            } catch (GoModException e) {
                throw new IllegalArgumentException("modproxy.bundle.trusted-keys: bad verifier key " + k + ": " + e.getMessage());
            }
        }
        this.trusted = VerifierList.of(keys);
    }

    /**
     * Checks {@code entry} for {@code mv} ({@code zipHash} null for a go.mod-only version);
     * returns {@link #TRUSTED} when a trusted database signed it and it proves the files'
     * hashes, {@link #UNTRUSTED} when no trusted key signed it. Anything else is a 400.
     */
    boolean check(ModuleVersion mv, byte[] entry, String zipHash, String modHash, Path bundleDir) throws ProxyException {
        try {
            Record.Parsed parsed = Record.parse(entry);
            Tree tree;
            try {
                tree = Tree.parse(Notes.open(parsed.rest(), trusted).text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (UnverifiedNoteException e) {
                return UNTRUSTED;
            } catch (InvalidSignatureException e) {
                throw reject(mv, "its checksum-log entry has a bad signature by trusted database " + e.getMessage());
            }
            String text = parsed.record().text();
            String line = mv.path().value() + " " + mv.version();
            if (!("\n" + text).contains("\n" + line + "/go.mod " + modHash + "\n")
                    || zipHash != null && !("\n" + text).contains("\n" + line + " " + zipHash + "\n")) {
                throw reject(mv, "its checksum-log entry disagrees with its files");
            }
            long id = parsed.record().id();
            if (id < 0 || id >= tree.n()) {
                throw reject(mv, "its checksum-log record " + id + " is outside its tree of size " + tree.n());
            }
            List<Hash> leaf = new TileHashReader(tree, new ShippedTiles(bundleDir))
                    .readHashes(new long[] {Tlog.storedHashIndex(0, id)});
            if (!leaf.get(0).equals(Tlog.recordHash(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
                throw reject(mv, "its checksum-log record " + id + " is not the one in the signed tree");
            }
            return TRUSTED;
        } catch (GoModException e) {
            throw reject(mv, "its checksum-log entry does not verify: " + e.getMessage());
        }
    }

    private static ProxyException reject(ModuleVersion mv, String why) {
        return new ProxyException(Kind.BAD_REQUEST, "bundle rejected: " + mv + ": " + why);
    }

    /** The tiles a bundle carries; nothing is saved (they are only read for one proof). */
    private record ShippedTiles(Path bundleDir) implements TileReader {

        @Override
        public int height() {
            return TILE_HEIGHT;
        }

        @Override
        public List<byte[]> readTiles(List<Tile> tiles) throws GoModException {
            List<byte[]> out = new ArrayList<>();
            for (Tile t : tiles) {
                Path f = bundleDir.resolve("sumdb").resolve(t.path());
                try {
                    out.add(Files.readAllBytes(f));
                } catch (IOException e) {
                    throw new GoModException(GoModException.Kind.INVALID_TLOG, "no inclusion proof: the bundle lacks sumdb/" + t.path());
                }
            }
            return out;
        }

        @Override
        public void saveTiles(List<Tile> tiles, List<byte[]> data) {
        }
    }
}

package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.client.SumdbServiceClient;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.note.NoteKeys;
import dev.modproxy.gomod.note.Notes;
import dev.modproxy.gomod.note.VerifierList;
import dev.modproxy.gomod.tlog.Record;
import dev.modproxy.gomod.tlog.Tile;
import dev.modproxy.gomod.tlog.TileHashReader;
import dev.modproxy.gomod.tlog.TileReader;
import dev.modproxy.gomod.tlog.Tlog;
import dev.modproxy.gomod.tlog.Tree;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.catalog.Catalog;
import dev.modproxy.storage.layout.ModuleLayout;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a bundle for air-gapped transfer: one zip stream, read back by {@link BundleImporter}.
 *
 * <pre>
 *   modproxy-bundle.txt                          "modproxy bundle 1", "created &lt;RFC 3339&gt;", "database &lt;verifier key&gt;"
 *   goproxy/&lt;escaped path&gt;/@v/list               the versions of the module in this bundle
 *   goproxy/&lt;escaped path&gt;/@v/&lt;escaped version&gt;.info|.mod|.zip
 *                                                a GOPROXY tree: unzipped, GOPROXY=file://&lt;dir&gt;/goproxy serves it
 *   go.sum                                       "&lt;path&gt; &lt;version&gt; h1:…" and "…/go.mod h1:…" for every version
 *   sumdb/lookup/&lt;escaped path&gt;@&lt;escaped version&gt;   the source's checksum-log entry: record id, lines,
 *                                                signed tree head (when its log has the version)
 *   sumdb/tile/8/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]                  the tiles of the source's log that prove each entry's
 *                                                record is in its signed tree (what {@link BundleEvidence} checks)
 * </pre>
 * Whole versions carry all three files; versions stored as a go.mod only (the graph of a build)
 * carry their {@code .mod}, and their go.sum line is the {@code /go.mod} one alone. Quarantined
 * versions are never exported. Blobs are streamed from storage one at a time.
 */
@ApplicationScoped
public class BundleExporter {

    private static final Logger LOG = Logger.getLogger(BundleExporter.class);

    private final BlobStore store;
    private final Catalog catalog;
    private final SumdbServiceClient sumdb;
    private final QuarantineService quarantine;
    private final Path tmp;

    public BundleExporter(BlobStore store, SumdbServiceClient sumdb, QuarantineService quarantine,
                          dev.modproxy.gateway.config.GatewayConfig config) {
        this.store = store;
        this.catalog = new Catalog(store);
        this.sumdb = sumdb;
        this.quarantine = quarantine;
        this.tmp = config.dataDir().resolve("tmp").toAbsolutePath();
    }

    /** One version in a bundle; {@code whole} false when only its go.mod is stored. */
    record Item(ModuleVersion mv, boolean whole) {
    }

    /**
     * What {@code modules} (comma-separated {@code path} or {@code path@version}) or {@code since}
     * selects, checked before the response starts so a bad request is still a 400.
     */
    public List<Item> select(String modules, String since) throws ProxyException {
        if ((modules == null || modules.isBlank()) == (since == null || since.isBlank())) {
            throw new ProxyException(Kind.BAD_REQUEST, "give exactly one of modules=<path>[@<version>],… or since=<RFC 3339 time>");
        }
        Set<Item> out = new LinkedHashSet<>();
        try {
            if (since != null && !since.isBlank()) {
                Instant from;
                try {
                    from = java.time.OffsetDateTime.parse(since).toInstant();
                } catch (RuntimeException e) {
                    throw new ProxyException(Kind.BAD_REQUEST, "since: not an RFC 3339 time");
                }
                for (Catalog.Entry e : catalog.index(from, Integer.MAX_VALUE)) {
                    out.add(new Item(ModuleVersion.of(e.path(), e.version()), true));
                }
            } else {
                for (String spec : modules.split(",")) {
                    spec = spec.strip();
                    if (spec.isEmpty()) {
                        continue;
                    }
                    int at = spec.lastIndexOf('@');
                    if (at > 0) {
                        ModuleVersion mv = ModuleVersion.of(spec.substring(0, at), spec.substring(at + 1));
                        if (store.stat(ModuleLayout.artifact(mv, Type.INFO)).isPresent()) {
                            out.add(new Item(mv, true));
                        } else if (store.stat(ModuleLayout.artifact(mv, Type.MOD)).isPresent()) {
                            out.add(new Item(mv, false));
                        } else {
                            throw new ProxyException(Kind.NOT_FOUND, spec + " is not stored");
                        }
                    } else {
                        ModulePath path = ModulePath.of(spec);
                        int before = out.size();
                        Set<ModuleVersion> whole = new java.util.HashSet<>(catalog.stored(path));
                        for (BlobKey k : store.list(ModuleLayout.versionsPrefix(path))) {
                            String v = k.value().substring(ModuleLayout.versionsPrefix(path).length());
                            if (!v.endsWith(".mod")) {
                                continue;
                            }
                            ModuleVersion mv = ModuleVersion.fromEscaped(path.escaped(), v.substring(0, v.length() - 4));
                            out.add(new Item(mv, whole.contains(mv)));
                        }
                        if (out.size() == before) {
                            throw new ProxyException(Kind.NOT_FOUND, "module " + spec + " has no stored versions");
                        }
                    }
                }
            }
        } catch (GoModException e) {
            throw new ProxyException(Kind.BAD_REQUEST, e.getMessage());
        } catch (StorageException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
        }
        out.removeIf(i -> quarantine.find(i.mv()).isPresent());
        return new ArrayList<>(out);
    }

    public void write(List<Item> items, OutputStream target) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(target);
        zip.setLevel(Deflater.BEST_SPEED);
        String key;
        try {
            key = sumdb.verifierKey();
        } catch (ProxyException e) {
            key = "";
        }
        entry(zip, "modproxy-bundle.txt", ("modproxy bundle 1\ncreated " + Instant.now() + "\ndatabase " + key + "\n")
                .getBytes(StandardCharsets.UTF_8));
        StringBuilder goSum = new StringBuilder();
        Map<ModulePath, List<String>> lists = new TreeMap<>();
        Map<String, byte[]> tiles = new TreeMap<>();
        for (Item item : items) {
            ModuleVersion mv = item.mv();
            String dir = "goproxy/" + mv.path().escaped() + "/@v/" + mv.escapedVersion();
            byte[] mod = read(ModuleLayout.artifact(mv, Type.MOD));
            entry(zip, dir + ".mod", mod);
            String modHash;
            try {
                modHash = DirHash.hashGoMod(mod);
            } catch (GoModException e) {
                throw new IOException(mv + ": " + e.getMessage(), e);
            }
            if (item.whole()) {
                entry(zip, dir + ".info", read(ModuleLayout.artifact(mv, Type.INFO)));
                String zipHash = copyZip(zip, dir + ".zip", mv);
                goSum.append(mv.path().value()).append(' ').append(mv.version()).append(' ').append(zipHash).append('\n');
                lists.computeIfAbsent(mv.path(), p -> new ArrayList<>()).add(mv.version());
                try {
                    Optional<SumdbServiceClient.LogRecord> r = sumdb.lookup(mv);
                    if (r.isPresent()) {
                        byte[] raw = r.get().raw().getBytes(StandardCharsets.UTF_8);
                        proofTiles(raw, key, tiles);
                        entry(zip, "sumdb/lookup/" + mv.path().escaped() + "@" + mv.escapedVersion(), raw);
                    }
                } catch (ProxyException | GoModException e) {
                    LOG.warnf("bundle: no checksum-log entry for %s: %s", mv, e.getMessage());
                }
            }
            goSum.append(mv.path().value()).append(' ').append(mv.version()).append("/go.mod ").append(modHash).append('\n');
        }
        for (var e : lists.entrySet()) {
            entry(zip, "goproxy/" + e.getKey().escaped() + "/@v/list",
                    String.join("", e.getValue().stream().map(v -> v + "\n").toList()).getBytes(StandardCharsets.UTF_8));
        }
        for (var t : tiles.entrySet()) {
            entry(zip, "sumdb/" + t.getKey(), t.getValue());
        }
        entry(zip, "go.sum", goSum.toString().getBytes(StandardCharsets.UTF_8));
        zip.finish();
        zip.flush();
    }

    /**
     * Adds to {@code tiles} the tiles of the own log that prove the entry's record is in the tree
     * its note signs: the ones the importer's {@link dev.modproxy.gomod.tlog.TileHashReader}
     * will ask for, read here through the same reader (so they are checked on the way out too).
     */
    private void proofTiles(byte[] entry, String key, Map<String, byte[]> tiles) throws GoModException, ProxyException {
        Record.Parsed parsed = Record.parse(entry);
        Tree tree = Tree.parse(Notes.open(parsed.rest(), VerifierList.of(NoteKeys.newVerifier(key)))
                .text().getBytes(StandardCharsets.UTF_8));
        ProxyException[] failed = new ProxyException[1];
        TileReader fromService = new TileReader() {
            @Override
            public int height() {
                return BundleEvidence.TILE_HEIGHT;
            }

            @Override
            public List<byte[]> readTiles(List<Tile> wanted) throws GoModException {
                List<byte[]> out = new ArrayList<>();
                for (Tile t : wanted) {
                    try {
                        out.add(sumdb.tile(t.path()));
                    } catch (ProxyException e) {
                        failed[0] = e;
                        throw new GoModException(GoModException.Kind.INVALID_TLOG, e.getMessage());
                    }
                }
                return out;
            }

            @Override
            public void saveTiles(List<Tile> read, List<byte[]> data) {
                for (int i = 0; i < read.size(); i++) {
                    tiles.put(read.get(i).path(), data.get(i));
                }
            }
        };
        new TileHashReader(tree, fromService).readHashes(new long[] {Tlog.storedHashIndex(0, parsed.record().id())});
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    /** Streams the zip into the bundle through a temporary file, which the h1: hash needs. */
    private String copyZip(ZipOutputStream zip, String name, ModuleVersion mv) throws IOException {
        Files.createDirectories(tmp);
        Path file = Files.createTempFile(tmp, "export-", ".zip");
        try {
            try (Blob b = store.get(ModuleLayout.artifact(mv, Type.ZIP)).orElseThrow(() ->
                    new IOException(mv + ": zip disappeared from storage")); InputStream in = b.stream()) {
                Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            zip.putNextEntry(new ZipEntry(name));
            Files.copy(file, zip);
            zip.closeEntry();
            return DirHash.hashZip(file);
        } catch (GoModException e) {
            throw new IOException(mv + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private byte[] read(BlobKey key) throws IOException {
        try (Blob b = store.get(key).orElseThrow(() -> new IOException(key + " disappeared from storage"))) {
            return b.stream().readAllBytes();
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}

package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.client.SumdbServiceClient;
import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gateway.config.OpsConfig;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.modfile.GoMod;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.gomod.zip.ModuleZip;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.catalog.Catalog;
import dev.modproxy.storage.layout.ModuleLayout;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a bundle ({@link BundleExporter}'s format) into this modproxy, trusting nothing in it.
 *
 * <p>Order, all-or-nothing up to step 4: (1) the upload is unpacked into a private temporary
 * directory; only the names of the format are accepted (anything else — another path, "..",
 * an unknown file — rejects the bundle), at most {@code modproxy.bundle.max-bytes} in all (the
 * upload itself has that bound too: {@link BundleBodyLimit}). (2) Every version is checked: its
 * go.mod hash and, for whole versions, its zip hash are computed and must equal the bundle's
 * go.sum lines; the zip must pass the module zip rules, the go.mod must name the module, the
 * {@code .info} must name the version. (3) Every version, whole or go.mod alone, is verified by
 * sumdb-service against this side's upstream checksum database, as a fetched one is (skipped when
 * that is off or the module is {@code nosumdb} here). A checksum-log entry shipped with a version
 * counts only when a database in {@code modproxy.bundle.trusted-keys} signed it
 * ({@link BundleEvidence}: signature, inclusion proof, hashes); a {@code nosumdb} module is
 * imported only with such an entry, since nothing else here can vouch for it. (4) A file that is
 * already stored must be byte for byte the bundle's. Any failure so far rejects the bundle with
 * a 400 that names the first problem and stores nothing. (5) Each whole version is recorded in
 * this side's own checksum log, then stored like a fetch ({@code .mod}, {@code .zip},
 * {@code .info} last, immutable) and entered in the catalog with origin {@code bundle <id>}.
 * A go.mod-only version is stored as its {@code .mod} and not recorded: a log record holds
 * both hashes, once and for ever, so it is recorded when the fetcher completes the version
 * (which re-verifies that stored {@code .mod}). Versions already stored are left as they are
 * (the log's record step refuses different hashes for them).
 */
@ApplicationScoped
public class BundleImporter {

    private static final Pattern NAME = Pattern.compile(
            "modproxy-bundle\\.txt|go\\.sum|sumdb/lookup/[A-Za-z0-9._~!+@/-]+|sumdb/tile/8/(data|[0-9]+)/[x0-9/]+(\\.p/[0-9]+)?|goproxy/([a-z0-9._~!+/-]+)/@v/(list|[A-Za-z0-9._~!+-]+\\.(info|mod|zip))");

    private final BlobStore store;
    private final Catalog catalog;
    private final SumdbServiceClient sumdb;
    private final Path tmp;
    private final long maxBytes;
    private final BundleEvidence evidence;

    public BundleImporter(BlobStore store, SumdbServiceClient sumdb, GatewayConfig gateway, OpsConfig ops) {
        this.store = store;
        this.catalog = new Catalog(store);
        this.sumdb = sumdb;
        this.tmp = gateway.dataDir().resolve("tmp").toAbsolutePath();
        this.maxBytes = ops.bundle().maxBytes();
        this.evidence = new BundleEvidence(ops.bundle().trustedKeys().orElse(List.of()));
    }

    /** A checked version: {@code zipHash} null for a go.mod alone, {@code logEntry} null when none was shipped. */
    private record Version(ModuleVersion mv, Path dir, boolean whole, String zipHash, String modHash, Path logEntry) {
    }

    public Map<String, Object> importBundle(InputStream body) throws ProxyException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path dir;
        try {
            Files.createDirectories(tmp);
            dir = Files.createTempDirectory(tmp, "bundle-");
        } catch (IOException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "no room to unpack the bundle: " + e.getMessage());
        }
        try {
            unpack(body, dir);
            Map<String, String> sums = goSum(dir);
            List<Version> versions = check(dir, sums);
            if (versions.isEmpty()) {
                throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: it holds no module versions");
            }
            for (Version v : versions) {
                verify(v, dir);
            }
            for (Version v : versions) {
                sameAsStored(v);
            }
            int stored = 0;
            int present = 0;
            List<String> names = new ArrayList<>();
            for (Version v : versions) {
                if (store(v, id)) {
                    stored++;
                } else {
                    present++;
                }
                names.add(v.mv() + (v.whole() ? "" : " (go.mod)"));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("bundle", id);
            out.put("versions", versions.size());
            out.put("stored", stored);
            out.put("alreadyPresent", present);
            out.put("imported", names);
            return out;
        } finally {
            deleteTree(dir);
        }
    }

    private void unpack(InputStream body, Path dir) throws ProxyException {
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(body)) {
            ZipEntry e;
            boolean any = false;
            while ((e = zip.getNextEntry()) != null) {
                any = true;
                String name = e.getName();
                if (e.isDirectory()) {
                    continue;
                }
                if (!NAME.matcher(name).matches() || name.contains("..") || name.contains("//")) {
                    throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: unexpected entry \""
                            + ProxyException.oneLine(name) + "\"");
                }
                Path target = dir.resolve(name).normalize();
                if (!target.startsWith(dir)) {
                    throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: entry outside the bundle: " + name);
                }
                Files.createDirectories(target.getParent());
                byte[] buf = new byte[65536];
                try (var out = Files.newOutputStream(target)) {
                    int n;
                    while ((n = zip.read(buf)) > 0) {
                        total += n;
                        if (total > maxBytes) {
                            throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: larger than "
                                    + maxBytes + " bytes (modproxy.bundle.max-bytes)");
                        }
                        out.write(buf, 0, n);
                    }
                }
            }
            if (!any) {
                throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: not a modproxy bundle (a zip stream)");
            }
        } catch (IOException e) {
            throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: unreadable: " + e.getMessage());
        }
        if (!Files.exists(dir.resolve("modproxy-bundle.txt"))) {
            throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: no modproxy-bundle.txt (not a modproxy bundle)");
        }
    }

    private static Map<String, String> goSum(Path dir) throws ProxyException {
        Map<String, String> sums = new HashMap<>();
        Path f = dir.resolve("go.sum");
        if (!Files.exists(f)) {
            throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: no go.sum");
        }
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String[] p = line.strip().split(" ");
                if (p.length == 3) {
                    String prev = sums.put(p[0] + " " + p[1], p[2]);
                    if (prev != null && !prev.equals(p[2])) {
                        throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: go.sum has two hashes for " + p[0] + " " + p[1]);
                    }
                } else if (!line.isBlank()) {
                    throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: bad go.sum line: " + line);
                }
            }
        } catch (IOException e) {
            throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: go.sum: " + e.getMessage());
        }
        return sums;
    }

    private List<Version> check(Path dir, Map<String, String> sums) throws ProxyException {
        Path root = dir.resolve("goproxy");
        List<Version> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        TreeMap<String, Path> mods = new TreeMap<>();
        try (var walk = Files.walk(root)) {
            walk.filter(p -> p.getFileName().toString().endsWith(".mod") && p.getParent().getFileName().toString().equals("@v"))
                    .forEach(p -> mods.put(root.relativize(p).toString(), p));
        } catch (IOException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "cannot read the unpacked bundle: " + e.getMessage());
        }
        for (var e : mods.entrySet()) {
            String rel = e.getKey().replace('\\', '/');
            int at = rel.lastIndexOf("/@v/");
            ModuleVersion mv;
            try {
                mv = ModuleVersion.fromEscaped(rel.substring(0, at), rel.substring(at + 4, rel.length() - 4));
            } catch (GoModException ex) {
                throw new ProxyException(Kind.BAD_REQUEST, "bundle rejected: " + rel + ": " + ex.getMessage());
            }
            out.add(checkOne(mv, e.getValue(), sums, dir));
        }
        return out;
    }

    private Version checkOne(ModuleVersion mv, Path modFile, Map<String, String> sums, Path dir) throws ProxyException {
        String base = modFile.getFileName().toString();
        base = base.substring(0, base.length() - 4);
        Path zip = modFile.resolveSibling(base + ".zip");
        Path info = modFile.resolveSibling(base + ".info");
        try {
            byte[] mod = Files.readAllBytes(modFile);
            String modHash = DirHash.hashGoMod(mod);
            expect(mv, sums.get(mv.path().value() + " " + mv.version() + "/go.mod"), modHash, "go.mod");
            String declared = GoMod.modulePath(mod);
            if (!declared.isEmpty() && !declared.equals(mv.path().value())) {
                throw reject(mv, "go.mod says module " + declared);
            }
            Path lookup = dir.resolve("sumdb/lookup/" + mv.path().escaped() + "@" + mv.escapedVersion());
            Path entry = Files.exists(lookup) ? lookup : null;
            if (!Files.exists(zip)) {
                return new Version(mv, modFile.getParent(), false, null, modHash, entry);
            }
            if (!Files.exists(info)) {
                throw reject(mv, "zip without .info");
            }
            String zipHash = DirHash.hashZip(zip);
            expect(mv, sums.get(mv.path().value() + " " + mv.version()), zipHash, "zip");
            ModuleZip.checkZip(mv, zip).throwIfInvalid();
            Matcher m = Pattern.compile("\"Version\"\\s*:\\s*\"([^\"]*)\"")
                    .matcher(Files.readString(info, StandardCharsets.UTF_8));
            if (!m.find() || !m.group(1).equals(mv.version())) {
                throw reject(mv, ".info does not name version " + mv.version());
            }
            return new Version(mv, modFile.getParent(), true, zipHash, modHash, entry);
        } catch (GoModException e) {
            throw reject(mv, e.getMessage());
        } catch (IOException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "cannot read the unpacked bundle: " + e.getMessage());
        }
    }

    /**
     * Step 3: the upstream checksum database (through sumdb-service, as the fetcher's
     * ChecksumGate does), and a shipped log entry judged under the trusted keys only.
     */
    private void verify(Version v, Path dir) throws ProxyException {
        SumdbServiceClient.Verification upstream = sumdb.verify(v.mv(), v.zipHash(), v.modHash());
        boolean trusted;
        try {
            trusted = v.logEntry() != null
                    && evidence.check(v.mv(), Files.readAllBytes(v.logEntry()), v.zipHash(), v.modHash(), dir);
        } catch (IOException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "cannot read the unpacked bundle: " + e.getMessage());
        }
        if (upstream.nosumdb() && !trusted) {
            throw reject(v.mv(), "matches modproxy.nosumdb here, so it needs a checksum-log entry signed by a database in "
                    + "modproxy.bundle.trusted-keys; the bundle has " + (v.logEntry() == null ? "none" : "one signed by no trusted key"));
        }
    }

    /** Step 4: a file already stored (a lone .mod, a half-stored version) must be the bundle's. */
    private void sameAsStored(Version v) throws ProxyException {
        String base = v.mv().escapedVersion();
        try {
            if (store.stat(ModuleLayout.artifact(v.mv(), Type.INFO)).isPresent()) {
                return; // complete: the own log's record step judges it (step 5)
            }
            sameAsStored(v.mv(), Type.MOD, v.dir().resolve(base + ".mod"));
            if (v.whole()) {
                sameAsStored(v.mv(), Type.ZIP, v.dir().resolve(base + ".zip"));
            }
        } catch (StorageException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "cannot compare with storage: " + e.getMessage());
        }
    }

    private void sameAsStored(ModuleVersion mv, Type type, Path file) throws IOException, ProxyException {
        var stored = store.get(ModuleLayout.artifact(mv, type));
        if (stored.isEmpty()) {
            return;
        }
        try (var blob = stored.get(); InputStream a = blob.stream(); InputStream b = Files.newInputStream(file)) {
            if (!sameBytes(a, b)) {
                throw reject(mv, "its ." + type.name().toLowerCase(java.util.Locale.ROOT)
                        + " differs from the one stored here (stored files never change)");
            }
        }
    }

    private static boolean sameBytes(InputStream a, InputStream b) throws IOException {
        byte[] x = new byte[65536];
        byte[] y = new byte[65536];
        while (true) {
            int n = a.readNBytes(x, 0, x.length);
            int m = b.readNBytes(y, 0, y.length);
            if (n != m || !java.util.Arrays.equals(x, 0, n, y, 0, m)) {
                return false;
            }
            if (n < x.length) {
                return true;
            }
        }
    }

    private static void expect(ModuleVersion mv, String listed, String computed, String what) throws ProxyException {
        if (listed == null) {
            throw reject(mv, "no go.sum line for its " + what);
        }
        if (!listed.equals(computed)) {
            throw reject(mv, "checksum mismatch for its " + what + ": go.sum " + listed + ", files " + computed);
        }
    }

    private static ProxyException reject(ModuleVersion mv, String why) {
        return new ProxyException(Kind.BAD_REQUEST, "bundle rejected: " + mv + ": " + why);
    }

    /** @return true if this call stored the version, false if it was there before */
    private boolean store(Version v, String id) throws ProxyException {
        ModuleVersion mv = v.mv();
        String base = mv.escapedVersion();
        try {
            if (!v.whole()) {
                return put(mv, Type.MOD, v.dir().resolve(base + ".mod"));
            }
            if (store.stat(ModuleLayout.artifact(mv, Type.INFO)).isPresent()) {
                sumdb.record(mv, v.zipHash(), v.modHash()); // refuses if this side knows other hashes
                return false;
            }
            sumdb.record(mv, v.zipHash(), v.modHash());
            put(mv, Type.MOD, v.dir().resolve(base + ".mod"));
            put(mv, Type.ZIP, v.dir().resolve(base + ".zip"));
            put(mv, Type.INFO, v.dir().resolve(base + ".info"));
            catalog.record(mv, "bundle " + id, v.zipHash(), v.modHash());
            return true;
        } catch (StorageException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "cannot read the unpacked bundle: " + e.getMessage());
        }
    }

    /**
     * Stores {@code file} unless that blob exists; then it must hold the same bytes (step 4
     * checked before anything was stored; this catches a writer in between). Returns whether
     * this call stored it.
     */
    private boolean put(ModuleVersion mv, Type type, Path file) throws IOException, ProxyException {
        boolean stored;
        try (InputStream in = Files.newInputStream(file)) {
            stored = store.put(ModuleLayout.artifact(mv, type), in, Files.size(file), WriteMode.IMMUTABLE);
        }
        if (!stored) {
            sameAsStored(mv, type, file);
        }
        return stored;
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}

package dev.modproxy.gateway.doctor;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.zip.ModuleFile;
import dev.modproxy.gomod.zip.ModuleZip;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The canary module the doctor downloads with the user's own go environment, to prove which
 * way go's requests really take. The gateway serves it itself, built in memory; nothing is
 * stored or fetched.
 *
 * <p>Rules:
 * <ul>
 *   <li>Its path is {@value #PATH}: a valid module path (a dot in the first element) under
 *       {@code .invalid}, a top-level domain that never resolves (RFC 2606). So it cannot be
 *       anyone's real module, and a go that bypasses the proxy (GOPRIVATE, GONOPROXY,
 *       {@code direct} first) fails on it instead of fetching something else.</li>
 *   <li>Its versions are a fixed set of {@value #SLOTS} slots, {@code v0.0.0-canary.<n>} (valid
 *       semver pre-releases, canonical, not pseudo-versions), with fixed content and a fixed
 *       time: the same bytes and hashes on every replica and after every restart.</li>
 *   <li>Each slot is recorded once in modproxy's own checksum database, so go's GOSUMDB check
 *       passes like for any module. A version per doctor run would append a permanent record
 *       to the transparency log for every run of every CI job, forever, at the command of
 *       anonymous callers; {@value #SLOTS} records are a bounded cost.</li>
 *   <li>Which run a request belongs to is therefore not in the version but in a ticket
 *       ({@link CanaryTickets}): an unguessable nonce holding one slot for a few minutes.</li>
 * </ul>
 */
public final class Canary {

    public static final String PATH = "modproxy.invalid/canary";
    public static final int SLOTS = 16;
    private static final String TIME = "2024-01-01T00:00:00Z";

    /** One slot's files and the hashes go.sum records for them. */
    public record Files(ModuleVersion mv, byte[] info, byte[] mod, byte[] zip, String zipHash, String modHash) {
    }

    private final List<Files> slots;

    public Canary() {
        List<Files> s = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            s.add(build(version(i)));
        }
        this.slots = List.copyOf(s);
    }

    public static String version(int slot) {
        return "v0.0.0-canary." + slot;
    }

    /** The slot {@code version} names, or -1 when it is not a canary version. */
    public static int slot(String version) {
        String prefix = "v0.0.0-canary.";
        if (version == null || !version.startsWith(prefix)) {
            return -1;
        }
        String n = version.substring(prefix.length());
        if (n.isEmpty() || n.length() > 2 || !n.chars().allMatch(Character::isDigit) || n.length() > 1 && n.charAt(0) == '0') {
            return -1;
        }
        int i = Integer.parseInt(n);
        return i < SLOTS ? i : -1;
    }

    public Files files(int slot) {
        return slots.get(slot);
    }

    /** {@code @v/list}: every slot, one a line. */
    public byte[] list() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < SLOTS; i++) {
            b.append(version(i)).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Files build(String version) {
        try {
            ModuleVersion mv = ModuleVersion.of(PATH, version);
            byte[] mod = ("module " + PATH + "\n\ngo 1.13\n").getBytes(StandardCharsets.UTF_8);
            byte[] src = ("// Package canary is served by modproxy's gateway for its doctor: if go downloaded\n"
                    + "// this, go's requests reach modproxy. It has no code.\npackage canary\n")
                    .getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            ModuleZip.create(zip, mv, List.of(ModuleFile.of("go.mod", mod), ModuleFile.of("canary.go", src)));
            byte[] info = ("{\"Version\":\"" + version + "\",\"Time\":\"" + TIME + "\"}").getBytes(StandardCharsets.UTF_8);
            return new Files(mv, info, mod, zip.toByteArray(), zipHash(zip.toByteArray()), DirHash.hashGoMod(mod));
        } catch (GoModException | IOException e) {
            throw new IllegalStateException("the canary module cannot be built: " + e.getMessage(), e);
        }
    }

    /** The h1: hash of a zip held in memory (its entries are few and small). */
    private static String zipHash(byte[] zip) throws IOException, GoModException {
        List<String> names = new ArrayList<>();
        java.util.Map<String, byte[]> content = new java.util.HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                content.put(e.getName(), in.readAllBytes());
            }
        }
        return DirHash.hash1(names, name -> new ByteArrayInputStream(content.get(name)));
    }
}

package dev.modproxy.testing;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.semver.Semver;
import dev.modproxy.gomod.zip.ModuleFile;
import dev.modproxy.gomod.zip.ModuleZip;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A GOPROXY tree on disk, as {@code go help goproxy} lays it out: for each module
 * {@code <escaped path>/@v/list} and {@code <escaped version>.info|.mod|.zip}. Served by
 * {@link UpstreamServer} or as {@code file://}, it is a real upstream proxy for tests.
 */
public final class GoProxyTree {

    /** A published version with the hashes go.sum would record for it. */
    public record Published(ModuleVersion mv, String zipHash, String modHash) {
        public String goSumLines() {
            return mv.path().value() + " " + mv.version() + " " + zipHash + "\n"
                    + mv.path().value() + " " + mv.version() + "/go.mod " + modHash + "\n";
        }
    }

    private final Path root;
    private final List<Published> published = new ArrayList<>();

    public GoProxyTree(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public List<Published> published() {
        return List.copyOf(published);
    }

    /** Publishes {@code files} (path relative to the module root → content) as path@version. */
    public Published add(String path, String version, Instant time, Map<String, byte[]> files) {
        List<ModuleFile> list = new ArrayList<>();
        files.forEach((name, content) -> list.add(ModuleFile.of(name, content)));
        byte[] mod = files.getOrDefault("go.mod", ("module " + path + "\n").getBytes(StandardCharsets.UTF_8));
        return publish(path, version, time, mod, out -> ModuleZip.create(out, mv(path, version), list));
    }

    /** Publishes the module tree in {@code dir} as path@version. */
    public Published addDir(String path, String version, Instant time, Path dir) {
        byte[] mod;
        try {
            Path goMod = dir.resolve("go.mod");
            mod = Files.exists(goMod) ? Files.readAllBytes(goMod) : ("module " + path + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return publish(path, version, time, mod, out -> ModuleZip.createFromDir(out, mv(path, version), dir));
    }

    /** Writes raw bytes at a path in the tree, for broken upstream answers. */
    public void writeRaw(String relative, byte[] content) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface ZipWriter {
        void write(OutputStream out) throws GoModException, IOException;
    }

    private Published publish(String path, String version, Instant time, byte[] mod, ZipWriter zip) {
        try {
            ModuleVersion mv = mv(path, version);
            Path dir = root.resolve(mv.path().escaped()).resolve("@v");
            Files.createDirectories(dir);
            String base = mv.escapedVersion();
            Files.writeString(dir.resolve(base + ".info"),
                    "{\"Version\":\"" + version + "\",\"Time\":\"" + time + "\"}\n");
            Files.write(dir.resolve(base + ".mod"), mod);
            Path zipFile = dir.resolve(base + ".zip");
            try (OutputStream out = Files.newOutputStream(zipFile)) {
                zip.write(out);
            }
            TreeSet<String> versions = new TreeSet<>(Semver.BY_VERSION);
            Path list = dir.resolve("list");
            if (Files.exists(list)) {
                Files.readAllLines(list).stream().filter(s -> !s.isBlank()).forEach(versions::add);
            }
            versions.add(version);
            Files.writeString(list, String.join("\n", versions) + "\n");
            Published p = new Published(mv, DirHash.hashZip(zipFile), DirHash.hashGoMod(mod));
            published.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GoModException e) {
            throw new IllegalArgumentException("cannot publish " + path + "@" + version + ": " + e.getMessage(), e);
        }
    }

    private static ModuleVersion mv(String path, String version) {
        try {
            return ModuleVersion.of(path, version);
        } catch (GoModException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}

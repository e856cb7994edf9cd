import dev.modproxy.gomod.modfile.GoMod;
import dev.modproxy.gomod.module.ModulePaths;
import dev.modproxy.testing.GoProxyTree;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the benchmark's upstream GOPROXY tree (see bench/README in the root README,
 * "Performance") and the lists of request paths the load generators cycle through.
 *
 * <pre>
 *   java -cp gomod/target/classes:test-support/target/classes bench/src/BenchCorpus.java OUT [--big-mb N] [--synthetic N]
 * </pre>
 *
 * Writes under OUT: {@code upstream/} (the tree), {@code corpus.txt} (the Debian modules as
 * path@version, the cold-fill corpus), {@code meta-paths.txt} (.info/.mod/list of every
 * version), {@code zip-paths.txt} (1–50 MB zips), {@code warm.txt} (modules used only to warm a
 * fresh service up), {@code big.txt} (the 400 MB module) and {@code corpus.log}.
 *
 * <p>The Debian modules are every go.mod under /usr/share/gocode/src whose directory is its
 * module path, at the upstream version of the Debian package that owns it; those that cannot
 * be a module version go would accept (major version not matching the path, a tree the zip
 * rules refuse) are skipped and logged. Synthetic modules are small real-looking modules with
 * three versions each, so the metadata load covers a few hundred versions. Zips are random,
 * incompressible bytes, so their size on the wire is their size.
 *
 * <p>The warm-up set: every Debian module again, {@link #WARM_SETS} times, under other paths
 * ({@code warm<N>.example/<path>}, {@code gopkg.in/warm<N>/<name>}; its go.mod's module line
 * rewritten), so a fresh service meets the corpus' own mix of zip sizes and file counts before
 * the cold fill is timed, without any of the corpus' versions being in its storage. A
 * long-running proxy has run these code paths thousands of times; the cold fill measures an
 * empty storage, not an unwarmed JIT (startup is measured on its own). One set left the JIT
 * compilers a third of the services' CPU during the fill; two leave them little.
 */
public class BenchCorpus {

    static final Path GOCODE = Path.of("/usr/share/gocode/src");
    static final Instant TIME = Instant.parse("2024-01-02T03:04:05Z");
    static final int WARM_SETS = 2;
    static final Pattern UPSTREAM_VERSION = Pattern.compile("^(?:\\d+:)?(\\d+\\.\\d+\\.\\d+)");

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]).toAbsolutePath();
        int bigMb = 400;
        int synthetic = 80;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--big-mb" -> bigMb = Integer.parseInt(args[++i]);
                case "--synthetic" -> synthetic = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(out);
        GoProxyTree tree = new GoProxyTree(out.resolve("upstream"));
        List<String> meta = new ArrayList<>();
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(out.resolve("corpus.log")))) {
            List<String> warm = new ArrayList<>();
            List<String> corpus = debian(tree, log, meta, out.resolve("tmp"), warm);
            Files.write(out.resolve("corpus.txt"), corpus);
            log.println("debian modules: " + corpus.size());

            for (int i = 0; i < synthetic; i++) {
                String path = String.format("bench.example/meta/m%03d", i);
                for (int v = 0; v < 3; v++) {
                    String version = "v1." + v + ".0";
                    tree.add(path, version, TIME, Map.of(
                            "go.mod", ("module " + path + "\n\ngo 1.19\n").getBytes(StandardCharsets.UTF_8),
                            "m.go", ("package m\n\n// V is the version.\nconst V = \"" + version + "\"\n").getBytes(StandardCharsets.UTF_8)));
                    addMeta(meta, path, version);
                }
                meta.add("/" + path + "/@v/list");
            }
            Files.write(out.resolve("meta-paths.txt"), meta);

            for (int i = 0; i < 8; i++) {
                String path = "bench.example/warm/w" + i;
                tree.add(path, "v1.0.0", TIME, Map.of("w.go", "package w\n".getBytes(StandardCharsets.UTF_8)));
                warm.add(path + "@v1.0.0");
            }
            Files.write(out.resolve("warm.txt"), warm);

            List<String> zips = new ArrayList<>();
            for (int mb : new int[] {1, 2, 5, 10, 20, 50}) {
                String path = "bench.example/zip/z" + mb + "mb";
                randomModule(tree, out.resolve("tmp"), path, "v1.0.0", mb, mb);
                zips.add("/" + path + "/@v/v1.0.0.zip");
            }
            Files.write(out.resolve("zip-paths.txt"), zips);

            if (bigMb > 0) {
                String path = "bench.example/big/b" + bigMb + "mb";
                randomModule(tree, out.resolve("tmp"), path, "v1.0.0", bigMb, 50);
                Files.writeString(out.resolve("big.txt"), path + "@v1.0.0\n");
            }
            log.println("metadata paths: " + meta.size() + ", zip paths: " + zips.size());
        }
    }

    static void addMeta(List<String> meta, String path, String version) throws Exception {
        String base = "/" + dev.modproxy.gomod.module.Escaping.escapePath(path) + "/@v/"
                + dev.modproxy.gomod.module.Escaping.escapeVersion(version);
        meta.add(base + ".info");
        meta.add(base + ".mod");
    }

    static List<String> debian(GoProxyTree tree, PrintWriter log, List<String> meta, Path tmp, List<String> warm)
            throws Exception {
        List<Path> mods;
        try (Stream<Path> s = Files.walk(GOCODE)) {
            mods = s.filter(p -> p.getFileName().toString().equals("go.mod"))
                    .filter(p -> !p.toString().contains("/testdata/") && !p.toString().contains("/vendor/")
                            && !p.toString().contains("/_"))
                    .sorted().toList();
        }
        TreeMap<String, String> chosen = new TreeMap<>();
        for (Path goMod : mods) {
            Path dir = goMod.getParent();
            String rel = GOCODE.relativize(dir).toString();
            String path;
            try {
                path = GoMod.parseLax("go.mod", Files.readAllBytes(goMod)).modulePath();
            } catch (Exception e) {
                log.println("skip " + rel + ": " + e.getMessage());
                continue;
            }
            if (!rel.equals(path)) {
                log.println("skip " + rel + ": module path is " + path);
                continue;
            }
            String version = version(dir);
            if (version == null) {
                log.println("skip " + path + ": no Debian package version");
                continue;
            }
            try {
                ModulePaths.check(path, version);
                tree.addDir(path, version, TIME, dir);
            } catch (Exception e) {
                log.println("skip " + path + "@" + version + ": " + e.getMessage());
                continue;
            }
            chosen.put(path, version);
            addMeta(meta, path, version);
            for (int set = 1; set <= WARM_SETS; set++) {
                String twin = warmTwin(tree, tmp, set, path, version, dir, log);
                if (twin != null) {
                    warm.add(twin + "@" + version);
                }
            }
            meta.add("/" + dev.modproxy.gomod.module.Escaping.escapePath(path) + "/@v/list");
            log.println("module " + path + "@" + version);
        }
        List<String> out = new ArrayList<>();
        chosen.forEach((p, v) -> out.add(p + "@" + v));
        return out;
    }

    /**
     * Publishes a copy of the module in {@code dir} under a path no corpus module has, with the
     * same files but for the go.mod's module line; returns that path, or null when the twin
     * cannot be a module (a gopkg.in path with an owner already has no room for one more).
     */
    static String warmTwin(GoProxyTree tree, Path tmp, int set, String path, String version, Path dir,
                           PrintWriter log) throws IOException {
        String twin = path.startsWith("gopkg.in/") ? "gopkg.in/warm" + set + "/" + path.substring("gopkg.in/".length())
                : "warm" + set + ".example/" + path;
        try {
            ModulePaths.check(twin, version);
        } catch (Exception e) {
            log.println("no warm-up twin for " + path + "@" + version + ": " + e.getMessage());
            return null;
        }
        Path copy = tmp.resolve("warm").resolve(twin);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = copy.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(p)) {
                    Files.copy(p, target);
                }
            }
        }
        Path goMod = copy.resolve("go.mod");
        String text = Files.readString(goMod);
        Files.writeString(goMod, text.replaceFirst("(?m)^module\\s+\\S+", "module " + Matcher.quoteReplacement(twin)));
        tree.addDir(twin, version, TIME, copy);
        try (Stream<Path> s = Files.walk(copy)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        log.println("warm-up twin " + twin + "@" + version);
        return twin;
    }

    /** The upstream version (vX.Y.Z) of the Debian package that owns dir, or null. */
    static String version(Path dir) throws IOException, InterruptedException {
        String owner = run("dpkg", "-S", dir.toString());
        if (owner == null) {
            return null;
        }
        String pkg = owner.lines().findFirst().orElse("").split(":")[0].split(",")[0].strip();
        String v = run("dpkg-query", "-W", "-f=${Version}", pkg);
        if (v == null) {
            return null;
        }
        Matcher m = UPSTREAM_VERSION.matcher(v.strip());
        return m.find() ? "v" + m.group(1) : null;
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 ? s : null;
    }

    /** A module of random files, totalMb in files of at most fileMb each. */
    static void randomModule(GoProxyTree tree, Path tmp, String path, String version, int totalMb, int fileMb)
            throws IOException {
        Path dir = tmp.resolve(path.replace('/', '_'));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("go.mod"), "module " + path + "\n");
        Files.writeString(dir.resolve("doc.go"), "package data\n");
        SplittableRandom random = new SplittableRandom(totalMb);
        byte[] block = new byte[1 << 20];
        for (int f = 0, left = totalMb; left > 0; f++) {
            int mb = Math.min(left, fileMb);
            try (OutputStream o = Files.newOutputStream(dir.resolve("blob" + f + ".bin"))) {
                for (int i = 0; i < mb; i++) {
                    for (int j = 0; j < block.length; j += 8) {
                        long r = random.nextLong();
                        for (int k = 0; k < 8; k++) {
                            block[j + k] = (byte) (r >>> (8 * k));
                        }
                    }
                    o.write(block);
                }
            }
            left -= mb;
        }
        tree.addDir(path, version, TIME, dir);
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package dev.modproxy.gomod.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModuleVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Serves zips we built to the real {@code go} command through a file:// GOPROXY, with a go.sum
 * holding our h1 hashes. {@code go mod download} checks the zip against the module zip rules
 * and both hashes against go.sum, so success plus equal Sum/GoModSum means go accepts our zips
 * and agrees with our hashes; a wrong go.sum line must make it fail with a checksum mismatch.
 */
class GoCommandDifferentialTest {

    private static final Path GO = Path.of("/usr/bin/go");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}@{1} seed {2}")
    @CsvSource({
        "example.com/gen/alpha, v1.2.3, 1",
        "example.com/gen/Beta/v2, v2.0.1-RC.1, 2",
        "example.com/gen/gamma, v0.0.0-20230102030405-abcdefabcdef, 3",
    })
    void goAcceptsOurZipAndAgreesOnHashes(String path, String version, long seed) throws Exception {
        ModuleVersion m = ModuleVersion.of(path, version);
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        byte[] goMod = RandomTree.write(tree, path, new Random(seed));
        String zipSum = publish(m, tree, goMod);
        String modSum = DirHash.hashGoMod(goMod);

        Result r = download(m, zipSum, modSum);
        assertEquals(0, r.exitCode, r.output);
        assertEquals(zipSum, jsonField(r.output, "Sum"), r.output);
        assertEquals(modSum, jsonField(r.output, "GoModSum"), r.output);
        Path extracted = Path.of(jsonField(r.output, "Dir"));
        assertEquals(zipSum, DirHash.hashDir(extracted, ModuleZip.prefix(m)));
    }

    @ParameterizedTest(name = "{0}@{1}")
    @CsvSource({"example.com/gen/delta, v1.0.0"})
    void goRejectsWrongZipHash(String path, String version) throws Exception {
        ModuleVersion m = ModuleVersion.of(path, version);
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        byte[] goMod = RandomTree.write(tree, path, new Random(4));
        String zipSum = publish(m, tree, goMod);
        String wrong = DirHash.hashGoMod("not the zip".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(zipSum, wrong);

        Result r = download(m, wrong, DirHash.hashGoMod(goMod));
        assertNotEquals(0, r.exitCode, r.output);
        assertTrue(r.output.contains("checksum mismatch"), r.output);
    }

    /** Lays out {@code <escaped path>/@v/{list,.info,.mod,.zip}} and returns our zip hash. */
    private String publish(ModuleVersion m, Path tree, byte[] goMod) throws Exception {
        Path v = Files.createDirectories(tmp.resolve("proxy").resolve(m.path().escaped()).resolve("@v"));
        Path zip = v.resolve(m.escapedVersion() + ".zip");
        try (OutputStream out = Files.newOutputStream(zip)) {
            ModuleZip.createFromDir(out, m, tree);
        }
        Files.writeString(v.resolve("list"), m.version() + "\n");
        Files.writeString(v.resolve(m.escapedVersion() + ".info"),
                "{\"Version\":\"" + m.version() + "\",\"Time\":\"2023-01-02T03:04:05Z\"}\n");
        Files.write(v.resolve(m.escapedVersion() + ".mod"), goMod);
        return DirHash.hashZip(zip);
    }

    private record Result(int exitCode, String output) {
    }

    private Result download(ModuleVersion m, String zipSum, String modSum) throws Exception {
        if (!Files.isExecutable(GO)) {
            throw new IllegalStateException(GO + " missing: install golang-go");
        }
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.writeString(work.resolve("go.mod"), "module example.com/work\n\ngo 1.19\n\nrequire "
                + m.path().value() + " " + m.version() + "\n");
        Files.writeString(work.resolve("go.sum"),
                m.path().value() + " " + m.version() + " " + zipSum + "\n"
                        + m.path().value() + " " + m.version() + "/go.mod " + modSum + "\n");
        ProcessBuilder pb = new ProcessBuilder(GO.toString(), "mod", "download", "-json", m.toString())
                .directory(work.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GO"));
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("GOPATH", tmp.resolve("gopath").toString());
        env.put("GOMODCACHE", tmp.resolve("modcache").toString());
        env.put("GOCACHE", tmp.resolve("gocache").toString());
        env.put("GOPROXY", tmp.resolve("proxy").toUri().toString());
        env.put("GOFLAGS", "-mod=mod -modcacherw");
        env.put("GOSUMDB", "off");
        env.put("GONOSUMDB", "*");
        env.put("GO111MODULE", "on");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "go mod download timed out");
        return new Result(p.exitValue(), output);
    }

    private static String jsonField(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + field + " in go output: " + json);
        }
        return m.group(1).replace("\\/", "/");
    }

    /** Random module trees with every kind of file the zip rules treat specially. */
    static final class RandomTree {

        private RandomTree() {
        }

        /** Writes a tree for module {@code path} into {@code root} and returns its go.mod. */
        static byte[] write(Path root, String path, Random rnd) throws IOException {
            byte[] goMod = ("module " + path + "\n\ngo 1.19\n").getBytes(StandardCharsets.UTF_8);
            Files.write(root.resolve("go.mod"), goMod);
            put(root, "LICENSE", randomBytes(rnd, 2000));
            put(root, ".hg_archival.txt", "repo: x\n".getBytes(StandardCharsets.UTF_8));
            put(root, ".git/HEAD", "ref: refs/heads/main\n".getBytes(StandardCharsets.UTF_8));
            put(root, "vendor/modules.txt", "# vendored\n".getBytes(StandardCharsets.UTF_8));
            put(root, "vendor/example.com/dep/dep.go", "package dep\n".getBytes(StandardCharsets.UTF_8));
            put(root, "nested/go.mod", ("module " + path + "/nested\n").getBytes(StandardCharsets.UTF_8));
            put(root, "nested/n.go", "package nested\n".getBytes(StandardCharsets.UTF_8));
            put(root, "empty.txt", new byte[0]);
            List<String> dirs = new ArrayList<>(List.of(""));
            for (int i = 0; i < 25; i++) {
                String dir = dirs.get(rnd.nextInt(dirs.size()));
                String name = (dir.isEmpty() ? "" : dir + "/") + randomName(rnd);
                if (rnd.nextInt(4) == 0) {
                    dirs.add(name);
                } else if (!Files.exists(root.resolve(name))) {
                    int size = rnd.nextInt(10) == 0 ? 200_000 + rnd.nextInt(100_000) : rnd.nextInt(3000);
                    put(root, name + (rnd.nextBoolean() ? ".go" : ".txt"), randomBytes(rnd, size));
                }
            }
            return goMod;
        }

        private static String randomName(Random rnd) {
            String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_-";
            StringBuilder b = new StringBuilder().append((char) ('a' + rnd.nextInt(26)));
            for (int n = rnd.nextInt(10); n > 0; n--) {
                b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            return b.append(rnd.nextInt(1000)).toString();
        }

        private static byte[] randomBytes(Random rnd, int size) {
            byte[] b = new byte[size];
            rnd.nextBytes(b);
            return b;
        }

        private static void put(Path root, String name, byte[] data) throws IOException {
            Path f = root.resolve(name);
            Files.createDirectories(f.getParent());
            Files.write(f, data);
        }
    }
}

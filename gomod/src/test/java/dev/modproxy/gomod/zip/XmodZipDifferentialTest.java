package dev.modproxy.gomod.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModuleVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random trees full of the cases the zip rules single out (case collisions, vendor directories
 * at several depths, nested modules with go.mod in any case, VCS directories, symbolic links,
 * bad file names, a go.mod directory) go through x/mod's own CreateFromDir, built from Debian's
 * golang-golang-x-mod-dev, and through ours: both must give the same h1 or the same error.
 */
class XmodZipDifferentialTest {

    private static final String[] NAMES = {
        "a.go", "b.txt", "vendor", "go.mod", ".git", ".hg", ".hg_archival.txt", "LICENSE", "x", "sub",
        "caf\u00e9.go", "k.go", "modules.txt", "dir.go", "y", "z.go",
    };

    /** Names that make a tree invalid when they meet their twins; drawn rarely. */
    private static final String[] TRICKY = {
        "A.GO", "Vendor", "GO.MOD", "Go.Mod", "X", "bad'name.go", "CAF\u00c9.GO", "\u212A.go",
    };

    @TempDir
    static Path shared;

    private static Path tool;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildTool() throws Exception {
        Path src = shared.resolve("xmod_create.go");
        try (InputStream in = XmodZipDifferentialTest.class.getResourceAsStream("xmod_create.go")) {
            Files.copy(in, src);
        }
        tool = shared.resolve("xmod_create");
        String out = go(List.of("/usr/bin/go", "build", "-o", tool.toString(), src.toString()));
        assertEquals("", out, "building the x/mod helper failed");
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 40).mapToObj(i -> 1000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void sameHashOrErrorAsXmod(long seed) throws Exception {
        Path tree = Files.createDirectory(tmp.resolve("tree"));
        writeTree(tree, new Random(seed));
        String module = "example.com/m";
        String theirs = go(List.of(tool.toString(), module, "v1.0.0", tree.toString(),
                tmp.resolve("theirs.zip").toString())).strip();
        Path zip = tmp.resolve("ours.zip");
        String ours;
        try (OutputStream out = Files.newOutputStream(zip)) {
            ModuleZip.createFromDir(out, ModuleVersion.of(module, "v1.0.0"), tree);
            out.close();
            ours = DirHash.hashZip(zip);
        } catch (GoModException e) {
            ours = "error: " + e.getMessage();
        }
        assertEquals(theirs, ours);
    }

    private static void writeTree(Path root, Random rnd) throws IOException {
        for (int i = 0; i < 14; i++) {
            int depth = 1 + rnd.nextInt(4);
            Path p = root;
            for (int d = 0; d < depth; d++) {
                String[] names = rnd.nextInt(12) == 0 ? TRICKY : NAMES;
                p = p.resolve(names[rnd.nextInt(names.length)]);
            }
            if (Files.exists(p) || Files.isSymbolicLink(p) || !createParents(root, p.getParent())) {
                continue;
            }
            if (rnd.nextInt(12) == 0) {
                Files.createSymbolicLink(p, root);
            } else {
                Files.writeString(p, "content " + i + "\n");
            }
        }
    }

    /** Creates the directories up to {@code dir}, unless a file stands in the way. */
    private static boolean createParents(Path root, Path dir) throws IOException {
        for (Path q = dir; !q.equals(root); q = q.getParent()) {
            if (Files.exists(q, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(q,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        Files.createDirectories(dir);
        return true;
    }

    private static String go(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GO"));
        pb.environment().put("HOME", shared.toString());
        pb.environment().put("GOCACHE", shared.resolve("gocache").toString());
        pb.environment().put("GOPATH", "/usr/share/gocode");
        pb.environment().put("GO111MODULE", "off");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(300, TimeUnit.SECONDS);
        return out;
    }
}

package dev.modproxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code go} command, the judge of every test that uses it, run in an environment of
 * its own: a fresh GOPATH, module cache, build cache and HOME under one directory, the network
 * limited to what GOPROXY names, and no checksum database unless a test sets one.
 *
 * <p>A missing {@code go} fails the test: CI installs it ({@code golang-go}), and a test that
 * quietly skipped would prove nothing.
 */
public final class GoCommand {

    /** What a run printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("go failed with exit code " + exitCode + ":\n" + stderr + stdout);
            }
            return this;
        }
    }

    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    public GoCommand(Path home, String goproxy) throws IOException {
        this.home = Files.createDirectories(home);
        env.put("HOME", home.toString());
        env.put("GOPATH", home.resolve("gopath").toString());
        env.put("GOMODCACHE", home.resolve("modcache").toString());
        env.put("GOCACHE", home.resolve("gocache").toString());
        env.put("GOENV", "off");
        env.put("GOFLAGS", "-modcacherw");
        env.put("GOPROXY", goproxy);
        env.put("GOSUMDB", "off");
        env.put("GONOSUMCHECK", "1");
        env.put("GOTOOLCHAIN", "local");
        env.put("GO111MODULE", "on");
        env.put("CGO_ENABLED", "0");
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    /** Sets (or with null, removes) a variable of the go command's environment. */
    public GoCommand env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public Path home() {
        return home;
    }

    /** The go binary: $GO, else /usr/lib/go/bin/go or the first go on PATH. */
    public static Path binary() {
        String explicit = System.getenv("GO");
        List<Path> candidates = new ArrayList<>();
        if (explicit != null) {
            candidates.add(Path.of(explicit));
        }
        candidates.add(Path.of("/usr/bin/go"));
        candidates.add(Path.of("/usr/lib/go/bin/go"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "go"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
                "the go command is missing: install golang-go (apt-get install golang-go) or set GO"));
    }

    /** Runs {@code go args...} in {@code dir}, waiting at most five minutes. */
    public Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile(home, "go-out", ".txt");
        Path err = Files.createTempFile(home, "go-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("go " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}

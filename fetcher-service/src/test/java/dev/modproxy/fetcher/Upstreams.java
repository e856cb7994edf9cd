package dev.modproxy.fetcher;

import dev.modproxy.testing.GoProxyTree;
import dev.modproxy.testing.UpstreamServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Three real upstream proxies for the fetcher's tests, chained as {@code A,B|C}: A falls
 * through to B only on "not found", B to C on any error. Each serves its own GOPROXY tree.
 */
public final class Upstreams implements AutoCloseable {

    public final GoProxyTree treeA;
    public final GoProxyTree treeB;
    public final GoProxyTree treeC;
    public final UpstreamServer a;
    public final UpstreamServer b;
    public final UpstreamServer c;

    Upstreams(Path dir) throws Exception {
        treeA = new GoProxyTree(dir.resolve("a"));
        treeB = new GoProxyTree(dir.resolve("b"));
        treeC = new GoProxyTree(dir.resolve("c"));
        a = new UpstreamServer(treeA.root());
        b = new UpstreamServer(treeB.root());
        c = new UpstreamServer(treeC.root());
    }

    public String chain() {
        return a.url() + "," + b.url() + "|" + c.url();
    }

    /** A small module version with a go.mod and one Go file. */
    public static GoProxyTree.Published publish(GoProxyTree tree, String path, String version) {
        return tree.add(path, version, Instant.parse("2024-01-02T03:04:05Z"), Map.of(
                "go.mod", ("module " + path + "\n\ngo 1.19\n").getBytes(StandardCharsets.UTF_8),
                "lib.go", ("package lib\n\n// Version is " + version + ".\nconst Version = \"" + version + "\"\n")
                        .getBytes(StandardCharsets.UTF_8),
                "LICENSE", "Test licence\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        a.close();
        b.close();
        c.close();
    }
}

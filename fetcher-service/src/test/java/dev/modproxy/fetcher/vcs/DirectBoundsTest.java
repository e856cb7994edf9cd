package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.gomod.module.ModulePath;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct source's state stays bounded however many module paths outsiders make up:
 * a wildcard go-import host ({@link HostileGitServer}) maps every {@code 127.0.0.61/w/N} to its own repository, none of
 * which exists. Two thousand of them (a hundred times the bound; each costs a discovery and a failed
 * fetch, so more would only make the test slower) leave at most {@code modproxy.vcs.max-repos} (20 here) mirrors
 * and path mappings in memory, and no mirror on disk; and the mirrors that do exist stay within
 * {@code modproxy.vcs.max-total-bytes}, the least recently used removed.
 */
@QuarkusTest
@QuarkusTestResource(value = DirectBoundsTest.Servers.class, restrictToAnnotatedClass = true)
class DirectBoundsTest {

    static final String WILD = "127.0.0.61";
    static final String GOOD = "127.0.0.62";

    public static class Servers implements QuarkusTestResourceLifecycleManager {
        private HostileGitServer wild;
        private GitHttpServer good;

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bounds");
                wild = new HostileGitServer(WILD);
                // a mirror an earlier run left behind
                Files.writeString(Files.createDirectories(dir.resolve("data/vcs/leftover/objects")).resolve("pack"), "x");
                good = new GitHttpServer(GOOD, null, dir.resolve("good"))
                        .repo("a", GOOD + "/a.git").repo("b", GOOD + "/b.git");
                return Map.of("modproxy.upstream", "direct",
                        "modproxy.insecure", WILD + "," + GOOD,
                        "modproxy.vcs.allow-loopback", "true",
                        "modproxy.vcs.max-repos", "20",
                        "modproxy.vcs.max-total-bytes", "1",
                        "modproxy.data-dir", dir.resolve("data").toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            try {
                wild.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            good.close();
        }
    }

    @Inject
    DirectSource direct;

    private static Path vcs() {
        return ConfigProvider.getConfig().getValue("modproxy.data-dir", Path.class).resolve("vcs");
    }

    private static long mirrorsOnDisk() throws Exception {
        if (!Files.exists(vcs())) {
            return 0;
        }
        try (Stream<Path> s = Files.list(vcs())) {
            return s.count();
        }
    }

    @Test
    void twoThousandMadeUpModulePathsLeaveTheMapsAtTheBound() throws Exception {
        long before = mirrorsOnDisk();
        for (int i = 0; i < 2_000; i++) {
            ModulePath m = ModulePath.of(WILD + "/w/" + i);
            assertThrows(FetchException.class, () -> direct.list(m));
        }
        int[] sizes = direct.sizes();
        assertTrue(sizes[0] <= 20, "mirrors: " + sizes[0]);
        assertTrue(sizes[1] <= 20, "module path mappings: " + sizes[1]);
        assertEquals(before, mirrorsOnDisk(), "failed new mirrors left on disk");
    }

    @Test
    void mirrorsAnEarlierRunLeftAreRemovedAtStart() {
        assertTrue(Files.notExists(vcs().resolve("leftover")));
    }

    @Test
    void mirrorsBeyondTheTotalByteCapAreRemovedLeastRecentlyUsedFirst() throws Exception {
        direct.list(ModulePath.of(GOOD + "/a.git"));
        assertEquals(1, mirrorsOnDisk());
        direct.list(ModulePath.of(GOOD + "/b.git"));
        // a (least recently used) made room for b; b itself is never evicted by its own fetch
        assertEquals(1, mirrorsOnDisk());
        direct.list(ModulePath.of(GOOD + "/a.git"));
        assertEquals(1, mirrorsOnDisk());
    }
}

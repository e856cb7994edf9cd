package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.fetcher.config.FetcherConfig;
import dev.modproxy.fetcher.service.FetchMetrics;
import dev.modproxy.fetcher.service.ModuleSource;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.env.ModulePrivacy;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.zip.ModuleZip;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.TransportHttp;

import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code direct}: module versions straight from their git repositories, answered as a proxy
 * would answer them and exactly as the {@code go} command computes them in direct mode
 * ({@link RepoResolver} maps the path, {@link GitMirror} keeps the repository, {@link CodeRepo}
 * and {@link Queries} give versions). Zips are built by gomod from the git tree.
 *
 * <p>Answers: {@code list} is the tagged versions; {@code .info} is
 * {@code {"Version":"...","Time":"<commit time, UTC, RFC 3339>","Origin":{...}}} with the Origin
 * go direct records (VCS, URL, Subdir, TagPrefix/TagSum, Ref, Hash; see CodeRepo#originJson);
 * {@code .mod} is the module's
 * go.mod or the synthesized {@code module <path>\n}.
 */
@ApplicationScoped
public class DirectSource implements ModuleSource {

    private final ModulePrivacy privacy;
    private final RepoResolver resolver;
    private final GitMirror.Settings settings;
    private final Path mirrorsDir;
    private final long rootTtlNanos;
    private final Duration deadline;
    private final long maxTotalBytes;
    private final Lru<String, GitMirror> mirrors;
    private final Lru<String, CachedRoot> roots;

    private record CachedRoot(RepoRoot root, long at) {
    }

    private final FetchMetrics metrics;

    public DirectSource(FetcherConfig config, FetchMetrics metrics) throws IOException, GoModException {
        this.metrics = metrics;
        this.privacy = ModulePrivacy.fromEnvironment(config.privatePatterns().orElse(null),
                config.noproxy().orElse(null), config.nosumdb().orElse(null), config.insecure().orElse(null));
        List<Path> trust = config.tls().trust().orElse(List.of());
        NetGuard guard = new NetGuard(config.vcs().allowLoopback(), config.vcs().allowHosts().orElse(List.of()));
        Credentials credentials = new Credentials(config.vcs().netrc(), config.vcs().credentialsDir());
        TrustManager[] tls = PinnedTrust.trustManagers(trust, config.vcs().pins().orElse(List.of()));
        this.settings = new GitMirror.Settings(guard, tls, credentials, config.vcs().timeout(),
                config.vcs().maxRepoBytes(), config.vcs().minRefresh());
        this.resolver = new RepoResolver(guard, credentials, tls, config.vcs().timeout(), this::lsRemote);
        this.mirrorsDir = config.dataDir().resolve("vcs").toAbsolutePath();
        this.rootTtlNanos = config.vcs().rootTtl().toNanos();
        this.deadline = config.vcs().deadline();
        this.maxTotalBytes = config.vcs().maxTotalBytes();
        this.mirrors = new Lru<>(config.vcs().maxRepos());
        this.roots = new Lru<>(config.vcs().maxRepos());
    }

    /** Mirrors and module path mappings held now (for tests: both stay within modproxy.vcs.max-repos). */
    public int[] sizes() {
        return new int[] {mirrors.size(), roots.size()};
    }

    /**
     * Builds this bean at startup, so that a bad {@code modproxy.vcs.pins} or
     * {@code modproxy.tls.trust} stops the fetcher with the reason instead of failing requests;
     * and removes the mirrors an earlier run left: nothing here knows their repositories, so they
     * would sit outside {@code modproxy.vcs.max-total-bytes} forever (each restart adding up to
     * that much). They are refetched when asked for.
     */
    void onStart(@Observes StartupEvent event) {
        if (!Files.isDirectory(mirrorsDir)) {
            return;
        }
        try (var s = Files.walk(mirrorsDir)) {
            s.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(mirrorsDir)).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            org.jboss.logging.Logger.getLogger(DirectSource.class).warnf("cannot remove old mirrors in %s: %s",
                    mirrorsDir, e.getMessage());
        }
    }

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public byte[] list(ModulePath module) throws FetchException {
        return withRepo(module, repo -> {
            repo.git().fetch(false);
            StringBuilder b = new StringBuilder();
            for (String v : repo.versions("")) {
                b.append(v).append('\n');
            }
            return b.toString().getBytes(StandardCharsets.UTF_8);
        });
    }

    @Override
    public byte[] latest(ModulePath module) throws FetchException {
        return withRepo(module, repo -> infoJson(repo, new Queries(repo).query("latest"), "latest"));
    }

    @Override
    public byte[] info(ModulePath module, String versionOrQuery) throws FetchException {
        return withRepo(module, repo -> infoJson(repo, new Queries(repo).query(versionOrQuery), versionOrQuery));
    }

    @Override
    public byte[] mod(ModuleVersion mv) throws FetchException {
        return withRepo(mv.path(), repo -> repo.goMod(mv.version()));
    }

    @Override
    public long zip(ModuleVersion mv, Path target) throws FetchException {
        return withRepo(mv.path(), repo -> {
            var files = repo.zipFiles(mv.version());
            try (OutputStream out = Files.newOutputStream(target)) {
                ModuleZip.create(out, mv, files);
            } catch (GoModException e) {
                throw new FetchException(Kind.NOT_FOUND, mv + ": " + e.getMessage(), "direct", null);
            } catch (IOException e) {
                throw new FetchException(Kind.UNAVAILABLE, mv + ": cannot write the zip: " + e.getMessage(), "direct", e);
            }
            try {
                return Files.size(target);
            } catch (IOException e) {
                throw new FetchException(Kind.UNAVAILABLE, mv + ": " + e.getMessage(), "direct", e);
            }
        });
    }

    private static byte[] infoJson(CodeRepo repo, RevInfo info, String asked) {
        return ("{\"Version\":\"" + info.version() + "\",\"Time\":\"" + Instant.ofEpochSecond(info.time().getEpochSecond())
                + "\",\"Origin\":" + repo.originJson(info, asked) + "}").getBytes(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface RepoWork<T> {
        T run(CodeRepo repo) throws FetchException;
    }

    private <T> T withRepo(ModulePath module, RepoWork<T> work) throws FetchException {
        String host = module.value().split("/", 2)[0];
        long start = System.nanoTime();
        try {
            T value = withRepoUnmetered(module, work);
            metrics.vcs(host, null, start);
            return value;
        } catch (FetchException e) {
            metrics.vcs(host, e, start);
            throw e;
        }
    }

    /**
     * One direct request, within {@code modproxy.vcs.deadline}. The repository is mirrored
     * separately for modules matching {@code modproxy.private} (fetched with credentials, may reach
     * internal addresses) and for all others: what credentials fetched is never served for a
     * module path an outsider picked.
     */
    private <T> T withRepoUnmetered(ModulePath module, RepoWork<T> work) throws FetchException {
        boolean insecure = privacy.isInsecure(module.value());
        boolean privateModule = privacy.isPrivate(module.value());
        try (Deadline d = Deadline.start(deadline)) {
            RepoRoot root = root(module.value(), insecure, privateModule);
            for (int attempt = 0; ; attempt++) {
                GitMirror mirror = mirror(root.url(), insecure, privateModule);
                CodeRepo repo = new CodeRepo(mirror, root.root(), module.value());
                try {
                    T value = mirror.locked(() -> work.run(repo));
                    makeRoom(mirror);
                    return value;
                } catch (FetchException e) {
                    if (mirror.retired() && attempt < 2) {
                        continue; // evicted between lookup and lock: a new mirror takes its place
                    }
                    if (mirror.absent()) {
                        // a failed new mirror leaves nothing on disk; nor here
                        mirrors.remove(mirrorKey(root.url(), privateModule), mirror);
                    }
                    throw e;
                }
            }
        }
    }

    /** Keeps the mirrors within modproxy.vcs.max-total-bytes, dropping the least recently used. */
    private void makeRoom(GitMirror used) {
        mirrors.trim(m -> m != used && m.evict(), GitMirror::bytes, maxTotalBytes);
    }

    private RepoRoot root(String path, boolean insecure, boolean privateModule) throws FetchException {
        String key = (insecure ? "i" : "s") + (privateModule ? "p " : "o ") + path;
        CachedRoot c = roots.get(key);
        if (c != null && System.nanoTime() - c.at() < rootTtlNanos) {
            return c.root();
        }
        RepoRoot r = resolver.resolve(path, insecure, privateModule);
        roots.put(key, new CachedRoot(r, System.nanoTime()));
        return r;
    }

    private static String mirrorKey(String url, boolean privateModule) {
        return (privateModule ? "private " : "public ") + url;
    }

    private GitMirror mirror(String url, boolean insecure, boolean privateModule) {
        String key = mirrorKey(url, privateModule);
        GitMirror m = mirrors.computeIfAbsent(key, k -> new GitMirror(url, insecure || url.startsWith("http:"), privateModule,
                mirrorsDir.resolve(sha256(k).substring(0, 32)), settings));
        // a new mirror may push the count past modproxy.vcs.max-repos
        mirrors.trim(x -> x != m && x.evict(), x -> 0, Long.MAX_VALUE);
        return m;
    }

    /**
     * git ls-remote, to see whether a scheme answers. JGit's dumb-HTTP client needs a local
     * repository even to list refs: an empty in-memory one serves.
     */
    private void lsRemote(String url, boolean insecure, boolean privateModule) throws FetchException {
        GuardedConnectionFactory http = new GuardedConnectionFactory(settings.guard(), insecure, privateModule,
                settings.trust(), settings.maxBytes());
        try (Transport t = Transport.open(new InMemoryRepository(new DfsRepositoryDescription("probe")), new URIish(url))) {
            t.setTimeout((int) Math.max(1, settings.timeout().toSeconds()));
            t.setCredentialsProvider(settings.credentials().forModules(privateModule).forUrl(url));
            if (t instanceof TransportHttp h) {
                h.setHttpConnectionFactory(http);
            }
            try (FetchConnection c = t.openFetch()) {
                c.getRefsMap();
            }
        } catch (Exception e) {
            throw GitErrors.map("git ls-remote", url, e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

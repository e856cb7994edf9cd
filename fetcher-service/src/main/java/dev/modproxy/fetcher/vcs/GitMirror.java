package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.gomod.zip.ModuleFile;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The local bare mirror of one remote git repository, and the git questions of the {@code go}
 * command's codehost/git.go answered from it.
 *
 * <p>Mirror rules: every remote branch and tag is fetched into the same name
 * ({@code +refs/heads/*}, {@code +refs/tags/*}, pruned), so the mirror's refs are the remote's
 * refs as of the last fetch; the remote's HEAD is kept as {@value #REMOTE_HEAD}. Fetches are
 * incremental. A name that cannot change (a tag, a full or short hash already present) is
 * answered without the network, as {@code go} does; a moving name (branch, HEAD, lists) fetches
 * first unless the last fetch is younger than {@code modproxy.vcs.min-refresh}. One lock per
 * mirror: concurrent requests for the same repository share the mirror and its fetches; a
 * request that waits longer than {@code modproxy.vcs.timeout} gives up with 504.
 *
 * <p>Revision rules (gitRepo.stat): a 7..40 digit hex string that names a local commit is that
 * commit; then a tag; then, from the refs, {@code refs/tags/R}, {@code refs/heads/R},
 * {@code HEAD}, a hex prefix of a ref's hash (two different hashes: ambiguous), a full hash.
 * Anything else is an unknown revision. The answer's version is the name asked when that is a
 * tag on the commit, else the hash; its tags are every tag pointing at the commit.
 */
final class GitMirror {

    static final String REMOTE_HEAD = "refs/modproxy/remote-head";
    private static final int MIN_HASH_DIGITS = 7;

    /** What one mirror needs from the fetcher's settings. */
    record Settings(NetGuard guard, javax.net.ssl.TrustManager[] trust, Credentials credentials,
                    Duration timeout, long maxBytes, Duration minRefresh) {
    }

    /** Work done while holding the mirror's lock. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws FetchException;
    }

    private final String url;
    private final boolean insecure;
    private final boolean privateModules;
    private final Path dir;
    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private Repository repo;
    private long lastFetch;
    /** Made by this process and never fetched successfully: removed again when its first fetch fails. */
    private boolean fresh;
    private volatile boolean retired;
    private volatile long bytes;

    /**
     * {@code privateModules}: the mirror serves modules matching {@code modproxy.private}, so it
     * is fetched with the host's credentials and may reach internal addresses. A repository is
     * mirrored separately for other modules (without credentials), so that what credentials
     * fetched never answers a module path an outsider picked.
     */
    GitMirror(String url, boolean insecure, boolean privateModules, Path dir, Settings settings) {
        this.url = url;
        this.insecure = insecure;
        this.privateModules = privateModules;
        this.dir = dir;
        this.settings = settings;
    }

    Path dir() {
        return dir;
    }

    /** Whether nothing is on disk (never fetched, or removed after a failed first fetch). */
    boolean absent() {
        return !Files.exists(dir);
    }

    /** Bytes on disk as of the last fetch (0 when absent). */
    long bytes() {
        return bytes;
    }

    /** Whether {@link #evict} removed this mirror: it is not used again (a new one takes its place). */
    boolean retired() {
        return retired;
    }

    /** Removes the mirror from disk for good unless somebody is using it; false when it is busy. */
    boolean evict() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            retired = true;
            close();
            deleteQuietly();
            return true;
        } finally {
            lock.unlock();
        }
    }

    String url() {
        return url;
    }

    <T> T locked(Work<T> work) throws FetchException {
        Deadline deadline = Deadline.current();
        try {
            long wait = Math.min(settings.timeout().toMillis(), deadline.remainingMillis());
            if (!lock.tryLock(wait, TimeUnit.MILLISECONDS)) {
                deadline.check("waiting for the mirror", url);
                throw new FetchException(Kind.UPSTREAM_TIMEOUT, url + ": repository busy for longer than "
                        + settings.timeout().toSeconds() + "s (modproxy.vcs.timeout)", "direct", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Kind.UNAVAILABLE, "interrupted waiting for " + url);
        }
        try {
            if (retired) {
                throw new FetchException(Kind.UNAVAILABLE, url + ": local mirror was just removed to make room", "direct", null);
            }
            open();
            return work.run();
        } catch (UncheckedIOException e) {
            throw new FetchException(Kind.UNAVAILABLE, url + ": local mirror unreadable: " + e.getMessage(), "direct", e);
        } finally {
            lock.unlock();
        }
    }

    private void open() throws FetchException {
        if (repo != null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Repository r = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
            if (!Files.exists(dir.resolve("objects"))) {
                r.create(true);
                fresh = true;
            }
            // JGit's automatic gc after a fetch runs detached by default, on a thread of its own
            // that outlives the fetch and our lock: it raced the next fetch and the removal of a
            // mirror (gc.log.lock). Run inside the fetch instead, under the mirror's lock.
            StoredConfig config = r.getConfig();
            if (config.getBoolean(ConfigConstants.CONFIG_GC_SECTION, ConfigConstants.CONFIG_KEY_AUTODETACH, true)) {
                config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
                config.save();
            }
            repo = r;
        } catch (IOException | IllegalStateException e) {
            throw new FetchException(Kind.UNAVAILABLE, "cannot create a mirror of " + url + " in " + dir + ": "
                    + e.getMessage(), "direct", e);
        }
    }

    /** Fetches every branch and tag, unless fetched within min-refresh (or {@code force}). */
    void fetch(boolean force) throws FetchException {
        if (!force && lastFetch != 0 && System.nanoTime() - lastFetch < settings.minRefresh().toNanos()) {
            return;
        }
        Deadline.current().check("git fetch", url);
        long before = sizeOnDisk();
        GuardedConnectionFactory http = new GuardedConnectionFactory(settings.guard(), insecure, privateModules,
                settings.trust(), settings.maxBytes() - before);
        CredentialsProvider creds = settings.credentials().forModules(privateModules).forUrl(url);
        try (Git git = new Git(repo)) {
            FetchResult result = git.fetch()
                    .setRemote(url)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                    .setRemoveDeletedRefs(true)
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setTimeout((int) Math.max(1, settings.timeout().toSeconds()))
                    .setCredentialsProvider(creds)
                    .setTransportConfigCallback(t -> {
                        if (t instanceof TransportHttp h) {
                            h.setHttpConnectionFactory(http);
                        }
                    })
                    .call();
            Ref head = result.getAdvertisedRef(Constants.HEAD);
            RefUpdate u = repo.updateRef(REMOTE_HEAD);
            u.setForceUpdate(true);
            if (head != null && head.getObjectId() != null) {
                u.setNewObjectId(head.getObjectId());
                u.update();
            } else if (repo.exactRef(REMOTE_HEAD) != null) {
                u.delete();
            }
        } catch (Exception e) {
            if (http.budgetLeft() < 0) {
                close();
                deleteQuietly();
                throw tooBig("more than");
            }
            if (fresh) {
                // a half-made mirror (a failed or cut-off first fetch) is not kept: nothing else would remove it
                close();
                deleteQuietly();
            }
            throw GitErrors.map("git fetch", url, e);
        }
        fresh = false;
        lastFetch = System.nanoTime();
        long size = sizeOnDisk();
        bytes = size;
        if (size > settings.maxBytes()) {
            close();
            deleteQuietly();
            throw tooBig(size + " bytes,");
        }
    }

    private FetchException tooBig(String size) {
        return new FetchException(Kind.UPSTREAM_FAILED, url + ": repository is " + size + " more than "
                + settings.maxBytes() + " bytes allowed (modproxy.vcs.max-repo-bytes)", "direct", null);
    }

    /** HEAD, refs/heads/*, refs/tags/* (annotated tags peeled) → commit hash, as ls-remote reads. */
    Map<String, String> refs() {
        try {
            Map<String, String> refs = new TreeMap<>();
            for (Ref r : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
                ObjectId id = peeled(r);
                if (id != null) {
                    refs.put(r.getName(), id.name());
                }
            }
            Ref head = repo.exactRef(REMOTE_HEAD);
            if (head != null) {
                refs.put(Constants.HEAD, head.getObjectId().name());
            }
            return refs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectId peeled(Ref r) throws IOException {
        Ref p = repo.getRefDatabase().peel(r);
        return p.getPeeledObjectId() != null ? p.getPeeledObjectId() : p.getObjectId();
    }

    /** Tags (names below refs/tags/) starting with {@code prefix}, sorted by name, with their hashes. */
    Map<String, String> tags(String prefix) {
        Map<String, String> tags = new TreeMap<>();
        refs().forEach((ref, hash) -> {
            if (ref.startsWith(Constants.R_TAGS) && ref.substring(Constants.R_TAGS.length()).startsWith(prefix)) {
                tags.put(ref.substring(Constants.R_TAGS.length()), hash);
            }
        });
        return tags;
    }

    /** gitRepo.Stat. */
    RevInfo stat(String rev) throws FetchException {
        boolean hex = rev.length() >= MIN_HASH_DIGITS && rev.length() <= 40 && allHex(rev);
        if (hex) {
            Optional<RevInfo> local = statLocal(rev, rev);
            if (local.isPresent()) {
                return local.get();
            }
        }
        if (repo.getRefDatabase() != null && exactRef(Constants.R_TAGS + rev)) {
            Optional<RevInfo> local = statLocal(rev, Constants.R_TAGS + rev);
            if (local.isPresent()) {
                return local.get();
            }
        }
        fetch(false);
        Map<String, String> refs = refs();
        String hash = null;
        String lookup = rev;
        if (refs.containsKey(Constants.R_TAGS + rev)) {
            hash = refs.get(Constants.R_TAGS + rev);
        } else if (refs.containsKey(Constants.R_HEADS + rev)) {
            hash = refs.get(Constants.R_HEADS + rev);
            lookup = hash;
        } else if (rev.equals(Constants.HEAD) && refs.containsKey(Constants.HEAD)) {
            hash = refs.get(Constants.HEAD);
            lookup = hash;
        } else if (hex) {
            for (String h : refs.values()) {
                if (h.startsWith(rev)) {
                    if (hash != null && !hash.equals(h)) {
                        throw unknown(rev, "ambiguous revision " + rev);
                    }
                    hash = h;
                    lookup = h;
                }
            }
        } else {
            throw unknown(rev, "unknown revision " + rev);
        }
        final String version = lookup;
        return statLocal(version, hash != null ? hash : rev).orElseThrow(() -> unknown(rev, "unknown revision " + rev));
    }

    private boolean exactRef(String name) {
        try {
            return repo.exactRef(name) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FetchException unknown(String rev, String message) {
        return new FetchException(Kind.NOT_FOUND, message, "direct", null);
    }

    /** gitRepo.statLocal: {@code git log -n1 rev} and the tags on the commit. */
    Optional<RevInfo> statLocal(String version, String rev) {
        RevCommit commit;
        try (RevWalk walk = new RevWalk(repo)) {
            ObjectId id = repo.resolve(rev + "^{commit}");
            if (id == null) {
                return Optional.empty();
            }
            commit = walk.parseCommit(id);
        } catch (RevisionSyntaxException | MissingObjectException | org.eclipse.jgit.errors.AmbiguousObjectException
                 | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String hash = commit.name();
        if (hash.startsWith(version)) {
            version = hash;
        }
        List<String> tags = new ArrayList<>();
        refs().forEach((ref, h) -> {
            if (ref.startsWith(Constants.R_TAGS) && h.equals(hash)) {
                tags.add(ref.substring(Constants.R_TAGS.length()));
            }
        });
        Collections.sort(tags);
        String v = tags.contains(version) ? version : hash;
        return Optional.of(new RevInfo(hash, hash.substring(0, 12), Instant.ofEpochSecond(commit.getCommitTime()), v, tags));
    }

    /** gitRepo.ReadFile: the blob at {@code file} in commit {@code hash}; empty if there is none. */
    Optional<byte[]> readFile(String hash, String file, long max) throws FetchException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(hash));
            try (TreeWalk tw = TreeWalk.forPath(repo, file, c.getTree())) {
                if (tw == null || tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    return Optional.empty();
                }
                var loader = repo.open(tw.getObjectId(0), Constants.OBJ_BLOB);
                if (loader.getSize() > max) {
                    throw new FetchException(Kind.UPSTREAM_FAILED, file + " at " + hash + " is larger than " + max
                            + " bytes", "direct", null);
                }
                return Optional.of(loader.getBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * gitRepo.RecentTag: among tags reachable from {@code hash} (git for-each-ref --merged) that
     * start with {@code prefix} and are allowed, the one with the highest version after the
     * prefix; null if none.
     */
    String recentTag(String hash, String prefix, Predicate<String> allowed) {
        String highest = "";
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit head = walk.parseCommit(ObjectId.fromString(hash));
            for (Map.Entry<String, String> t : tags(prefix).entrySet()) {
                if (!allowed.test(t.getKey())) {
                    continue;
                }
                String semtag = t.getKey().substring(prefix.length());
                if (dev.modproxy.gomod.semver.Semver.compare(semtag, highest) <= 0) {
                    continue;
                }
                walk.reset();
                RevCommit tagged;
                try {
                    tagged = walk.parseCommit(ObjectId.fromString(t.getValue()));
                } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException | MissingObjectException e) {
                    continue;
                }
                if (walk.isMergedInto(tagged, head)) {
                    highest = semtag;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return highest.isEmpty() ? null : prefix + highest;
    }

    /** gitRepo.DescendsFrom: whether {@code tag}'s commit is an ancestor of (or is) {@code hash}. */
    boolean descendsFrom(String hash, String tag) {
        String tagged = refs().get(Constants.R_TAGS + tag);
        if (tagged == null) {
            return false;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(tagged)), walk.parseCommit(ObjectId.fromString(hash)));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The files below {@code subdir} ("" for the root) of commit {@code hash}, paths relative to
     * it, as {@code git archive} lists them: blobs (regular, executable, symbolic links), no
     * submodules. Contents are read when the zip writer opens them.
     */
    List<ModuleFile> files(String hash, String subdir) {
        List<ModuleFile> files = new ArrayList<>();
        String prefix = subdir.isEmpty() ? "" : subdir + "/";
        try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(hash));
            tw.addTree(c.getTree());
            tw.setRecursive(true);
            if (!subdir.isEmpty()) {
                tw.setFilter(PathFilter.create(subdir));
            }
            ObjectReader reader = tw.getObjectReader();
            while (tw.next()) {
                String path = tw.getPathString();
                if (!path.startsWith(prefix)) {
                    continue;
                }
                FileMode mode = tw.getFileMode(0);
                ModuleFile.Type type;
                if (mode == FileMode.SYMLINK) {
                    type = ModuleFile.Type.SYMLINK;
                } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    type = ModuleFile.Type.REGULAR;
                } else {
                    continue;
                }
                ObjectId id = tw.getObjectId(0);
                long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
                files.add(new BlobFile(path.substring(prefix.length()), type, size, id));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private final class BlobFile implements ModuleFile {
        private final String path;
        private final Type type;
        private final long size;
        private final ObjectId id;

        BlobFile(String path, Type type, long size, ObjectId id) {
            this.path = path;
            this.type = type;
            this.size = size;
            this.id = id;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public Type type() {
            return type;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public InputStream open() throws IOException {
            return repo.open(id, Constants.OBJ_BLOB).openStream();
        }

        @Override
        public String toString() {
            return path;
        }
    }

    private long sizeOnDisk() {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private void close() {
        if (repo != null) {
            repo.close();
            repo = null;
        }
        lastFetch = 0;
    }

    private void deleteQuietly() {
        bytes = 0;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover is refetched and measured again next time
        }
    }

    static boolean allHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    static Map<String, String> copy(Map<String, String> m) {
        return new HashMap<>(m);
    }
}

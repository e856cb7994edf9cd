package dev.modproxy.storage.fs;

import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobInfo;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link BlobStore} on a local (or mounted) filesystem: key {@code a/b/c} is the file
 * {@code <root>/a/b/c}.
 *
 * <p>Rules:
 * <ul>
 *   <li><b>All-or-nothing.</b> A put writes to a temp file in the target's own directory
 *       ({@code .tmp#<uuid>}), fsyncs it, and only then gives it the key's name, then fsyncs the
 *       directory. Readers therefore see no file or the whole file. '#' is outside the
 *       {@link BlobKey} alphabet, so no key can ever name a temp file, and {@link #list},
 *       {@link #stat} and {@link #get} never show one. A writer killed mid-write leaves only a
 *       temp file; the constructor deletes temp files older than {@code staleTempAge} (age is
 *       counted from the file's last write, so a slow but live writer keeps its file fresh).</li>
 *   <li><b>Immutability.</b> IMMUTABLE puts publish with {@code link(tmp, target)}, which the
 *       kernel refuses if {@code target} exists: an atomic put-if-absent, so of N concurrent
 *       writers (threads or processes on one host or one POSIX shared filesystem) exactly one
 *       wins. Only where the filesystem has no hard links (probed once at startup) do we fall
 *       back to check-then-{@code rename}; that leaves a window in which two writers of the
 *       same key both win and the later one replaces the earlier, which modproxy tolerates
 *       only because it routes each module to one fetcher.</li>
 *   <li><b>REPLACE</b> publishes with an atomic {@code rename} over the old file.</li>
 *   <li><b>ETags</b> are a hash of the file's identity (device and inode), size and
 *       modification time. Every put publishes a new inode while the old one is still linked,
 *       so a REPLACE always yields a new etag. ETags are not content hashes: the same bytes
 *       written twice get different etags, and copying the tree elsewhere changes them all.</li>
 *   <li><b>Keys vs directories.</b> A key and a longer key below it ({@code a/b} and
 *       {@code a/b/c}) cannot both exist here (one would be a file, the other needs a directory);
 *       the second put fails with a {@link StorageException}. modproxy's key layout never does
 *       this. Empty directories left by {@link #delete} are kept: removing them would race
 *       with a concurrent put into the same directory.</li>
 *   <li><b>Memory.</b> Reads and writes go through one 64 KiB buffer (writes) or the caller's
 *       buffer (reads); no blob is held in memory.</li>
 * </ul>
 */
public final class FsBlobStore implements BlobStore {

    /** Prefix of in-flight files. The '#' keeps them out of the key space. */
    static final String TEMP_PREFIX = ".tmp#";

    /** Temp files untouched for this long belong to a dead writer. */
    public static final Duration DEFAULT_STALE_TEMP_AGE = Duration.ofMinutes(15);

    private static final int WRITE_BUFFER = 64 * 1024;

    private final Path root;
    private final boolean hardLinks;

    /** Opens (creating if needed) a store at {@code root}, cleaning temp files older than 15 minutes. */
    public FsBlobStore(Path root) throws StorageException {
        this(root, DEFAULT_STALE_TEMP_AGE);
    }

    /**
     * Opens (creating if needed) a store at {@code root} and deletes temp files whose last write
     * is older than {@code staleTempAge}. Use a zero age only when no other process is writing
     * under {@code root}.
     */
    public FsBlobStore(Path root, Duration staleTempAge) throws StorageException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(staleTempAge, "staleTempAge");
        try {
            Files.createDirectories(root);
            // The real path, so that the "stays under root" check below compares like with like.
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new StorageException("fs store: cannot open root " + root + ": " + describe(e), e);
        }
        cleanStaleTemps(staleTempAge);
        this.hardLinks = probeHardLinks();
    }

    /** The directory this store keeps its files in. */
    public Path root() {
        return root;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<BlobInfo> stat(BlobKey key) throws StorageException {
        Path path = pathOf(key);
        try {
            return attributes(path).map(a -> info(key, a));
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public Optional<Blob> get(BlobKey key) throws StorageException {
        return open(key, 0, Long.MAX_VALUE);
    }

    @Override
    public Optional<Blob> get(BlobKey key, long offset, long length) throws StorageException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
        }
        return open(key, offset, length);
    }

    private Optional<Blob> open(BlobKey key, long offset, long length) throws StorageException {
        Path path = pathOf(key);
        try {
            // Stat, open, stat again: if both stats name the same inode, the channel we opened is
            // that inode, so the info we return describes the bytes we stream even while a
            // REPLACE renames a new file over the name. Retry the rare lost race.
            for (int attempt = 0; attempt < 5; attempt++) {
                Optional<BasicFileAttributes> before = attributes(path);
                if (before.isEmpty()) {
                    return Optional.empty();
                }
                FileChannel channel;
                try {
                    channel = FileChannel.open(path, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    continue; // deleted or replaced between stat and open
                }
                Optional<BasicFileAttributes> after;
                try {
                    after = attributes(path);
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                Object k1 = before.get().fileKey();
                if (after.isPresent() && Objects.equals(k1, after.get().fileKey())
                        && (k1 != null || before.get().lastModifiedTime().equals(after.get().lastModifiedTime()))) {
                    BlobInfo info = info(key, after.get());
                    long start = Math.min(offset, info.size());
                    long count = Math.min(length, info.size() - start);
                    return Optional.of(new Blob(info, new ChannelInputStream(channel, start, count)));
                }
                channel.close();
            }
            throw new StorageException("fs get " + key + ": blob kept changing while being opened");
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw failure("get", key, e);
        }
    }

    @Override
    public Optional<Path> localFile(BlobKey key) throws StorageException {
        Path path = pathOf(key);
        try {
            return attributes(path).map(a -> path);
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public List<BlobKey> list(String prefix) throws StorageException {
        String p = prefix == null ? "" : prefix;
        // Walk only the deepest directory the prefix fully names ("a/b/c" -> "a/b").
        int slash = p.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : p.substring(0, slash);
        if (!dirPart.isEmpty() && !BlobKey.isValid(dirPart)) {
            return List.of(); // e.g. "a//": no key has an empty segment
        }
        Path start = dirPart.isEmpty() ? root : root.resolve(dirPart).normalize();
        if (!start.startsWith(root) || !Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<BlobKey> keys = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        String rel = relative(file);
                        if (rel.startsWith(p) && BlobKey.isValid(rel)) { // temp files fail isValid
                            keys.add(BlobKey.of(rel));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // a temp file renamed or deleted under us
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new StorageException("fs list \"" + p + "\": " + describe(e), e);
        }
        keys.sort(null);
        return keys;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public boolean put(BlobKey key, InputStream data, long size, WriteMode mode) throws StorageException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mode, "mode");
        Path target = pathOf(key);
        try {
            // Cheap early answer that saves writing a blob we would throw away; the link below
            // is what actually decides.
            if (mode == WriteMode.IMMUTABLE && attributes(target).isPresent()) {
                return false;
            }
            Path dir = target.getParent();
            createDirectoriesDurably(dir);
            Path tmp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
            try {
                writeAndSync(key, tmp, data, size);
                boolean stored;
                if (mode == WriteMode.REPLACE) {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    stored = true;
                } else {
                    stored = publishIfAbsent(tmp, target);
                }
                if (stored) {
                    fsync(dir); // make the new name durable, not just the bytes
                }
                return stored;
            } finally {
                // After a link the temp name is an extra name for the blob; after a rename it is gone.
                deleteQuietly(tmp);
            }
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw failure("put", key, e);
        }
    }

    private void writeAndSync(BlobKey key, Path tmp, InputStream data, long size) throws IOException {
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[WRITE_BUFFER];
            ByteBuffer bb = ByteBuffer.wrap(buf);
            long written = 0;
            int n;
            while ((n = data.read(buf)) != -1) {
                bb.clear().limit(n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                written += n;
            }
            if (size >= 0 && written != size) {
                // A short stream is a truncated download: storing it would be storing a prefix.
                throw new StorageException("fs put " + key + ": stream held " + written
                        + " bytes, expected " + size);
            }
            out.force(true);
        }
    }

    private boolean publishIfAbsent(Path tmp, Path target) throws IOException {
        if (hardLinks) {
            try {
                Files.createLink(target, tmp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        // No hard links here: check-then-rename. rename(2) replaces silently, so two writers
        // racing through this window both "win"; see the class comment.
        if (attributes(target).isPresent()) {
            return false;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    @Override
    public void delete(BlobKey key) throws StorageException {
        Path path = pathOf(key);
        try {
            if (attributes(path).isEmpty()) {
                return; // absent, or a directory (a key prefix, not a blob)
            }
            if (Files.deleteIfExists(path)) {
                fsync(path.getParent());
            }
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public void ping() throws StorageException {
        // A real round trip: create, sync and remove a temp file, so a read-only or full
        // filesystem fails readiness instead of failing the first upload.
        Path probe = root.resolve(TEMP_PREFIX + "ping-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {1}));
                ch.force(true);
            }
        } catch (IOException e) {
            throw new StorageException("fs ping " + root + ": " + describe(e), e);
        } finally {
            deleteQuietly(probe);
        }
    }

    // ---------------------------------------------------------------- helpers

    private Path pathOf(BlobKey key) throws StorageException {
        Objects.requireNonNull(key, "key");
        // BlobKey already rules out "..", absolute paths and odd characters; this is the second lock.
        Path p = root.resolve(key.value()).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new StorageException("fs: key " + key + " resolves outside the store root");
        }
        return p;
    }

    private String relative(Path file) {
        String rel = root.relativize(file).toString();
        return file.getFileSystem().getSeparator().equals("/") ? rel : rel.replace(file.getFileSystem().getSeparator(), "/");
    }

    /** Attributes of a regular file at {@code path}, or empty if there is none there. */
    private Optional<BasicFileAttributes> attributes(Path path) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            // ENOTDIR: a prefix of the key is a file, so the key itself cannot exist.
            if (ancestorIsFile(path)) {
                return Optional.empty();
            }
            throw e;
        }
        return a.isRegularFile() ? Optional.of(a) : Optional.empty();
    }

    private boolean ancestorIsFile(Path path) {
        for (Path p = path.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    private static BlobInfo info(BlobKey key, BasicFileAttributes a) {
        Instant mtime = a.lastModifiedTime().toInstant();
        String identity = "fs1|" + a.fileKey() + "|" + a.size() + "|" + mtime.getEpochSecond() + "." + mtime.getNano();
        return new BlobInfo(key, a.size(), mtime, sha256Prefix(identity));
    }

    private static String sha256Prefix(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** createDirectories, then fsync the parent of every directory it made, so new names survive a crash. */
    private void createDirectoriesDurably(Path dir) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        Files.createDirectories(dir);
        if (existing != null && !existing.equals(dir)) {
            for (Path p = dir.getParent(); p != null; p = p.getParent()) {
                fsync(p);
                if (p.equals(existing)) {
                    break;
                }
            }
        }
    }

    private static void fsync(Path dir) throws IOException {
        // Opening a directory for READ and forcing it is how the JDK exposes fsync(dirfd) on Linux.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Left for the startup cleanup; the name keeps it out of every listing meanwhile.
        }
    }

    private void cleanStaleTemps(Duration age) throws StorageException {
        Instant cutoff = Instant.now().minus(age);
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (file.getFileName().toString().startsWith(TEMP_PREFIX)
                            && !attrs.lastModifiedTime().toInstant().isAfter(cutoff)) {
                        deleteQuietly(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new StorageException("fs store: cannot clean temp files under " + root + ": " + describe(e), e);
        }
    }

    private boolean probeHardLinks() throws StorageException {
        Path a = root.resolve(TEMP_PREFIX + "probe-" + UUID.randomUUID());
        Path b = root.resolve(TEMP_PREFIX + "probe-" + UUID.randomUUID());
        try {
            Files.createFile(a);
            Files.createLink(b, a);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        } catch (FileSystemException e) {
            if (Files.exists(a)) {
                return false; // the file is there but the filesystem refused the link (EPERM, ENOTSUP)
            }
            throw new StorageException("fs store: root " + root + " is not writable: " + describe(e), e);
        } catch (IOException e) {
            throw new StorageException("fs store: root " + root + " is not writable: " + describe(e), e);
        } finally {
            deleteQuietly(a);
            deleteQuietly(b);
        }
    }

    private static StorageException failure(String op, BlobKey key, IOException e) {
        return new StorageException("fs " + op + " " + key + ": " + describe(e), e);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String s = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return s.replaceAll("[\\r\\n]+", " ");
    }

    /** Streams {@code remaining} bytes from {@code position} with positional reads (no buffer of its own). */
    private static final class ChannelInputStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private long remaining;

        ChannelInputStream(FileChannel channel, long position, long remaining) {
            this.channel = channel;
            this.position = position;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int want = (int) Math.min(len, remaining);
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
            if (n == -1) {
                remaining = 0; // cannot happen for an unlinked-but-open file, but never loop
                return -1;
            }
            position += n;
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, remaining));
            position += k;
            remaining -= k;
            return k;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, remaining));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}

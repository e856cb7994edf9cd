package dev.modproxy.storage.s3;

import com.google.common.collect.ImmutableMultimap;
import com.google.common.collect.Multimap;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobInfo;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.ObjectWriteResponse;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import io.minio.messages.Part;
import okhttp3.Headers;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A {@link BlobStore} on an S3-compatible object store (AWS S3, MinIO, ...) through the MinIO
 * Java SDK. Key {@code k} is object {@code <prefix>k} in the bucket.
 *
 * <p>Rules:
 * <ul>
 *   <li><b>All-or-nothing.</b> S3 publishes an object only when its PutObject or
 *       CompleteMultipartUpload succeeds. A put reads at most one part ({@code partSize}, default
 *       16 MiB) into memory: a blob that fits in one part is one PutObject; a larger one is a
 *       multipart upload, part by part, and is aborted (best effort) if the stream or the server
 *       fails, so nothing becomes visible. Parts left by a crashed JVM are invisible to readers;
 *       a bucket lifecycle rule (AbortIncompleteMultipartUpload) reclaims their space.</li>
 *   <li><b>Immutability.</b> An IMMUTABLE put first stats the key (an answer of "already there"
 *       without uploading anything), then uploads with {@code If-None-Match: *} on the request that
 *       publishes (PutObject, or CompleteMultipartUpload — which is where AWS evaluates it; the
 *       SDK's own {@code putObject} would send it on CreateMultipartUpload, hence our own
 *       multipart loop). AWS S3 and MinIO answer 412 if the key appeared meanwhile, and we return
 *       false. Stores that ignore the header (S3Proxy, some gateways) leave a window between our
 *       stat and our publish; within one JVM we close it by letting only one IMMUTABLE put per key
 *       run at a time, and across JVMs modproxy closes it by routing each module to one
 *       fetcher.</li>
 *   <li><b>REPLACE</b> is a plain PUT: S3 swaps whole objects atomically.</li>
 *   <li><b>ETags</b> are S3's (quotes stripped): content MD5 for single-part objects, an MD5 of the
 *       part MD5s plus "-N" for multipart ones. Either changes when the content does.</li>
 *   <li><b>Errors.</b> NoSuchKey is absence ({@link Optional#empty()}); every other failure,
 *       NoSuchBucket included (a missing bucket is an outage, not a missing module), is a
 *       {@link StorageException} whose one-line message names the operation, the key and the S3
 *       error code, and never the credentials.</li>
 * </ul>
 */
public final class S3BlobStore implements BlobStore {

    private static final Multimap<String, String> CONTENT_TYPE =
            ImmutableMultimap.of("Content-Type", "application/octet-stream");
    private static final Multimap<String, String> IF_ABSENT =
            ImmutableMultimap.of("Content-Type", "application/octet-stream", "If-None-Match", "*");
    private static final int MAX_PARTS = 10_000;

    private final Client client;
    private final String bucket;
    private final String region;
    private final String prefix;
    private final int partSize;
    /** IMMUTABLE puts in flight in this JVM, by object name; see the class comment. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> immutableInFlight = new ConcurrentHashMap<>();

    public S3BlobStore(S3Settings settings) throws StorageException {
        Objects.requireNonNull(settings, "settings");
        this.bucket = settings.bucket();
        this.region = settings.region();
        this.prefix = settings.prefix();
        this.partSize = Math.toIntExact(settings.partSize());
        MinioAsyncClient.Builder b = MinioAsyncClient.builder()
                .endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey());
        if (region != null) {
            b.region(region);
        }
        MinioAsyncClient base;
        try {
            base = b.build();
        } catch (RuntimeException e) {
            // The builder's messages name the endpoint at most, never the credentials.
            throw new StorageException("S3: invalid endpoint " + settings.endpoint() + ": " + oneLine(e.getMessage()), e);
        }
        this.client = new Client(base);
        if (settings.createBucket()) {
            try {
                if (!await(client.bucketExists(BucketExistsArgs.builder().bucket(bucket).region(region).build()))) {
                    try {
                        await(client.makeBucket(MakeBucketArgs.builder().bucket(bucket).region(region).build()));
                    } catch (ErrorResponseException e) {
                        String code = e.errorResponse().code();
                        if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                            throw e; // another instance creating it at the same time is fine
                        }
                    }
                }
            } catch (Exception e) {
                close();
                throw failure("create bucket", null, e);
            }
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<BlobInfo> stat(BlobKey key) throws StorageException {
        try {
            StatObjectResponse r = await(client.statObject(
                    StatObjectArgs.builder().bucket(bucket).region(region).object(name(key)).build()));
            return Optional.of(new BlobInfo(key, r.size(), r.lastModified().toInstant(), unquote(r.etag())));
        } catch (Exception e) {
            if (isNoSuchKey(e)) {
                return Optional.empty();
            }
            throw failure("stat", key, e);
        }
    }

    @Override
    public Optional<Blob> get(BlobKey key) throws StorageException {
        return fetch(key, 0, -1);
    }

    @Override
    public Optional<Blob> get(BlobKey key, long offset, long length) throws StorageException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
        }
        if (length == 0) {
            return stat(key).map(info -> new Blob(info, InputStream.nullInputStream()));
        }
        return fetch(key, offset, length);
    }

    /** GET, whole ({@code length} -1) or ranged; the Blob's info always describes the whole blob. */
    private Optional<Blob> fetch(BlobKey key, long offset, long length) throws StorageException {
        GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(bucket).region(region).object(name(key));
        if (length > 0 && length < Long.MAX_VALUE - offset) {
            args.offset(offset).length(length);
        } else if (length > 0 && offset > 0) {
            args.offset(offset); // "bytes=offset-": offset + length would overflow the Range header
        }
        GetObjectResponse r;
        try {
            r = await(client.getObject(args.build()));
        } catch (Exception e) {
            if (isNoSuchKey(e)) {
                return Optional.empty();
            }
            if ("InvalidRange".equals(code(e))) {
                // The range starts at or past the end (or the blob is empty): the blob exists, the
                // answer is no bytes.
                return stat(key).map(info -> new Blob(info, InputStream.nullInputStream()));
            }
            throw failure("get", key, e);
        }
        try {
            return Optional.of(new Blob(infoFromGet(key, r.headers()), r));
        } catch (RuntimeException e) {
            closeQuietly(r);
            throw new StorageException("S3 get " + key + ": unreadable response headers: " + oneLine(e.getMessage()), e);
        }
    }

    private static BlobInfo infoFromGet(BlobKey key, Headers h) {
        long size;
        String range = h.get("Content-Range"); // "bytes 10-19/1234" on a ranged GET
        if (range != null && range.contains("/")) {
            size = Long.parseLong(range.substring(range.lastIndexOf('/') + 1).trim());
        } else {
            size = Long.parseLong(Objects.requireNonNull(h.get("Content-Length"), "Content-Length"));
        }
        String lm = h.get("Last-Modified");
        Instant modified = lm == null ? Instant.EPOCH
                : ZonedDateTime.parse(lm, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return new BlobInfo(key, size, modified, unquote(h.get("ETag")));
    }

    @Override
    public List<BlobKey> list(String keyPrefix) throws StorageException {
        String p = keyPrefix == null ? "" : keyPrefix;
        List<BlobKey> keys = new ArrayList<>();
        try {
            Iterable<Result<Item>> results = client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket).region(region).prefix(prefix + p).recursive(true).build());
            for (Result<Item> result : results) {
                Item item = result.get();
                if (item.isDir()) {
                    continue;
                }
                String rel = item.objectName().substring(prefix.length());
                if (BlobKey.isValid(rel)) { // objects written by others may not be keys; skip them
                    keys.add(BlobKey.of(rel));
                }
            }
        } catch (Exception e) {
            throw new StorageException("S3 list \"" + p + "\": " + describe(e), e);
        }
        keys.sort(null);
        return keys;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public boolean put(BlobKey key, InputStream data, long size, WriteMode mode) throws StorageException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mode, "mode");
        String name = name(key);
        if (mode == WriteMode.REPLACE) {
            return upload(key, name, data, size, false);
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> other;
        while ((other = immutableInFlight.putIfAbsent(name, mine)) != null) {
            other.join(); // completes normally whatever the other put's outcome
        }
        try {
            if (stat(key).isPresent()) {
                return false;
            }
            return upload(key, name, data, size, true);
        } finally {
            immutableInFlight.remove(name, mine);
            mine.complete(null);
        }
    }

    private boolean upload(BlobKey key, String name, InputStream data, long size, boolean ifAbsent)
            throws StorageException {
        // A blob of known size below a part gets a buffer of its size plus one (the one shows a
        // stream longer than declared): most puts are small (catalog markers, log entries,
        // tiles), and a part buffer each (16 MiB by default) made concurrent small puts cost GBs.
        boolean small = size >= 0 && size < partSize;
        byte[] buf = new byte[small ? (int) size + 1 : partSize];
        PushbackInputStream in = new PushbackInputStream(data, 1);
        long total = 0;
        int n;
        boolean last;
        try {
            n = readFully(in, buf);
            total += n;
            last = atEnd(in);
        } catch (IOException e) {
            throw failure("put", key, e);
        }
        if (small && n > size) {
            checkSize(key, total, size); // longer than declared: refused
        }
        if (last) {
            checkSize(key, total, size);
            try {
                await(client.putBytes(bucket, region, name, buf, n, ifAbsent ? IF_ABSENT : CONTENT_TYPE));
                return true;
            } catch (Exception e) {
                return lostRace(key, e, ifAbsent);
            }
        }

        String uploadId;
        try {
            uploadId = await(client.createMultipartUploadAsync(bucket, region, name, CONTENT_TYPE, null))
                    .result().uploadId();
        } catch (Exception e) {
            throw failure("put", key, e);
        }
        boolean completed = false;
        try {
            List<Part> parts = new ArrayList<>();
            for (int partNumber = 1; ; partNumber++) {
                if (partNumber > MAX_PARTS) {
                    throw new StorageException("S3 put " + key + ": more than " + MAX_PARTS + " parts of "
                            + partSize + " bytes; raise the part size");
                }
                String etag = await(client.uploadPartAsync(bucket, region, name, buf, n, uploadId, partNumber, null, null))
                        .etag();
                parts.add(new Part(partNumber, etag));
                if (last) {
                    break;
                }
                n = readFully(in, buf);
                total += n;
                last = atEnd(in);
            }
            checkSize(key, total, size);
            try {
                await(client.completeMultipartUploadAsync(bucket, region, name, uploadId,
                        parts.toArray(new Part[0]), ifAbsent ? IF_ABSENT : null, null));
            } catch (Exception e) {
                return lostRace(key, e, ifAbsent);
            }
            completed = true;
            return true;
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            throw failure("put", key, e);
        } finally {
            if (!completed) {
                abortQuietly(name, uploadId);
            }
        }
    }

    /** A failed publish: false if it was the If-None-Match precondition, else a StorageException. */
    private boolean lostRace(BlobKey key, Exception e, boolean ifAbsent) throws StorageException {
        String code = code(e);
        if (ifAbsent && "PreconditionFailed".equals(code)) {
            return false;
        }
        if (ifAbsent && "ConditionalRequestConflict".equals(code) && stat(key).isPresent()) {
            return false; // AWS: a concurrent conditional write to the key won
        }
        throw failure("put", key, e);
    }

    private void abortQuietly(String name, String uploadId) {
        try {
            await(client.abortMultipartUploadAsync(bucket, region, name, uploadId, null, null));
        } catch (Exception ignored) {
            // Invisible to readers either way; a lifecycle rule reclaims the parts.
        }
    }

    private static void checkSize(BlobKey key, long total, long size) throws StorageException {
        if (size >= 0 && total != size) {
            // A short stream is a truncated download: publishing it would publish a prefix.
            throw new StorageException("S3 put " + key + ": stream held " + total + " bytes, expected " + size);
        }
    }

    private static int readFully(InputStream in, byte[] buf) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int r = in.read(buf, off, buf.length - off);
            if (r == -1) {
                break;
            }
            off += r;
        }
        return off;
    }

    private static boolean atEnd(PushbackInputStream in) throws IOException {
        int b = in.read();
        if (b == -1) {
            return true;
        }
        in.unread(b);
        return false;
    }

    @Override
    public void delete(BlobKey key) throws StorageException {
        try {
            await(client.removeObject(RemoveObjectArgs.builder().bucket(bucket).region(region).object(name(key)).build()));
        } catch (Exception e) {
            if (isNoSuchKey(e)) {
                return;
            }
            throw failure("delete", key, e);
        }
    }

    @Override
    public void ping() throws StorageException {
        boolean exists;
        try {
            exists = await(client.bucketExists(BucketExistsArgs.builder().bucket(bucket).region(region).build()));
        } catch (Exception e) {
            throw failure("ping", null, e);
        }
        if (!exists) {
            throw new StorageException("S3 ping: bucket " + bucket + " does not exist (NoSuchBucket)");
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception ignored) {
            // Closing only releases idle connections and threads.
        }
    }

    // ---------------------------------------------------------------- helpers

    private String name(BlobKey key) {
        return prefix + Objects.requireNonNull(key, "key").value();
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private static Exception unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Exception ? (Exception) t : new RuntimeException(t);
    }

    private static String code(Exception e) {
        Exception u = unwrap(e);
        if (u instanceof ErrorResponseException) {
            return ((ErrorResponseException) u).errorResponse().code();
        }
        return null;
    }

    private static boolean isNoSuchKey(Exception e) {
        String c = code(e);
        return "NoSuchKey".equals(c) || "NoSuchObject".equals(c);
    }

    private StorageException failure(String op, BlobKey key, Exception e) {
        if (e instanceof StorageException) {
            return (StorageException) e;
        }
        return new StorageException("S3 " + op + (key == null ? "" : " " + key) + " (bucket " + bucket + "): "
                + describe(e), e);
    }

    /** One line: the S3 error code and HTTP status, or the exception's class and message. */
    private static String describe(Exception e) {
        Exception u = unwrap(e);
        if (u instanceof ErrorResponseException) {
            ErrorResponseException ere = (ErrorResponseException) u;
            String status = ere.response() == null ? "" : " (HTTP " + ere.response().code() + ")";
            return ere.errorResponse().code() + status;
        }
        if (u instanceof InterruptedException) {
            return "interrupted";
        }
        return u.getClass().getSimpleName() + (u.getMessage() == null ? "" : ": " + oneLine(u.getMessage()));
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.replaceAll("[\\r\\n]+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        return etag.replace("\"", "");
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }

    /** Opens up the SDK's PutObject-from-byte[] (protected), so a part is sent without a second copy. */
    private static final class Client extends MinioAsyncClient {
        Client(MinioAsyncClient base) {
            super(base);
        }

        CompletableFuture<ObjectWriteResponse> putBytes(String bucket, String region, String name, byte[] data,
                                                        int length, Multimap<String, String> headers) throws Exception {
            return putObjectAsync(bucket, region, name, data, length, headers, null);
        }
    }
}

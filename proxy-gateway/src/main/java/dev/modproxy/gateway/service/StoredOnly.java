package dev.modproxy.gateway.service;

import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.gomod.semver.PseudoVersion;
import dev.modproxy.gomod.semver.Semver;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.catalog.Catalog;
import dev.modproxy.storage.layout.ModuleLayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers a request that carries {@value #HEADER}{@code : true}, the request header
 * proxy.golang.org honours: only from what is stored, never by fetching.
 * <ul>
 *   <li>{@code .info}, {@code .mod}, {@code .zip}: the stored file (the caller has already looked
 *       in memory and storage); a miss is 404 with the reason.</li>
 *   <li>{@code list}: the upstream list last stored by a fetcher, merged with the versions
 *       stored here, in semver order; 404 when there is neither.</li>
 *   <li>{@code @latest}: the {@code @latest} answer last stored by a fetcher; 404 without one.</li>
 *   <li>A query ({@code .info} of a branch, prefix, ...): only an answer still in the gateway's
 *       memory; otherwise 404, since resolving it means asking an upstream.</li>
 * </ul>
 * The answers are served with {@code Cache-Control: no-cache} and are not put in the memory
 * cache: they may be older than what a fetch would give.
 */
final class StoredOnly {

    static final String HEADER = "Disable-Module-Fetch";

    private final BlobStore store;
    private final Catalog catalog;

    StoredOnly(BlobStore store) {
        this.store = store;
        this.catalog = new Catalog(store);
    }

    /** Whether the request's header value asks for stored answers only (proxy.golang.org: "true"). */
    static boolean requested(String headerValue) {
        return headerValue != null && headerValue.strip().equalsIgnoreCase("true");
    }

    Artifact answer(ProxyRequest request) throws ProxyException {
        try {
            switch (request.type()) {
                case LIST -> {
                    Set<String> versions = new LinkedHashSet<>(lines(read(ModuleLayout.listCache(request.module()))));
                    boolean known = !versions.isEmpty() || store.stat(ModuleLayout.listCache(request.module())).isPresent();
                    catalog.stored(request.module()).stream().map(mv -> mv.version())
                            .filter(v -> !PseudoVersion.isPseudoVersion(v)).forEach(versions::add);
                    if (versions.isEmpty() && !known) {
                        throw miss(request);
                    }
                    List<String> sorted = new ArrayList<>(versions);
                    Semver.sort(sorted);
                    StringBuilder b = new StringBuilder();
                    sorted.forEach(v -> b.append(v).append('\n'));
                    return answer(b.toString().getBytes(StandardCharsets.UTF_8), Artifact.TEXT);
                }
                case LATEST -> {
                    return answer(read(ModuleLayout.latestCache(request.module())).orElseThrow(() -> miss(request)),
                            Artifact.JSON);
                }
                default -> throw miss(request);
            }
        } catch (StorageException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
        }
    }

    static ProxyException miss(ProxyRequest request) {
        return new ProxyException(Kind.NOT_FOUND, request + ": not stored, and fetching was disabled by the "
                + HEADER + " header");
    }

    private static Artifact answer(byte[] body, String type) {
        return new Artifact.InMemory(body, type, null, null, "no-cache", false);
    }

    private Optional<byte[]> read(dev.modproxy.storage.BlobKey key) throws StorageException, IOException {
        Optional<Blob> b = store.get(key);
        if (b.isEmpty()) {
            return Optional.empty();
        }
        try (Blob blob = b.get()) {
            return Optional.of(blob.stream().readAllBytes());
        }
    }

    private static List<String> lines(Optional<byte[]> body) {
        List<String> out = new ArrayList<>();
        body.ifPresent(b -> {
            for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
                String v = line.strip().split("\\s+", 2)[0];
                if (Semver.isValid(v)) {
                    out.add(v);
                }
            }
        });
        return out;
    }
}

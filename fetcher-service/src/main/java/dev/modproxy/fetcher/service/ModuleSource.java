package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModuleVersion;

import java.nio.file.Path;

/**
 * Where module versions come from: an upstream proxy ({@link ProxySource}) or version control
 * ({@code direct}, {@link dev.modproxy.fetcher.vcs.DirectSource}). Both answer the five GOPROXY
 * lookups with the bytes a proxy would serve; the fetcher checks them the same way whatever the
 * source. "Does not exist" is {@code NOT_FOUND}/{@code GONE}, which lets a {@code ,} list go on.
 */
public interface ModuleSource {

    /** The upstream URL, or "direct"; recorded as where a version came from. */
    String name();

    /** {@code @v/list}: tagged versions, one per line. */
    byte[] list(ModulePath module) throws FetchException;

    /** {@code @latest}: the .info of the version {@code go get m@latest} would pick. */
    byte[] latest(ModulePath module) throws FetchException;

    /** {@code @v/V.info} for a canonical version or a query (branch, hash, version prefix). */
    byte[] info(ModulePath module, String versionOrQuery) throws FetchException;

    /** {@code @v/V.mod}. */
    byte[] mod(ModuleVersion mv) throws FetchException;

    /** {@code @v/V.zip}, written to {@code target}; returns its size. */
    long zip(ModuleVersion mv, Path target) throws FetchException;
}

package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Collapses concurrent calls with the same key into one: the first caller runs the work, the
 * others wait for its result (or its failure). Nothing is remembered after the call ends;
 * storage is the cache. With the gateway routing each module to one fetcher, this makes 50
 * concurrent cold requests for a version one upstream download.
 */
public final class SingleFlight<T> {

    @FunctionalInterface
    public interface Work<T> {
        T run() throws FetchException;
    }

    private final ConcurrentHashMap<String, CompletableFuture<T>> inFlight = new ConcurrentHashMap<>();

    public T run(String key, Work<T> work) throws FetchException {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> theirs = inFlight.putIfAbsent(key, mine);
        if (theirs != null) {
            return await(theirs);
        }
        try {
            T value = work.run();
            mine.complete(value);
            return value;
        } catch (FetchException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** Number of keys being worked on (for metrics and tests). */
    public int size() {
        return inFlight.size();
    }

    /** The future's value; its FetchException (or unchecked exception) rethrown as itself. */
    static <T> T await(CompletableFuture<T> f) throws FetchException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(FetchException.Kind.UNAVAILABLE, "interrupted while waiting for a fetch");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FetchException fe) {
                throw fe;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}

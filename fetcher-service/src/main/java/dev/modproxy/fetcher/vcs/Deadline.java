package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The total deadline of one direct request ({@code modproxy.vcs.deadline}): go-import discovery,
 * ls-remote, the git fetch and the wait for the mirror's lock together. JGit's own timeout and
 * the JDK's read timeouts are idle timeouts (per read), so a server that drip-feeds one byte a
 * second is never cut off by them; here a watchdog thread disconnects every connection the
 * request has open when the time is up, which breaks the blocked read. The request then fails
 * with 504 and gives its fetch slot back: a slot can never be held longer than the deadline.
 *
 * <p>The deadline belongs to the thread running the request ({@link #current()}); connections
 * made for it register themselves ({@link #register}) and leave when closed.
 */
final class Deadline implements AutoCloseable {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vcs-deadline");
        t.setDaemon(true);
        return t;
    });

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    /** What the watchdog can break off: an open connection. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    private final Duration budget;
    private final long end;
    private final Set<Cancellable> open = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> timer;
    private final Deadline outer;
    private volatile boolean expired;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.end = System.nanoTime() + budget.toNanos();
        this.outer = CURRENT.get();
        this.timer = WATCHDOG.schedule(this::expire, budget.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts a deadline for the work this thread does until {@link #close()}. A thread already
     * inside a deadline keeps the outer one (a query resolving, then fetching, one version).
     */
    static Deadline start(Duration budget) {
        Deadline d = new Deadline(budget);
        CURRENT.set(d.outer != null ? d.outer : d);
        return d;
    }

    /** The deadline of this thread's request; one far away when there is none (tools, tests). */
    static Deadline current() {
        Deadline d = CURRENT.get();
        return d != null ? d : NONE;
    }

    private static final Deadline NONE = new Deadline(Duration.ofDays(3650));

    private void expire() {
        expired = true;
        for (Cancellable c : open) {
            c.cancel();
        }
    }

    /** Registers an open connection; one opened after the deadline is cut at once. */
    void register(Cancellable c) {
        if (this == NONE) {
            return; // nothing will cut it, and nothing would ever drop it from the set
        }
        open.add(c);
        if (expired) {
            c.cancel();
        }
    }

    void unregister(Cancellable c) {
        open.remove(c);
    }

    boolean expired() {
        return expired || System.nanoTime() - end >= 0;
    }

    long remainingMillis() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
    }

    /** Fails when the time is up, before starting more work. */
    void check(String what, String url) throws FetchException {
        if (expired()) {
            throw timeout(what, url);
        }
    }

    FetchException timeout(String what, String url) {
        return new FetchException(Kind.UPSTREAM_TIMEOUT, what + ": " + url + " did not finish within "
                + budget.toSeconds() + "s (modproxy.vcs.deadline)", "direct", null);
    }

    @Override
    public void close() {
        timer.cancel(false);
        if (outer == null) {
            CURRENT.remove();
        }
    }
}

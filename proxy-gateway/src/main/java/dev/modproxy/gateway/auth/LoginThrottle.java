package dev.modproxy.gateway.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed logins counted per key (a client address, a user name) in fixed one-minute windows:
 * past {@code max} failures in a window, that key's next attempts are refused without a
 * password check until the window ends. Both a password guesser on one address and a spread
 * attack on one user name are slowed, and the bcrypt work an anonymous client can cause is
 * bounded. Bounded memory: past {@code maxKeys} keys, windows that ended are dropped, and if
 * that is not enough, all of them (which errs on the side of letting a client try again).
 */
final class LoginThrottle {

    static final long WINDOW_NANOS = 60_000_000_000L;

    private final int max;
    private final int maxKeys;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long start, int failures) {
    }

    LoginThrottle(int max, int maxKeys, LongSupplier clock) {
        this.max = max;
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** Nanoseconds until {@code key} may try again, or 0 when it may now. */
    long blockedFor(String key) {
        if (max <= 0) {
            return 0;
        }
        Window w = windows.get(key);
        long now = clock.getAsLong();
        if (w == null || now - w.start() >= WINDOW_NANOS || w.failures() < max) {
            return 0;
        }
        return WINDOW_NANOS - (now - w.start());
    }

    /**
     * Counts an attempt before its password is checked, so parallel guesses cannot all pass the
     * {@link #blockedFor} check while the first ones are still being hashed; a success gives the
     * count back ({@link #succeeded}).
     */
    void attempt(String key) {
        failed(key);
    }

    /** Gives back the count of an attempt that turned out right. */
    void succeeded(String key) {
        if (max <= 0) {
            return;
        }
        windows.computeIfPresent(key, (k, w) -> w.failures() <= 1 ? null : new Window(w.start(), w.failures() - 1));
    }

    void failed(String key) {
        if (max <= 0) {
            return;
        }
        long now = clock.getAsLong();
        if (windows.size() >= maxKeys) {
            windows.values().removeIf(w -> now - w.start() >= WINDOW_NANOS);
            if (windows.size() >= maxKeys) {
                windows.clear();
            }
        }
        windows.compute(key, (k, w) -> w == null || now - w.start() >= WINDOW_NANOS
                ? new Window(now, 1) : new Window(w.start(), w.failures() + 1));
    }
}

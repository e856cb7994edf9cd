package dev.modproxy.gateway.qos;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled at {@code rate} per second; a
 * request takes one. Time is passed in (nanoseconds), so tests need no sleeping.
 */
final class TokenBucket {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    TokenBucket(double ratePerSecond, int burst, long now) {
        this.perNano = ratePerSecond / 1e9;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.last = now;
    }

    /** Takes a token: 0 if there was one, else the nanoseconds until there will be. */
    synchronized long take(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perNano);
    }

    /** Gives back a token taken for work that then did not happen. */
    synchronized void refund() {
        tokens = Math.min(burst, tokens + 1);
    }

    /** Full again: indistinguishable from a new bucket, so it can be forgotten. */
    synchronized boolean isFull(long now) {
        refill(now);
        return tokens >= burst;
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perNano);
            last = now;
        }
    }
}

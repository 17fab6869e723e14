package fr.publipostage.mailing;

import java.time.Duration;

/**
 * Messages per minute of one instance, evenly spaced (60 s / rate between two messages); 0 = no
 * limit. {@link #acquire} waits on the worker's stop signal, so stopping never waits for a slot.
 */
final class RateLimiter {
    interface Sleeper {
        /** Waits up to {@code nanos}; false when stopping. */
        boolean sleep(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private long nextFree = System.nanoTime();

    RateLimiter(int perMinute) {
        this.intervalNanos = perMinute <= 0 ? 0 : Duration.ofMinutes(1).toNanos() / perMinute;
    }

    boolean unlimited() {
        return intervalNanos == 0;
    }

    /** Waits for the next slot; false when the sleeper was told to stop. */
    synchronized boolean acquire(Sleeper sleeper) throws InterruptedException {
        if (intervalNanos == 0) return true;
        long now = System.nanoTime();
        long wait = nextFree - now;
        if (wait > 0 && !sleeper.sleep(wait)) return false;
        nextFree = Math.max(nextFree, now) + intervalNanos;
        return true;
    }

    /** How many slots come up within {@code window} (at least 1): a claim never takes more. */
    synchronized int slotsWithin(Duration window) {
        if (intervalNanos == 0) return Integer.MAX_VALUE;
        long from = Math.max(nextFree, System.nanoTime());
        long span = System.nanoTime() + window.toNanos() - from;
        return (int) Math.max(1, span / intervalNanos + 1);
    }
}

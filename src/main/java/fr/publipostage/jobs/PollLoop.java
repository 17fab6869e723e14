package fr.publipostage.jobs;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's background thread: runs a pass again and again, waits {@code poll} when a pass found
 * nothing to do (or failed: database unreachable, a bug), and stops cleanly — {@link #shutdown} wakes
 * any wait and lets the pass in progress finish, for at most the grace given.
 */
public final class PollLoop {
    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);

    /** One pass; true when it did some work (the next pass starts at once). */
    @FunctionalInterface
    public interface Pass {
        boolean run() throws InterruptedException;
    }

    private final String name;
    private final Duration poll;
    private final Pass pass;
    private final Runnable onExit;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean stopping;
    private Thread thread;

    /** @param onExit run by the thread when it ends (closing a connection it kept) */
    public PollLoop(String name, Duration poll, Pass pass, Runnable onExit) {
        this.name = name;
        this.poll = poll;
        this.pass = pass;
        this.onExit = onExit;
    }

    /** Starts the thread (once; never after a shutdown). */
    public synchronized void start() {
        if (thread != null || stopping) return;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    public boolean stopping() {
        return stopping;
    }

    /** Waits {@code nanos}; returns false at once, or as soon as a shutdown begins. */
    public boolean pause(long nanos) throws InterruptedException {
        if (nanos <= 0) return !stopping;
        return !stop.await(nanos, TimeUnit.NANOSECONDS) && !stopping;
    }

    private void loop() {
        try {
            while (!stopping) {
                try {
                    if (!pass.run()) pause(poll.toNanos());
                } catch (RuntimeException e) {
                    LOG.warn("{} pass failed: {}", name, e.toString());
                    pause(Math.max(poll.toNanos(), TimeUnit.SECONDS.toNanos(1)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (onExit != null) onExit.run();
        }
    }

    /** Asks the loop to stop: no new pass starts, a wait ends at once, the pass in progress goes on. */
    public void stop() {
        stopping = true;
        stop.countDown();
    }

    /**
     * Stops ({@link #stop}) and waits up to {@code grace} for the pass in progress; returns false when
     * it is still running then.
     */
    public boolean shutdown(Duration grace) {
        stop();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            if (onExit != null) onExit.run();
            return true;
        }
        try {
            t.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) LOG.warn("{} still busy after {} s; its leases are handed back anyway", name, grace.toSeconds());
        return !t.isAlive();
    }
}

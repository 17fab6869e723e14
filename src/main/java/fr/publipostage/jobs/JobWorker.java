package fr.publipostage.jobs;

import java.io.OutputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's job loop: every poll it puts back jobs whose worker died (no heartbeat), deletes
 * expired results, and claims and runs queued jobs one at a time (the PDF engine itself uses every
 * core). Several instances on one PostgreSQL each run one; a job goes to exactly one of them.
 */
public final class JobWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);

    /** What running a job means (the letters service). */
    public interface Handler {
        /**
         * Runs the job, writing its result to {@code result} and reporting through {@code context}.
         *
         * @return the outcome to record
         */
        Outcome run(LetterJob job, Context context, OutputStream result) throws Exception;
    }

    /** What the handler may ask while it runs. */
    public interface Context {
        /** Records progress; returns true when the job must stop (cancel requested). */
        boolean progress(int pagesDone, int pagesTotal);
    }

    /** How a job ended: done (accounts, pages, bytes), or failed with an i18n message. */
    public record Outcome(String state, Integer accounts, Integer pages, Long bytes, String errorKey, String errorArgsJson) {
        public static Outcome done(int accounts, int pages, long bytes) {
            return new Outcome(LetterJob.DONE, accounts, pages, bytes, null, null);
        }

        public static Outcome failed(String key, String argsJson) {
            return new Outcome(LetterJob.FAILED, null, null, null, key, argsJson);
        }

        public static Outcome cancelled() {
            return new Outcome(LetterJob.CANCELLED, null, null, null, "job.cancelled", null);
        }
    }

    private final JobStore store;
    private final Handler handler;
    private final String name;
    private final long ttlSeconds;
    private final int staleSeconds;
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> loop;

    public JobWorker(JobStore store, Handler handler, String name, long ttlSeconds, int staleSeconds,
                     ScheduledExecutorService scheduler) {
        this.store = store;
        this.handler = handler;
        this.name = name;
        this.ttlSeconds = ttlSeconds;
        this.staleSeconds = staleSeconds;
        this.scheduler = scheduler;
    }

    /** Starts polling every {@code pollMillis}. */
    public synchronized void start(long pollMillis) {
        if (loop == null) loop = scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("job poll failed: {}", e.toString());
        }
    }

    /** One round: housekeeping, then run queued jobs until none is left. Returns how many ran. */
    public int poll() {
        store.requeueStale(staleSeconds);
        store.expire();
        int ran = 0;
        while (true) {
            var job = store.claim(name);
            if (job.isEmpty()) return ran;
            runOne(job.get());
            ran++;
        }
    }

    private void runOne(LetterJob job) {
        store.deleteResult(job.id()); // parts of an earlier, interrupted attempt
        Outcome outcome;
        long[] last = {0};
        boolean[] stop = {false};
        Context context = (done, total) -> {
            long now = System.nanoTime();
            if (now - last[0] > 300_000_000L || done >= total) {
                last[0] = now;
                stop[0] = store.progress(job.id(), name, done, total);
            }
            return stop[0];
        };
        try (OutputStream result = store.resultStream(job.id())) {
            outcome = handler.run(job, context, result);
        } catch (Exception e) {
            LOG.warn("letter job {} failed: {}", job.id(), e.toString());
            outcome = Outcome.failed("job.failed", "[\"" + String.valueOf(e.getMessage()).replace("\\", "\\\\").replace("\"", "'").replaceAll("[\\x00-\\x1f]", " ") + "\"]");
        }
        if (!outcome.state().equals(LetterJob.DONE)) store.deleteResult(job.id());
        store.finish(job.id(), name, outcome.state(), outcome.accounts(), outcome.bytes(), outcome.pages(),
                outcome.errorKey(), outcome.errorArgsJson(), ttlSeconds);
    }

    @Override
    public synchronized void close() {
        if (loop != null) loop.cancel(false);
        loop = null;
    }
}

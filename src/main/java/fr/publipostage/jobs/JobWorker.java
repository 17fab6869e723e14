package fr.publipostage.jobs;

import java.io.OutputStream;
import java.time.Duration;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's letter-job loop: every poll it takes back jobs whose lease expired (their instance
 * died or froze), deletes expired results, and claims and runs queued jobs one at a time (the PDF
 * engine itself uses every core). Jobs are held under a {@link Lease} renewed by the engine's own
 * heartbeat, which also writes the job's progress and reads its cancel flag; every write of the
 * result is fenced, so an instance that lost a job changes nothing of it.
 */
public final class JobWorker {
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
        /**
         * Records progress (written by the next heartbeat); returns true when the job must stop: a
         * cancel was requested, the instance is shutting down, or the lease was lost.
         */
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
    private final Leases leases;
    private final Handler handler;
    private final Duration leaseDuration;
    private final long ttlSeconds;
    private final WorkEvents events;
    private PollLoop loop;
    private volatile boolean stopping;

    /**
     * @param leaseDuration how long a job's lease lasts without a heartbeat: after a crash, another
     *                      instance takes the job over this long after the last heartbeat
     */
    public JobWorker(JobStore store, Leases leases, Handler handler, Duration leaseDuration, long ttlSeconds,
                     WorkEvents events) {
        this.store = store;
        this.leases = leases;
        this.handler = handler;
        this.leaseDuration = leaseDuration;
        this.ttlSeconds = ttlSeconds;
        this.events = events;
    }

    /** Starts polling every {@code pollMillis} (and records this instance among those sharing the database). */
    public synchronized void start(long pollMillis) {
        if (loop != null || stopping) return;
        leases.register(null);
        loop = new PollLoop("letter-jobs", Duration.ofMillis(pollMillis), () -> poll() > 0, null);
        loop.start();
    }

    /** One round: take back expired jobs, housekeeping, then run queued jobs until none is left. */
    public int poll() {
        if (stopping || !leases.accepting()) return 0;
        leases.takeBackExpired(JobStore.KIND, store.requeue());
        store.expire();
        int ran = 0;
        while (!stopping) {
            Run run = new Run();
            var claimed = leases.claim(JobStore.KIND, leaseDuration, store.nextQueued(), run::beat, store.requeue());
            if (claimed.isEmpty()) return ran;
            run.start(claimed.get().lease(), claimed.get().work());
            runOne(run, claimed.get().work());
            ran++;
        }
        return ran;
    }

    /** One job under its lease: what the handler sees of the heartbeat, and why it must stop. */
    private final class Run implements Context {
        private volatile Lease lease;
        private volatile int pagesDone;
        private volatile int pagesTotal;
        private volatile boolean cancelRequested;
        private volatile boolean refused;

        void start(Lease lease, LetterJob job) {
            this.lease = lease;
            this.pagesTotal = job.pagesTotal();
        }

        /** On the heartbeat's thread: progress written, cancel flag read, both fenced. */
        void beat(SqlSession session, Lease l) {
            if (lease == null) return; // claimed a moment ago, not started yet
            Boolean cancel = store.progress(session, l.fence(), l.subject(), pagesDone, pagesTotal);
            if (cancel == null) refused = true;
            else cancelRequested = cancel;
        }

        @Override
        public boolean progress(int done, int total) {
            pagesDone = done;
            pagesTotal = total;
            return cancelRequested || stopping || lostLease();
        }

        boolean lostLease() {
            Lease l = lease;
            return refused || l == null || !l.held();
        }
    }

    /** Runs one job; the lease is handed back at the end whatever happened (unfinished work goes back). */
    private void runOne(Run run, LetterJob job) {
        Lease lease = run.lease;
        try {
            Outcome outcome = null;
            try (OutputStream result = store.resultStream(lease.fence(), job.id())) {
                outcome = handler.run(job, run, result);
            } catch (LeaseLost e) {
                leases.refused(lease, "result of letter job " + job.id());
            } catch (Exception e) {
                if (!run.lostLease()) {
                    // The cause is for the maintainer's log; the admin is told the job number to quote.
                    LOG.error("letter job {} failed", job.id(), e);
                    outcome = Outcome.failed("job.failed", "[\"#" + job.id() + "\"]");
                }
            }
            if (outcome == null || run.lostLease()) {
                LOG.warn("letter job {}: lease lost ({}), nothing of it is written by this instance", job.id(), lease);
            } else if (stopping && !run.cancelRequested && !outcome.state().equals(LetterJob.DONE)) {
                LOG.info("letter job {} handed back on shutdown", job.id()); // the release puts it back in the queue
            } else if (store.finish(lease.fence(), job.id(), outcome.state(), outcome.accounts(), outcome.bytes(),
                    outcome.pages(), outcome.errorKey(), outcome.errorArgsJson(), ttlSeconds)) {
                events.jobFinished(outcome.state());
            } else {
                leases.refused(lease, "outcome of letter job " + job.id());
            }
        } finally {
            leases.release(lease);
        }
    }

    /**
     * Stops taking jobs; a job running now stops at its next chunk (the chunks in flight are finished
     * or abandoned) and goes back to the queue. Waits up to {@code grace} for that.
     */
    public void shutdown(Duration grace) {
        stop();
        PollLoop l;
        synchronized (this) {
            l = loop;
        }
        if (l != null) l.shutdown(grace);
    }

    /** Asks the job in hand to stop at its next chunk, without waiting ({@link #shutdown} waits). */
    public void stop() {
        stopping = true;
        PollLoop l;
        synchronized (this) {
            l = loop;
        }
        if (l != null) l.stop();
    }

    /** Stops, waiting up to 30 s for the job in hand to be handed back. */
    public void close() {
        shutdown(Duration.ofSeconds(30));
    }
}

package fr.publipostage.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease engine every kind of background work goes through (letter jobs, campaign batches), one
 * per instance:
 * <ul>
 * <li><b>claim</b>: in one transaction, the queue picks its work with {@code FOR UPDATE SKIP LOCKED},
 * a lease row is granted (a new epoch, this owner, a duration sized from the work's own deadline) and
 * the queue binds the work to it;</li>
 * <li><b>heartbeat</b> on its own timer thread: every tick one statement renews all this instance's
 * leases, whatever the workers are doing (rendering, merging, uploading, waiting for an SMTP reply); a
 * lease the database no longer renews is lost, and the queue's {@link Beat} runs (progress, "was it
 * cancelled?");</li>
 * <li><b>fence</b>: every write and delete of the work's results, parts and ledger rows carries the
 * lease's {@link Lease.Fence} and checks it in the same statement ({@code lease_holds}), so a worker
 * that lost its lease changes nothing;</li>
 * <li><b>take back</b>: any instance revokes expired leases and the queue puts their work back;</li>
 * <li><b>release</b>: the holder hands a lease back at once — when the work is recorded, or on
 * shutdown, when the queue puts the unfinished part back so that other instances resume it without
 * waiting for the lease to expire.</li>
 * </ul>
 * No method holds a pooled connection while it waits for another one.
 */
public final class Leases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);
    private static final long HOUSEKEEPING_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** The queue's half of a claim, run inside the claim's transaction. */
    public interface Claim<T> {
        /** Finds and locks what to take ({@code FOR UPDATE SKIP LOCKED}): its subject id, or null for none. */
        Long pick(SqlSession tx);

        /**
         * Puts the picked work under the new lease (same transaction); returns what the worker needs,
         * or null when there is nothing to take after all (the transaction is rolled back).
         */
        T bind(SqlSession tx, Lease lease);
    }

    /** How a queue puts back the unfinished work of leases that ended (expired, or handed back). */
    @FunctionalInterface
    public interface PutBack {
        /**
         * @param expired true when the leases ran out (their holder may have been in the middle of
         *                something), false when their holder handed them back cleanly
         */
        void putBack(SqlSession tx, List<Long> epochs, boolean expired);
    }

    /** What a queue does at each heartbeat of one of its live leases, in the heartbeat's session. */
    @FunctionalInterface
    public interface Beat {
        void beat(SqlSession session, Lease lease);
    }

    /** A claimed piece of work and the lease it is held under. */
    public record Claimed<T>(Lease lease, T work) {
    }

    private record Held(Lease lease, Beat beat, PutBack putBack) {
    }

    private final SqlSessionFactory sessions;
    private final String owner;
    private final WorkEvents events;
    private final Duration tick;
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    /**
     * Leases the heartbeat found expired (this instance froze past them) that nobody took back yet:
     * their holder still hands them back ({@link #release}), and the put-back must then run, or the
     * released lease hides the work from every {@link #takeBackExpired} for ever.
     */
    private final Map<Long, Held> lost = new ConcurrentHashMap<>();
    private final Object timerLock = new Object();
    private ScheduledExecutorService timer;
    private volatile boolean accepting = true;
    private volatile boolean registered;
    private volatile String mailRoute;
    private volatile boolean closed;
    private long lastHousekeeping = System.nanoTime() - HOUSEKEEPING_NANOS;

    /**
     * @param owner this instance's id, recorded on its leases
     * @param tick  how often the heartbeat renews the leases (a quarter of the shortest lease or less)
     */
    public Leases(SqlSessionFactory sessions, String owner, WorkEvents events, Duration tick) {
        this.sessions = sessions;
        this.owner = owner;
        this.events = events;
        this.tick = tick;
    }

    public String owner() {
        return owner;
    }

    public Duration tick() {
        return tick;
    }

    /** False once the instance is stopping: claims return nothing from then on. */
    public boolean accepting() {
        return accepting;
    }

    /** Leases this instance holds now. */
    public int heldCount() {
        return held.size();
    }

    // ------------------------------------------------------------------ the instance

    /**
     * Records this instance among those sharing the database (kept alive by the heartbeat), with the
     * mail route it sends to, or null when it sends no mail (a route once given is kept).
     */
    public synchronized void register(String route) {
        if (route != null) mailRoute = route;
        try (SqlSession s = sessions.openSession(true)) {
            s.getMapper(LeaseMapper.class).register(owner, mailRoute, !accepting);
        }
        registered = true;
        ensureTimer();
    }

    // ------------------------------------------------------------------ claim, take back, release

    /**
     * Claims one piece of work of {@code kind} under a new lease of {@code duration}, in one
     * transaction; the heartbeat renews it from then on.
     *
     * @param beat    run at each heartbeat while the lease is live (may be null)
     * @param putBack how the queue puts the work back when the lease is handed back unfinished
     */
    public <T> Optional<Claimed<T>> claim(String kind, Duration duration, Claim<T> claim, Beat beat, PutBack putBack) {
        if (!accepting) return Optional.empty();
        long sentAt = System.nanoTime();
        Claimed<T> claimed;
        try (SqlSession tx = sessions.openSession(false)) {
            Long subject = claim.pick(tx);
            if (subject == null) {
                tx.rollback();
                return Optional.empty();
            }
            long epoch = tx.getMapper(LeaseMapper.class).grant(owner, kind, subject, duration.toMillis());
            Lease lease = new Lease(epoch, owner, kind, subject, duration, sentAt);
            T work = claim.bind(tx, lease);
            if (work == null) {
                tx.rollback(); // nothing to take after all: no lease is left behind
                return Optional.empty();
            }
            tx.commit(true);
            claimed = new Claimed<>(lease, work);
        }
        held.put(claimed.lease().epoch(), new Held(claimed.lease(), beat, putBack));
        ensureTimer();
        events.claimed(kind);
        return Optional.of(claimed);
    }

    /**
     * Revokes the expired leases of {@code kind} (their holders died or froze) and has the queue put
     * their work back, in one transaction. Returns how many were taken back.
     */
    public int takeBackExpired(String kind, PutBack putBack) {
        List<LeaseMapper.Revoked> revoked;
        try (SqlSession tx = sessions.openSession(false)) {
            revoked = tx.getMapper(LeaseMapper.class).revokeExpired(kind);
            if (revoked.isEmpty()) {
                tx.rollback();
                return 0;
            }
            putBack.putBack(tx, revoked.stream().map(LeaseMapper.Revoked::epoch).toList(), true);
            tx.commit(true);
        }
        for (LeaseMapper.Revoked r : revoked) {
            LOG.info("took back {} {} from {} (lease epoch {} expired)", kind, r.subject(), r.owner(), r.epoch());
            events.takenOver(kind, r.owner());
            Held mine = held.remove(r.epoch());
            lost.remove(r.epoch());
            if (mine != null) mine.lease().lose();
        }
        return revoked.size();
    }

    /**
     * Hands a lease back at once: the queue puts back whatever of its work is unfinished (nothing, when
     * the work was recorded first), and nothing can be written under it any more. Returns false when it
     * was no longer ours.
     */
    public boolean release(Lease lease) {
        return release(lease, null);
    }

    /**
     * {@link #release(Lease)}, with {@code alsoInTransaction} (e.g. the queue pausing what the lease was
     * about) done in the same transaction, before the work is put back: others see both or neither.
     */
    public boolean release(Lease lease, java.util.function.Consumer<SqlSession> alsoInTransaction) {
        Held h = held.remove(lease.epoch());
        // Lost at a heartbeat but taken back by nobody: the release below still succeeds, so the put-back
        // must run too — as for an expired lease (the holder may have stopped in the middle of something).
        Held expired = lost.remove(lease.epoch());
        if (h == null) h = expired;
        lease.lose();
        boolean released;
        try (SqlSession tx = sessions.openSession(false)) {
            if (alsoInTransaction != null) alsoInTransaction.accept(tx);
            released = tx.getMapper(LeaseMapper.class).release(lease.epoch(), owner) == 1;
            if (released && h != null && h.putBack() != null) {
                h.putBack().putBack(tx, List.of(lease.epoch()), expired != null);
            }
            tx.commit(true);
        }
        events.released(lease.kind(), h != null && h.putBack() != null);
        return released;
    }

    /** Counts a write the fence refused (for logs and metrics). */
    public void refused(Lease lease, String write) {
        LOG.warn("{} refused by the fence: {} is no longer held by this instance", write, lease);
        events.fenceRefused(lease.kind(), write);
    }

    // ------------------------------------------------------------------ heartbeat

    private void ensureTimer() {
        synchronized (timerLock) {
            if (timer != null || closed) return;
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lease-heartbeat");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::beatQuietly, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            // Database unreachable: leases are kept locally until their own expiry, then work stops.
            LOG.warn("lease heartbeat failed: {}", e.toString());
        }
    }

    /** One heartbeat: renews every lease held, marks the refused ones lost, runs the queues' beats. */
    void beat() {
        List<Held> now = new ArrayList<>(held.values());
        long sentAt = System.nanoTime();
        try (SqlSession s = sessions.openSession(true)) {
            LeaseMapper m = s.getMapper(LeaseMapper.class);
            if (registered) m.register(owner, mailRoute, !accepting); // also brings back a row purged meanwhile
            if (!now.isEmpty()) {
                Set<Long> renewed = new HashSet<>(m.renew(owner, now.stream().map(h -> h.lease().epoch()).toList()));
                for (Held h : now) {
                    Lease lease = h.lease();
                    if (renewed.contains(lease.epoch())) {
                        lease.renewed(sentAt);
                    } else {
                        // Into `lost` before it leaves `held`: a release in between still finds its put-back.
                        lost.put(lease.epoch(), h);
                        if (held.remove(lease.epoch()) != null) {
                            lease.lose();
                            LOG.warn("lost the lease of {}: another instance has it now", lease);
                            events.lost(lease.kind());
                        } else {
                            lost.remove(lease.epoch());  // handed back meanwhile
                        }
                    }
                }
                for (Held h : now) {
                    if (h.beat() == null || !h.lease().held()) continue;
                    try {
                        h.beat().beat(s, h.lease());
                    } catch (RuntimeException e) {
                        LOG.warn("heartbeat of {} failed: {}", h.lease(), e.toString());
                    }
                }
            }
            if (System.nanoTime() - lastHousekeeping >= HOUSEKEEPING_NANOS) {
                lastHousekeeping = System.nanoTime();
                m.purge();
            }
        }
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Takes no more work: claims return nothing, and other instances see this one as stopping (it no
     * longer counts as able to send a campaign).
     */
    public void stopAccepting() {
        if (!accepting) return;
        accepting = false;
        if (!registered) return;
        try (SqlSession s = sessions.openSession(true)) {
            s.getMapper(LeaseMapper.class).register(owner, mailRoute, true);
        } catch (RuntimeException e) {
            LOG.warn("could not mark this instance stopping: {}", e.toString());
        }
    }

    /**
     * Hands back every lease still held (the queues put their work back, so other instances resume it
     * at once; a worker still running under one can no longer write), forgets this instance, and
     * stops the heartbeat. Workers should have finished or abandoned their work first.
     */
    @Override
    public void close() {
        stopAccepting();
        closed = true;
        synchronized (timerLock) {
            if (timer != null) {
                timer.shutdownNow();
                try {
                    timer.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            timer = null;
        }
        List<Held> remaining = new ArrayList<>(held.values());
        remaining.addAll(lost.values());  // lost but taken back by nobody yet: handed back with their put-back
        for (Held h : remaining) {
            try {
                release(h.lease());
                LOG.info("handed back {} on shutdown", h.lease());
            } catch (RuntimeException e) {
                LOG.warn("could not hand back {}: {}", h.lease(), e.toString());
            }
        }
        if (registered) {
            try (SqlSession s = sessions.openSession(true)) {
                s.getMapper(LeaseMapper.class).forget(owner);
            } catch (RuntimeException e) {
                LOG.warn("could not remove this instance from work_instance: {}", e.toString());
            }
        }
    }
}

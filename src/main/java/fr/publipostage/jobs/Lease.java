package fr.publipostage.jobs;

import java.time.Duration;

/**
 * A claim on one piece of background work (a letter job, a batch of a campaign's rows), held by one
 * instance until it hands it back, loses it, or stops renewing it. Its {@link Fence} — owner and
 * epoch — goes with every write and delete of that work's results, parts and ledger rows: the
 * database refuses them once the lease is no longer live and this instance's.
 *
 * <p>{@link #held()} and {@link #covers(Duration)} are this process's own, conservative view: the
 * lease counts from the moment the statement that granted or renewed it was sent, on the monotonic
 * clock, so the database's expiry is never earlier than what this process believes.
 */
public final class Lease {
    /** The fencing token: what each fenced statement checks (SQL function {@code lease_holds}). */
    public record Fence(long epoch, String owner) {
    }

    private final Fence fence;
    private final String kind;
    private final long subject;
    private final Duration duration;
    private volatile long validUntilNanos;
    private volatile boolean lost;

    Lease(long epoch, String owner, String kind, long subject, Duration duration, long grantedAtNanos) {
        this.fence = new Fence(epoch, owner);
        this.kind = kind;
        this.subject = subject;
        this.duration = duration;
        this.validUntilNanos = grantedAtNanos + duration.toNanos();
    }

    public Fence fence() {
        return fence;
    }

    public long epoch() {
        return fence.epoch();
    }

    public String owner() {
        return fence.owner();
    }

    /** What kind of work: {@code letter-job}, {@code mail}. */
    public String kind() {
        return kind;
    }

    /** The id of the job or campaign it is about. */
    public long subject() {
        return subject;
    }

    public Duration duration() {
        return duration;
    }

    /** Still ours as far as this process knows: renewed in time, never refused, not handed back. */
    public boolean held() {
        return !lost && System.nanoTime() - validUntilNanos < 0;
    }

    /**
     * True when the lease is sure to last {@code needed} more even if no renewal succeeds meanwhile:
     * work that cannot be stopped half-way (one SMTP send) starts only then.
     */
    public boolean covers(Duration needed) {
        return !lost && validUntilNanos - System.nanoTime() >= needed.toNanos();
    }

    /** True once the database refused it, or it was handed back. */
    public boolean lost() {
        return lost;
    }

    void renewed(long renewalSentAtNanos) {
        long until = renewalSentAtNanos + duration.toNanos();
        if (until - validUntilNanos > 0) validUntilNanos = until;
    }

    void lose() {
        lost = true;
    }

    @Override
    public String toString() {
        return kind + " " + subject + " (epoch " + fence.epoch() + ", " + fence.owner() + ")";
    }
}

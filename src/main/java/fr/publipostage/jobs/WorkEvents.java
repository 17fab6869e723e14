package fr.publipostage.jobs;

/**
 * What happens to background work, for logs and metrics (counters of claims, takeovers, lost
 * leases, refused writes, finished jobs by state). Every method is a no-op by default; an
 * implementation must be quick and must not throw.
 */
public interface WorkEvents {
    WorkEvents NONE = new WorkEvents() {
    };

    /** This instance claimed work of {@code kind} ({@code letter-job}, {@code mail}). */
    default void claimed(String kind) {
    }

    /** This instance took back work whose lease, held by {@code previousOwner}, had expired. */
    default void takenOver(String kind, String previousOwner) {
    }

    /** This instance's lease was refused at renewal: someone else has the work now. */
    default void lost(String kind) {
    }

    /** This instance handed a lease back (work done, or put back on shutdown). */
    default void released(String kind, boolean putBack) {
    }

    /** A write carrying a lease that was no longer live was refused by the fence. */
    default void fenceRefused(String kind, String write) {
    }

    /** A letter job ended in this state (done, failed, cancelled) on this instance. */
    default void jobFinished(String state) {
    }
}

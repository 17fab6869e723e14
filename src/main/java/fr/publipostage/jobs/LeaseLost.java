package fr.publipostage.jobs;

/**
 * A fenced write was refused: the lease it carried is no longer live and this instance's (another
 * instance took the work over, or it was handed back). The work must stop without touching anything.
 */
public final class LeaseLost extends RuntimeException {
    public LeaseLost(Lease.Fence fence, String write) {
        super(write + " refused: lease epoch " + fence.epoch() + " of " + fence.owner() + " is no longer held");
    }
}

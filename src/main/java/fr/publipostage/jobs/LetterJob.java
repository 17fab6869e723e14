package fr.publipostage.jobs;

import java.time.OffsetDateTime;

/**
 * A background PDF job as its admin sees it: state, pages done / total, when it finished, and when
 * its file goes away. {@code errorKey}/{@code errorArgs} are an i18n message when it failed.
 * {@code worker} and {@code leaseEpoch} name the instance and the lease it last ran under.
 */
public record LetterJob(long id, long structureId, String adminLogin, String request, String state,
                        boolean cancelRequested, int pagesDone, int pagesTotal, Integer accounts, Long bytes,
                        String errorKey, String errorArgs, String worker, OffsetDateTime createdAt,
                        OffsetDateTime startedAt, OffsetDateTime heartbeatAt, OffsetDateTime finishedAt,
                        OffsetDateTime expiresAt, OffsetDateTime downloadedAt, Long leaseEpoch) {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String EXPIRED = "expired";

    public boolean finished() {
        return !state.equals(QUEUED) && !state.equals(RUNNING);
    }

    /** Percent done, 0–100. */
    public int percent() {
        if (state.equals(DONE)) return 100;
        return pagesTotal <= 0 ? 0 : Math.min(99, pagesDone * 100 / pagesTotal);
    }

    /** Estimated seconds left from the pace so far, or -1 when unknown. */
    public long secondsLeft(OffsetDateTime now) {
        if (!state.equals(RUNNING) || startedAt == null || pagesDone <= 0 || pagesTotal <= pagesDone) {
            return state.equals(RUNNING) || state.equals(QUEUED) ? -1 : 0;
        }
        double elapsed = java.time.Duration.between(startedAt, now).toMillis() / 1000.0;
        return Math.round(elapsed / pagesDone * (pagesTotal - pagesDone));
    }
}

package fr.publipostage.mailing;

/**
 * Where a campaign stands: its record, the count of ledger rows in each state, and whether a running
 * instance can send it (one whose mail route is the campaign's).
 */
public record CampaignProgress(Campaign campaign, Counts counts, boolean sendable) {

    /** Still to send, and no running instance has its mail route: it waits for one. */
    public boolean stalled() {
        return !sendable && campaign.status() == Campaign.Status.running && counts.unfinished() > 0;
    }

    /**
     * {@code bounced}: sent, then reported undelivered (not counted in {@code sent}); {@code delayed}: sent
     * rows with a delay report (counted in {@code sent} too); {@code unreached}: who still needs a
     * printed letter (skipped for want of an address, failed, bounced).
     */
    public record Counts(int total, int pending, int sending, int sent, int failed, int skipped, int cancelled,
                         int bounced, int delayed, int unreached) {
        /** Rows that will still be attempted. */
        public int unfinished() {
            return pending + sending;
        }

        /** Rows meant to get a mail (all but skipped). */
        public int toSend() {
            return total - skipped;
        }

        /** Share of mailable rows with an outcome (sent, bounced, failed, cancelled), 0–100. */
        public int percentDone() {
            int toSend = toSend();
            return toSend == 0 ? 100 : (int) Math.floor(100.0 * (sent + bounced + failed + cancelled) / toSend);
        }
    }
}

package fr.publipostage.mailing;

import java.time.OffsetDateTime;

/**
 * An e-mail campaign: who started it, when, for which structure, with which Selection (JSON) and
 * template versions, and where it stands. {@code pauseReason}: set when a worker paused it on a
 * configuration error ({@link SmtpProblem} code, then the detail), with the server it was sending to.
 */
public record Campaign(long id, String token, long structureId, String createdBy, OffsetDateTime createdAt,
                       Status status, OffsetDateTime statusChangedAt, String statusChangedBy,
                       OffsetDateTime finishedAt, String selection, String templateVersions, int ratePerMinute,
                       String fromAddress, boolean sandbox, String pauseReason, String pauseServer) {

    /** running → paused ⇄ running → finished (nothing pending or sending) | cancelled. */
    public enum Status { running, paused, cancelled, finished }

    /** The configuration problem that paused this campaign, or null. */
    public SmtpProblem pauseProblem() {
        if (pauseReason == null) return null;
        int colon = pauseReason.indexOf(':');
        return SmtpProblem.ofCode(colon < 0 ? pauseReason : pauseReason.substring(0, colon));
    }

    public boolean isOver() {
        return status == Status.finished || status == Status.cancelled;
    }
}

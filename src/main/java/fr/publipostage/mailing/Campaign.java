package fr.publipostage.mailing;

import java.time.OffsetDateTime;

/**
 * An e-mail campaign: who started it, when, for which structure, with which Selection (JSON) and
 * template versions, and where it stands. {@code mailRoute} is the route it was started for
 * ({@code sandbox}, or {@code smtp:} and a fingerprint of server and identity): only instances with
 * that route send it; {@code mailRouteLabel} says it in words (server and TLS mode). Both are null for
 * campaigns started before routes were recorded.
 */
public record Campaign(long id, String token, long structureId, String createdBy, OffsetDateTime createdAt,
                       Status status, OffsetDateTime statusChangedAt, String statusChangedBy,
                       OffsetDateTime finishedAt, String selection, String templateVersions, int ratePerMinute,
                       String fromAddress, boolean sandbox, String mailRoute, String mailRouteLabel) {

    /** running → paused ⇄ running → finished (nothing pending or sending) | cancelled. */
    public enum Status { running, paused, cancelled, finished }

    public boolean isOver() {
        return status == Status.finished || status == Status.cancelled;
    }
}

package fr.publipostage.mailing;

import java.time.OffsetDateTime;

/**
 * One row of a campaign's ledger: who, which message, which address, and what happened.
 * {@code reason}: for skipped rows a code (no-email, blocked); for failed rows — and pending rows
 * after a temporary error — {@code category: detail}, the category being one of {@link Reason}'s.
 */
public record Recipient(long id, long campaignId, int position, Long accountId, String login, String lastName,
                        String firstName, String profile, String classes, MailKind kind, String language,
                        String address, Status status, String reason, int attempts, OffsetDateTime nextAttemptAt,
                        OffsetDateTime lastAttemptAt, OffsetDateTime sentAt, String sentBy, String smtpReply,
                        String messageId, int resends, OffsetDateTime bouncedAt, String bounceStatus,
                        String bounceDiagnostic, OffsetDateTime delayedAt, String delayStatus, String delayDiagnostic) {

    /**
     * pending → sending → sent | failed; skipped from the start (no e-mail, blocked); cancelled when
     * the campaign is cancelled before the row was sent; sent → bounced when a delivery report says the
     * message was not delivered after all (bounces/). A delay report leaves the row sent ({@link #delayedAt}).
     */
    public enum Status { pending, sending, sent, failed, skipped, cancelled, bounced }

    /** The category of {@link #reason()} (an i18n key suffix: campaign.reason.CODE), or null. */
    public String reasonCode() {
        if (reason == null) return null;
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon);
    }

    /** What the server or the system said, after the category; empty for bare codes. */
    public String reasonDetail() {
        if (reason == null) return "";
        int colon = reason.indexOf(':');
        return colon < 0 ? "" : reason.substring(colon + 1).trim();
    }
}

package fr.publipostage.metrics;

/**
 * The names of the application's own meters (Micrometer names; Prometheus shows dots as underscores
 * and adds {@code _total} / {@code _seconds}), so that dashboards and the code agree on one list.
 */
public final class MeterNames {
    /** Timer, tags method, route (the route template, e.g. /api/structures/{uai}/campaigns), status. */
    public static final String HTTP_REQUESTS = "http.server.requests";
    /** Counter: PDF pages laid out and written (letters, cover sheets, cards, previews, render-html). */
    public static final String PAGES_RENDERED = "publipostage.pages.rendered";
    /** Counter: messages the SMTP server accepted. */
    public static final String MAILS_SENT = "publipostage.mails.sent";
    /** Counter, tag reason (rejected, temporary, timeout, unreachable, smtp-untrusted…): failed send attempts. */
    public static final String MAILS_FAILED = "publipostage.mails.failed";
    /** Counter, tag outcome (bounced, delayed, unmatched, malformed, other): messages of the bounce mailbox read. */
    public static final String BOUNCE_MESSAGES = "publipostage.bounce.messages";
    /** Counter, tag queue (letters, mail): work taken over from an instance whose lease ran out. */
    public static final String LEASE_TAKEOVERS = "publipostage.lease.takeovers";
    /** Gauge, tag state (queued, running, failed): letter jobs in the database, all instances together. */
    public static final String JOBS = "publipostage.jobs";
    /** Gauge, tag status (pending, sending): recipients of running campaigns, all instances together. */
    public static final String MAIL_QUEUE = "publipostage.mail.queue";

    /** The queues of {@link #LEASE_TAKEOVERS}. */
    public static final String QUEUE_LETTERS = "letters";
    public static final String QUEUE_MAIL = "mail";

    private MeterNames() {
    }
}

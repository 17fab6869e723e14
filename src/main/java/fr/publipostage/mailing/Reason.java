package fr.publipostage.mailing;

/** Reason codes stored in the ledger; the UI shows {@code campaign.reason.<code>} from i18n. */
public final class Reason {
    /** Skipped at the start: the account has no personal address. */
    public static final String NO_EMAIL = "no-email";
    /** Skipped at the start: the account is blocked. */
    public static final String BLOCKED = "blocked";
    /** The server refused for good (5xx). */
    public static final String REJECTED = "rejected";
    /** The server asked to try later (4xx). */
    public static final String TEMPORARY = "temporary";
    /** No connection to the server (refused, unknown host, cut). TLS trust and login failures are {@link SmtpProblem}s. */
    public static final String UNREACHABLE = "unreachable";
    /** The server did not answer in time. */
    public static final String TIMEOUT = "timeout";
    /** The address cannot be used (syntax). */
    public static final String INVALID_ADDRESS = "invalid-address";
    /** The message could not be composed (template error). */
    public static final String TEMPLATE = "template";
    /** The instance sending it stopped; the row was taken back and had no attempts left. */
    public static final String LEASE_EXPIRED = "lease-expired";
    /** The campaign was cancelled before this row was sent. */
    public static final String CANCELLED = "cancelled";

    private Reason() {
    }

    static String of(String code, String detail) {
        if (detail == null || detail.isBlank()) return code;
        String oneLine = detail.replaceAll("\\s+", " ").trim();
        return code + ": " + (oneLine.length() > 500 ? oneLine.substring(0, 500) + "…" : oneLine);
    }
}

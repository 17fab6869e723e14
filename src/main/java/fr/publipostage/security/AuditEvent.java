package fr.publipostage.security;

import java.time.OffsetDateTime;

/**
 * Who exported, printed or mailed which accounts' credentials, when. {@code action} is one of the
 * constants below; {@code details} is a JSON object (filters, file name, campaign id…).
 */
public record AuditEvent(OffsetDateTime at, String adminLogin, String action, Long structureId,
                         Integer accountCount, String details) {
    public static final String CSV_EXPORT = "csv-export";
    public static final String PDF_LETTERS = "pdf-letters";
    public static final String MAIL_CAMPAIGN = "mail-campaign";
    /** Postal addresses imported from a file (issue 14): who, which school, how many lines. */
    public static final String ADDRESS_IMPORT = "address-import";
    public static final String PASSWORD_RESET = "admin-password-reset";
    /** The editor's preview of a real account's mail (it shows his activation code). */
    public static final String MAIL_PREVIEW = "mail-preview";
    /** A wrong TOTP code (leak 3 of issue 10: guesses are counted and recorded). */
    public static final String TOTP_FAILURE = "totp-failure";
    public static final String TOTP_ENROL = "totp-enrol";
    public static final String TOTP_REPLACE = "totp-replace";
    /** An admin's authenticator removed by a super admin or the command line. */
    public static final String TOTP_RESET = "totp-reset";
}

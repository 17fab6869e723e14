package fr.publipostage.mailing;

import com.sun.mail.smtp.SMTPSendFailedException;
import com.sun.mail.smtp.SMTPSenderFailedException;
import fr.publipostage.Setting;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Locale;
import javax.mail.AuthenticationFailedException;
import javax.mail.MessagingException;
import javax.net.ssl.SSLException;

/**
 * An SMTP failure that no retry will fix because this instance's settings are wrong: the server's
 * certificate is not trusted or does not name the host, the login is refused or missing, the TLS mode
 * does not match the port, the sender address is refused. A campaign that meets one pauses at once with a sentence naming the settings
 * to fix ({@code campaign.pause.<code>} in i18n); no recipient is charged an attempt.
 */
public enum SmtpProblem {
    UNTRUSTED("smtp-untrusted", Setting.SMTP_TRUSTSTORE),
    HOST_MISMATCH("smtp-host-mismatch", Setting.SMTP_HOST, Setting.SMTP_TRUSTSTORE),
    LOGIN_REFUSED("smtp-login-refused", Setting.SMTP_USER, Setting.SMTP_PASSWORD),
    LOGIN_REQUIRED("smtp-login-required", Setting.SMTP_USER, Setting.SMTP_PASSWORD),
    TLS_MODE("smtp-tls-mode", Setting.SMTP_TLS, Setting.SMTP_PORT),
    SENDER_REFUSED("smtp-sender-refused", Setting.SMTP_FROM);

    /** The reason code stored on the paused campaign and the i18n key's suffix. */
    public final String code;
    /** The settings the sentence names. */
    public final List<Setting> settings;

    SmtpProblem(String code, Setting... settings) {
        this.code = code;
        this.settings = List.of(settings);
    }

    public static SmtpProblem ofCode(String code) {
        for (SmtpProblem p : values()) if (p.code.equals(code)) return p;
        return null;
    }

    /** A configuration problem and the exception of the chain that showed it (its message is the detail). */
    record Found(SmtpProblem problem, Throwable cause) {
    }

    /** The configuration problem behind this failure, or null when it may be temporary or the recipient's. */
    static Found of(Throwable e) {
        for (Throwable t = e; t != null; t = SendError.next(t)) {
            SmtpProblem p = at(t);
            if (p != null) return new Found(p, t);
        }
        return null;
    }

    private static SmtpProblem at(Throwable t) {
        String message = String.valueOf(t.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (t instanceof AuthenticationFailedException) return LOGIN_REFUSED;
        if (t instanceof SmtpConnection.ImplicitTlsExpected) return TLS_MODE;
        int code = t instanceof SMTPSenderFailedException s ? s.getReturnCode()
                : t instanceof SMTPSendFailedException s ? s.getReturnCode() : -1;
        // 530: "authentication required" (RFC 4954), or "must issue a STARTTLS command first".
        if (code == 530) return lower.contains("starttls") ? TLS_MODE : LOGIN_REQUIRED;
        // 550/553 to MAIL FROM: the server does not take this sender address (not the user's, not its
        // domain): every mail would fail alike, the From setting is to fix.
        if (t instanceof SMTPSenderFailedException && (code == 550 || code == 553)) return SENDER_REFUSED;
        if (t instanceof CertificateException) {
            return lower.contains("no subject alternative") || lower.contains("no name matching")
                    || lower.contains("does not match") ? HOST_MISMATCH : UNTRUSTED;
        }
        if (t instanceof SSLException && (lower.contains("unrecognized ssl message")
                || lower.contains("handshake_failure") || lower.contains("protocol_version")
                || lower.contains("no appropriate protocol"))) {
            return TLS_MODE;
        }
        if (t instanceof MessagingException && lower.contains("starttls is required")) return TLS_MODE;
        return null;
    }
}

package fr.publipostage.mailing;

import com.sun.mail.smtp.SMTPAddressFailedException;
import com.sun.mail.smtp.SMTPSendFailedException;
import com.sun.mail.smtp.SMTPSenderFailedException;
import com.sun.mail.util.MailConnectException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

/**
 * Why one message could not be sent, and what to do about it: a permanent error (5xx reply) fails the
 * row at once; a temporary one (4xx, timeout, server unreachable) is retried later. {@code
 * connectionLost}: the SMTP connection cannot be used any more; {@code serverDown}: it could not even
 * be opened, so the rest of the batch waits too. {@code configuration}: not temporary nor the recipient's
 * fault but this instance's settings (untrusted certificate, refused login…): the campaign pauses.
 */
public record SendError(boolean permanent, boolean connectionLost, boolean serverDown, int replyCode, String reason,
                        SmtpProblem configuration) {

    public SendError(boolean permanent, boolean connectionLost, boolean serverDown, int replyCode, String reason) {
        this(permanent, connectionLost, serverDown, replyCode, reason, null);
    }

    public static SendError classify(Exception e) {
        SmtpProblem.Found found = SmtpProblem.of(e);
        if (found != null) {
            // The top message says where (STARTTLS, connect, AUTH), the cause what (PKIX…, 535…).
            String top = String.valueOf(e.getMessage());
            String cause = String.valueOf(found.cause().getMessage());
            String detail = top.contains(cause) ? top : top + " (" + cause + ")";
            return new SendError(false, true, true, -1, Reason.of(found.problem().code, detail), found.problem());
        }
        if (e instanceof AddressException) {
            return new SendError(true, false, false, -1, Reason.of(Reason.INVALID_ADDRESS, e.getMessage()));
        }
        // The most precise SMTP reply in the chain wins.
        for (Throwable t = e; t != null; t = next(t)) {
            int code = -1;
            if (t instanceof SMTPAddressFailedException a) code = a.getReturnCode();
            else if (t instanceof SMTPSenderFailedException s) code = s.getReturnCode();
            else if (t instanceof SMTPSendFailedException s) code = s.getReturnCode();
            if (code >= 500) return new SendError(true, false, false, code, Reason.of(Reason.REJECTED, t.getMessage()));
            if (code >= 400) return new SendError(false, false, false, code, Reason.of(Reason.TEMPORARY, t.getMessage()));
        }
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof MailConnectException) {
                return new SendError(false, true, true, -1, Reason.of(Reason.UNREACHABLE, describe(t)));
            }
        }
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SocketTimeoutException) {
                return new SendError(false, true, false, -1, Reason.of(Reason.TIMEOUT, t.getMessage()));
            }
        }
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof IOException) {
                return new SendError(false, true, false, -1, Reason.of(Reason.UNREACHABLE, describe(t)));
            }
        }
        // Anything else (a bad greeting, a protocol surprise): try again later on a new connection.
        return new SendError(false, true, false, -1, Reason.of(Reason.TEMPORARY, describe(e)));
    }

    static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t) {
            return m.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (next(root) != null) root = next(root);
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (root != t && root.getMessage() != null && !m.contains(root.getMessage())) m += " (" + root.getMessage() + ")";
        return m;
    }
}

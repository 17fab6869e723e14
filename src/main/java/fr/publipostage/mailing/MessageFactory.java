package fr.publipostage.mailing;

import com.sun.mail.smtp.SMTPMessage;
import java.util.Date;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.apache.commons.mail.EmailException;
import org.apache.commons.mail.HtmlEmail;

/**
 * Builds the MIME message with Commons Email (HTML + plain-text alternative, UTF-8), without sending
 * it: {@link SmtpConnection} sends it over a reused connection. The Message-ID is
 * {@code <campaign-token.recipient-id@from-domain>}: unique, and the same for every attempt of one
 * recipient, so a receiving system can recognise a repeat.
 */
public final class MessageFactory {
    private final Verp verp;

    /** Messages with the connection's envelope sender (PUBLIPOSTAGE_SMTP_ENVELOPE_FROM). */
    public MessageFactory() {
        this(null);
    }

    /** {@code verp}: each message gets its own envelope sender naming its ledger row (null: off). */
    public MessageFactory(Verp verp) {
        this.verp = verp;
    }

    /** Everything about one message but its content. */
    public record Envelope(String from, String fromName, String replyTo, String to, String toName,
                           String messageId, String language, Date date) {
    }

    public static String messageId(String campaignToken, long recipientId, String fromAddress) {
        String bare = SmtpEndpoint.bareAddress(fromAddress);
        int at = bare.lastIndexOf('@');
        String domain = at >= 0 && at < bare.length() - 1 ? bare.substring(at + 1) : "publipostage.localhost";
        return "<" + campaignToken + "." + recipientId + "@" + domain + ">";
    }

    public MimeMessage build(Session session, ComposedMail mail, Envelope envelope) throws EmailException {
        HtmlEmail email = new FixedIdEmail(envelope.messageId(), verp == null ? null : verp.envelopeFor(envelope.messageId()));
        email.setMailSession(session);
        email.setCharset("UTF-8");
        InternetAddress from = parse(envelope.from());
        String fromName = from.getPersonal() != null ? from.getPersonal() : envelope.fromName();
        email.setFrom(from.getAddress(), fromName, "UTF-8");
        if (envelope.replyTo() != null && !envelope.replyTo().isBlank()) {
            InternetAddress reply = parse(envelope.replyTo());
            email.addReplyTo(reply.getAddress(), reply.getPersonal(), "UTF-8");
        }
        email.addTo(envelope.to(), envelope.toName(), "UTF-8");
        email.setSubject(mail.subject());
        email.setHtmlMsg(mail.html());
        email.setTextMsg(mail.text());
        email.setSentDate(envelope.date());
        // An automatic message (RFC 3834): no vacation auto-replies back to the school.
        email.addHeader("Auto-Submitted", "auto-generated");
        email.addHeader("Content-Language", envelope.language());
        email.buildMimeMessage();
        MimeMessage message = email.getMimeMessage();
        try {
            message.saveChanges();
        } catch (MessagingException e) {
            throw new EmailException(e);
        }
        return message;
    }

    private static InternetAddress parse(String address) throws EmailException {
        try {
            InternetAddress a = new InternetAddress(address, true);
            return a;
        } catch (MessagingException e) {
            throw new EmailException("invalid address \"" + address + "\": " + e.getMessage(), e);
        }
    }

    /**
     * Commons Email with our Message-ID instead of the one JavaMail would make up on saveChanges(), as an
     * {@link SMTPMessage} so that a VERP envelope sender goes with the message (SMTPTransport reads it).
     */
    private static final class FixedIdEmail extends HtmlEmail {
        private final String messageId;
        private final String envelopeFrom;

        FixedIdEmail(String messageId, String envelopeFrom) {
            this.messageId = messageId;
            this.envelopeFrom = envelopeFrom;
        }

        @Override
        protected MimeMessage createMimeMessage(Session session) {
            SMTPMessage message = new SMTPMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", messageId);
                }
            };
            if (envelopeFrom != null) message.setEnvelopeFrom(envelopeFrom);
            return message;
        }
    }
}

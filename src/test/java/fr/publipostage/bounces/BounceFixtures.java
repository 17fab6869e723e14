package fr.publipostage.bounces;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

/**
 * The bounce messages of src/test/resources/bounces/, written in the shapes Postfix, Exim, Microsoft 365
 * and qmail produce, with the original Message-ID, the failing address, the address the bounce was
 * delivered to (the envelope sender, a VERP one or not) and our From filled in.
 */
public final class BounceFixtures {
    private BounceFixtures() {
    }

    /** The message's text with its placeholders filled. */
    public static String text(String name, String messageId, String recipient, String bounceTo, String from) {
        try (InputStream in = BounceFixtures.class.getResourceAsStream("/bounces/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // Mail lines end in CRLF.
            return raw.replace("{{MESSAGE_ID}}", messageId).replace("{{RECIPIENT}}", recipient)
                    .replace("{{BOUNCE_TO}}", bounceTo).replace("{{FROM}}", from)
                    .replace("\r\n", "\n").replace("\n", "\r\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MimeMessage message(String name, String messageId, String recipient, String bounceTo, String from) {
        try {
            return new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(text(name, messageId, recipient, bounceTo, from).getBytes(StandardCharsets.UTF_8)));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bounce-looking message whose parts nest {@code depth} multiparts deep, a text part at the bottom. */
    public static String nested(int depth, String returnedMessageId) {
        StringBuilder sb = new StringBuilder("From: MAILER-DAEMON@relay.example.net\r\nTo: bounces@sainte-anne.example.fr\r\n"
                + "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
        for (int i = 0; i < depth; i++) {
            sb.append("--b").append(i).append("\r\nContent-Type: multipart/mixed; boundary=\"b").append(i + 1).append("\"\r\n\r\n");
        }
        sb.append("--b").append(depth).append("\r\nContent-Type: text/plain\r\n\r\nMessage-ID: ").append(returnedMessageId).append("\r\n");
        for (int i = depth; i >= 0; i--) sb.append("--b").append(i).append("--\r\n");
        return sb.toString();
    }
}

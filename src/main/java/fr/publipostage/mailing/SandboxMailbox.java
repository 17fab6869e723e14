package fr.publipostage.mailing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.apache.commons.mail.util.MimeMessageParser;

/**
 * The sandbox: when no SMTP server is configured, campaigns are sent to an SMTP server inside the
 * application (GreenMail, on loopback only), which keeps the messages in memory and delivers nothing.
 * This service lists what it captured, rendered, for the "sandbox mailbox" page — which must say
 * clearly (i18n {@code sandbox.notDelivered}) that none of it reached anybody. Captured mails live
 * until the application stops or {@link #clear()}; each instance has its own sandbox.
 */
public final class SandboxMailbox implements AutoCloseable {
    private final GreenMail server;

    private SandboxMailbox(GreenMail server) {
        this.server = server;
    }

    /** Starts the sandbox SMTP server on 127.0.0.1 ({@code port} 0 = any free port). */
    public static SandboxMailbox start(int port) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        if (port == 0) setup = setup.dynamicPort();
        GreenMail server = new GreenMail(setup);
        server.start();
        return new SandboxMailbox(server);
    }

    public int port() {
        return server.getSmtp().getPort();
    }

    /** One captured message, as the page shows it. {@code index} is its position, 0 = first received. */
    public record CapturedMail(int index, Instant date, String messageId, String from, String to, String subject,
                               String html, String text) {
    }

    public int count() {
        return server.getReceivedMessages().length;
    }

    /** The captured messages, most recent first, {@code limit} at most from {@code offset}. */
    public List<CapturedMail> messages(int offset, int limit) {
        MimeMessage[] all = server.getReceivedMessages();
        List<CapturedMail> out = new ArrayList<>();
        for (int i = all.length - 1 - Math.max(0, offset); i >= 0 && out.size() < limit; i--) {
            out.add(read(i, all[i]));
        }
        return out;
    }

    /** A page of captured messages and how many matched in all. */
    public record Page(List<CapturedMail> messages, int total) {
    }

    /**
     * The captured messages whose Message-ID passes {@code byMessageId} (e.g. those of one school's
     * campaigns), most recent first; only the page's messages are parsed.
     */
    public Page messages(Predicate<String> byMessageId, int offset, int limit) {
        MimeMessage[] all = server.getReceivedMessages();
        List<CapturedMail> out = new ArrayList<>();
        int matched = 0;
        for (int i = all.length - 1; i >= 0; i--) {
            if (!byMessageId.test(messageId(all[i]))) continue;
            if (matched >= offset && out.size() < limit) out.add(read(i, all[i]));
            matched++;
        }
        return new Page(out, matched);
    }

    /** The Message-ID of the message at this index, or null when there is none. */
    public String messageId(int index) {
        MimeMessage[] all = server.getReceivedMessages();
        return index < 0 || index >= all.length ? null : messageId(all[index]);
    }

    private static String messageId(MimeMessage message) {
        try {
            String id = message.getMessageID();
            return id == null ? "" : id;
        } catch (MessagingException e) {
            return "";
        }
    }

    /** One message by its index, or null. */
    public CapturedMail message(int index) {
        MimeMessage[] all = server.getReceivedMessages();
        return index < 0 || index >= all.length ? null : read(index, all[index]);
    }

    /** Captured messages sent to this address (case-insensitive), oldest first. */
    public List<CapturedMail> messagesTo(String address) {
        MimeMessage[] all = server.getReceivedMessages();
        List<CapturedMail> out = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            CapturedMail m = read(i, all[i]);
            if (m.to().toLowerCase(java.util.Locale.ROOT).contains(address.toLowerCase(java.util.Locale.ROOT))) out.add(m);
        }
        return out;
    }

    public void clear() {
        try {
            server.purgeEmailFromAllMailboxes();
        } catch (com.icegreen.greenmail.store.FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CapturedMail read(int index, MimeMessage message) {
        try {
            MimeMessageParser parsed = new MimeMessageParser(message).parse();
            Address[] to = message.getAllRecipients();
            return new CapturedMail(index, message.getSentDate() == null ? null : message.getSentDate().toInstant(),
                    message.getMessageID(), parsed.getFrom(),
                    to == null ? "" : Arrays.stream(to).map(SandboxMailbox::readable).collect(Collectors.joining(", ")),
                    parsed.getSubject(), parsed.getHtmlContent(), parsed.getPlainContent());
        } catch (MessagingException | java.io.IOException e) {
            throw new IllegalStateException("unreadable captured message: " + e.getMessage(), e);
        }
    }

    /** "Bérénice André <b@x.fr>" rather than its MIME encoded-word form. */
    private static String readable(Address address) {
        return address instanceof InternetAddress a ? a.toUnicodeString() : address.toString();
    }

    @Override
    public void close() {
        server.stop();
    }
}

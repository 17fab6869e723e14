package fr.publipostage.mailing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.publipostage.Setting;
import fr.publipostage.bounces.BounceFixtures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import com.sun.mail.smtp.SMTPMessage;

/**
 * One GreenMail with SMTP (the campaigns' server, and how bounces arrive) and IMAP (the bounce mailbox
 * the worker reads): the campaigns' envelope sender is the mailbox's address, bounces are sent to it
 * over SMTP as a remote mail server would, and the test reads the folders back over IMAP.
 */
final class BounceBox implements AutoCloseable {
    static final String ADDRESS = "bounces@sainte-anne.example.fr";
    static final String LOGIN = "bounces";
    static final String PASSWORD = "retour-a-l-envoyeur";
    static final String PROCESSED = "Publipostage-traites";

    final GreenMail greenMail;

    BounceBox() {
        greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        greenMail.start();
        greenMail.setUser(ADDRESS, LOGIN, PASSWORD);
    }

    /** The campaign settings of {@link MailFixture} with this mailbox as the envelope sender and bounce mailbox. */
    Map<Setting, String> settings(String verp, String poll) {
        Map<Setting, String> s = MailFixture.settings(greenMail.getSmtp().getPort());
        s.put(Setting.SMTP_ENVELOPE_FROM, ADDRESS);
        s.put(Setting.BOUNCE_IMAP_HOST, "127.0.0.1");
        s.put(Setting.BOUNCE_IMAP_PORT, String.valueOf(greenMail.getImap().getPort()));
        s.put(Setting.BOUNCE_IMAP_TLS, "none");
        s.put(Setting.BOUNCE_IMAP_USER, LOGIN);
        s.put(Setting.BOUNCE_IMAP_PASSWORD, PASSWORD);
        s.put(Setting.BOUNCE_POLL, poll);
        if (verp != null) s.put(Setting.BOUNCE_VERP, verp);
        return s;
    }

    /** A bounce of the fixture, as a remote server sends it: over SMTP to the mailbox (Return-Path and all in the text). */
    void deliver(String fixture, String originalMessageId, String failedAddress, String deliveredTo) throws Exception {
        deliverRaw(BounceFixtures.text(fixture, originalMessageId, failedAddress, deliveredTo, MailFixture.FROM));
    }

    void deliverRaw(String text) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", String.valueOf(greenMail.getSmtp().getPort()));
        Session session = Session.getInstance(p);
        SMTPMessage message = new SMTPMessage(new MimeMessage(session,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
        message.setEnvelopeFrom("MAILER-DAEMON@mx.example.org");
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            // sendMessage, not Transport.send: the message goes as written (no saveChanges, no new Message-ID).
            t.sendMessage(message, new InternetAddress[] {new InternetAddress(ADDRESS)});
        }
    }

    /** The Message-IDs of the messages now in a folder of the mailbox, and whether each is unread. */
    List<String> folder(String name) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.imap.peek", "true");
        Store store = Session.getInstance(p).getStore("imap");
        store.connect("127.0.0.1", greenMail.getImap().getPort(), LOGIN, PASSWORD);
        try {
            Folder f = store.getFolder(name);
            if (!f.exists()) return List.of();
            f.open(Folder.READ_ONLY);
            List<String> out = new ArrayList<>();
            for (Message m : f.getMessages()) {
                String[] id = m.getHeader("Message-ID");
                out.add((id == null ? "?" : id[0].strip()) + (m.isSet(javax.mail.Flags.Flag.SEEN) ? " seen" : " unread"));
            }
            f.close(false);
            return out;
        } finally {
            store.close();
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}

package fr.publipostage.mailing;

import java.time.Duration;
import java.util.Properties;
import javax.mail.Session;
import javax.net.ssl.SSLSocketFactory;

/** Where mails go: the configured server, or the sandbox on loopback. */
public record SmtpEndpoint(String host, int port, MailSettings.Tls tls, String user, String password,
                           String envelopeFrom, Duration timeout, boolean sandbox, SSLSocketFactory tlsSockets) {

    public static SmtpEndpoint of(MailSettings s, Integer sandboxPort) {
        String envelope = s.envelopeFrom().isBlank() ? bareAddress(s.effectiveFrom()) : s.envelopeFrom();
        if (s.sandbox()) {
            return new SmtpEndpoint("127.0.0.1", sandboxPort, MailSettings.Tls.none, "", "", envelope, s.timeout(), true, null);
        }
        return new SmtpEndpoint(s.host(), s.effectivePort(), s.tls(), s.user(), s.password(), envelope, s.timeout(), false,
                s.tls() == MailSettings.Tls.none ? null : SmtpTls.socketFactory(s.trustStore(), s.trustStorePassword()));
    }

    /** The javax.mail session for this endpoint: TLS mode, timeouts, envelope sender. */
    public Session session() {
        Properties p = new Properties();
        String t = String.valueOf(timeout.toMillis());
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.smtp.host", host);
        p.setProperty("mail.smtp.port", String.valueOf(port));
        p.setProperty("mail.smtp.connectiontimeout", t);
        p.setProperty("mail.smtp.timeout", t);
        p.setProperty("mail.smtp.writetimeout", t);
        p.setProperty("mail.smtp.from", envelopeFrom);
        p.setProperty("mail.smtp.auth", String.valueOf(!user.isBlank()));
        switch (tls) {
            // Trust and the server's name are checked by the JDK during the handshake (SmtpTls), which
            // also accepts IP addresses listed in the certificate; javax.mail's own check does not.
            case starttls -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "true");
                p.put("mail.smtp.ssl.socketFactory", tlsSockets);
            }
            case ssl -> {
                p.setProperty("mail.smtp.ssl.enable", "true");
                p.put("mail.smtp.ssl.socketFactory", tlsSockets);
                // Never fall back to the JVM's default factory (no name check) when ours fails.
                p.setProperty("mail.smtp.socketFactory.fallback", "false");
            }
            case none -> {
                // Plain SMTP: only for a relay on a trusted network, or the sandbox on loopback.
            }
        }
        return Session.getInstance(p);
    }

    public String describe() {
        return sandbox ? "sandbox smtp://127.0.0.1:" + port : "smtp://" + host + ":" + port + " (" + tls + ")";
    }

    /** "Name <a@b>" → "a@b". */
    static String bareAddress(String address) {
        int lt = address.indexOf('<');
        int gt = address.indexOf('>');
        return lt >= 0 && gt > lt ? address.substring(lt + 1, gt).trim() : address.trim();
    }
}

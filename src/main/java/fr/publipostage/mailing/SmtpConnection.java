package fr.publipostage.mailing;

import com.sun.mail.smtp.SMTPTransport;
import fr.publipostage.metrics.Metrics;
import java.time.Duration;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection reused for many messages (Commons Email's {@code send()} would open one per
 * message): opened on first use, renewed after {@code messagesPerConnection} messages or an error that
 * breaks it, closed when idle. Used by one worker thread at a time.
 */
public final class SmtpConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpConnection.class);

    private final SmtpEndpoint endpoint;
    private final Session session;
    private final int messagesPerConnection;
    private Transport transport;
    private int sentOnConnection;
    private boolean suspect;
    private long lastUsed = System.nanoTime();
    private long connectionsOpened;
    private final Metrics metrics;

    public SmtpConnection(SmtpEndpoint endpoint, int messagesPerConnection) {
        this(endpoint, messagesPerConnection, null);
    }

    /** {@code metrics}: counts messages accepted and failed attempts by reason (null: none). */
    public SmtpConnection(SmtpEndpoint endpoint, int messagesPerConnection, Metrics metrics) {
        this.endpoint = endpoint;
        this.session = endpoint.session();
        this.messagesPerConnection = messagesPerConnection;
        this.metrics = metrics;
    }

    public Session session() {
        return session;
    }

    public SmtpEndpoint endpoint() {
        return endpoint;
    }

    /** Sends one message to the given recipients; returns the server's reply to the message. */
    public synchronized String send(MimeMessage message, Address[] recipients) throws MessagingException {
        try {
            String reply = sendOnConnection(message, recipients);
            if (metrics != null) metrics.mailSent();
            return reply;
        } catch (MessagingException e) {
            if (metrics != null) metrics.mailFailed(SendError.classify(e).reason());
            throw e;
        } catch (RuntimeException e) {
            if (metrics != null) metrics.mailFailed(Reason.TEMPORARY);
            throw e;
        }
    }

    private String sendOnConnection(MimeMessage message, Address[] recipients) throws MessagingException {
        ensureOpen();
        lastUsed = System.nanoTime();
        try {
            transport.sendMessage(message, recipients);
        } catch (MessagingException | RuntimeException e) {
            SendError error = e instanceof MessagingException m ? SendError.classify(m) : null;
            if (error == null || error.connectionLost()) {
                closeQuietly();
            } else {
                // The server refused this message (RSET has been sent): check the line before the next one.
                suspect = true;
            }
            throw e;
        }
        sentOnConnection++;
        String reply = transport instanceof SMTPTransport smtp ? smtp.getLastServerResponse() : "";
        if (sentOnConnection >= messagesPerConnection) closeQuietly();
        return reply == null ? "" : reply.strip();
    }

    private void ensureOpen() throws MessagingException {
        // isConnected() costs a round trip (NOOP): asked only after the server refused a message.
        if (transport != null && suspect) {
            if (transport.isConnected()) suspect = false;
            else closeQuietly();
        }
        if (transport == null) {
            Transport t = session.getTransport("smtp");
            try {
                t.connect(endpoint.host(), endpoint.port(), endpoint.user().isBlank() ? null : endpoint.user(),
                        endpoint.password().isBlank() ? null : endpoint.password());
            } catch (MessagingException e) {
                throw implicitTlsExpected(e);
            }
            transport = t;
            sentOnConnection = 0;
            suspect = false;
            connectionsOpened++;
        }
    }

    /**
     * No greeting came (a timeout) from a server reached without implicit TLS: when it answers a TLS
     * handshake it is an implicit-TLS port (465) — the TLS mode does not match the port, which no retry
     * fixes. Otherwise the failure as it was.
     */
    private MessagingException implicitTlsExpected(MessagingException e) {
        if (endpoint.sandbox() || endpoint.tls() == MailSettings.Tls.ssl || !timedOut(e)
                || !SmtpTls.speaksTls(endpoint.host(), endpoint.port(), endpoint.timeout())) {
            return e;
        }
        return new ImplicitTlsExpected("no SMTP greeting from " + endpoint.host() + ":" + endpoint.port()
                + ", which answers a TLS handshake: it expects implicit TLS (ssl), not " + endpoint.tls(), e);
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = SendError.next(t)) {
            if (t instanceof java.net.SocketTimeoutException) return true;
        }
        return false;
    }

    /** The server speaks implicit TLS while this instance is set to STARTTLS or plain SMTP. */
    static final class ImplicitTlsExpected extends MessagingException {
        ImplicitTlsExpected(String message, Exception cause) {
            super(message, cause);
        }
    }

    /** Closes the connection if it has not been used for {@code idle}. */
    public synchronized void closeIfIdle(Duration idle) {
        if (transport != null && System.nanoTime() - lastUsed > idle.toNanos()) closeQuietly();
    }

    /** Connections opened so far (one per message when reuse is off). */
    public synchronized long connectionsOpened() {
        return connectionsOpened;
    }

    private void closeQuietly() {
        if (transport == null) return;
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("closing the SMTP connection: {}", e.toString());
        }
        transport = null;
        suspect = false;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}

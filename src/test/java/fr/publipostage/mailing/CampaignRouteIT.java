package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A campaign paused because its instance's SMTP settings were wrong (issue 17 §2) is resumed by an
 * instance whose settings were corrected — a login added, the TLS mode or the port fixed — which
 * changes the route's fingerprint: resuming adopts the corrected route, so the campaign is not left
 * waiting for instances with the wrong settings. Never across the sandbox, and never for a pause an
 * admin asked for.
 */
class CampaignRouteIT {
    @Test
    void aCampaignPausedForItsSmtpSettingsFollowsTheCorrectedOnesWhenResumed() throws Exception {
        GreenMail greenMail = MailFixture.greenMail();
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            Map<Setting, String> wrong = MailFixture.settings(greenMail.getSmtp().getPort());
            App before = db.app(wrong);
            long school = MailFixture.school(before, db, 3);
            Campaign c = MailFixture.start(before, MailFixture.teachers(before, school));
            String wrongRoute = c.mailRoute();
            assertThat(wrongRoute).isEqualTo(before.mailSettings().route()).startsWith("smtp:");

            Map<Setting, String> corrected = new java.util.EnumMap<>(wrong);
            corrected.put(Setting.SMTP_USER, "ent-lycee");
            corrected.put(Setting.SMTP_PASSWORD, "secret");
            App fixed = db.app(corrected);
            App sandbox = db.app(Map.of());

            // An admin's pause: resuming keeps the route, wherever it is resumed.
            before.campaigns().pause(c.id(), "admin.test");
            assertThat(fixed.campaigns().resume(c.id(), "admin.test").mailRoute()).isEqualTo(wrongRoute);

            // Paused for the settings: a sandbox instance resuming it does not take it.
            pauseForSettings(db, c.id());
            assertThat(sandbox.campaigns().resume(c.id(), "admin.test").mailRoute()).isEqualTo(wrongRoute);
            // The corrected instance does.
            pauseForSettings(db, c.id());
            Campaign resumed = fixed.campaigns().resume(c.id(), "admin.test");
            assertThat(resumed.status()).isEqualTo(Campaign.Status.running);
            assertThat(resumed.mailRoute()).isEqualTo(fixed.mailSettings().route()).isNotEqualTo(wrongRoute);
            assertThat(resumed.mailRouteLabel()).isEqualTo("127.0.0.1:" + greenMail.getSmtp().getPort() + " (none)");
            assertThat(resumed.pauseProblem()).isNull();
        } finally {
            greenMail.stop();
        }
    }

    private static void pauseForSettings(TestDatabase.Fresh db, long id) throws Exception {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("update mail_campaign set status = 'paused', pause_reason = 'smtp-login-required: 530 5.7.0 "
                    + "Authentication required', pause_server = '127.0.0.1' where id = " + id);
        }
    }
}

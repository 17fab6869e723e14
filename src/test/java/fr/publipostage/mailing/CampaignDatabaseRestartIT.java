package fr.publipostage.mailing;

import static fr.publipostage.mailing.MailFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.db.Database;
import fr.publipostage.db.DatabaseUnavailable;
import fr.publipostage.testing.FaultySmtp;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the embedded default's server dies while a campaign sends (SIGKILL of the postmaster,
 * by its PID) and the application starts it again; the campaign carries on. A mail the SMTP server
 * accepted just before the database went away is one mail: its "sent" is written once the database
 * is back, not lost, so nobody gets it twice.
 */
class CampaignDatabaseRestartIT {
    private static final int TEACHERS = 6;

    @TempDir
    Path dataDir;
    private GreenMail greenMail;
    private FaultySmtp slowServer;

    @BeforeEach
    void setUp() throws Exception {
        greenMail = MailFixture.greenMail();
        slowServer = new FaultySmtp(greenMail.getSmtp().getPort()).up();
    }

    @AfterEach
    void tearDown() {
        slowServer.close();
        greenMail.stop();
    }

    @Test
    void aMailAcceptedWhileTheDatabaseDiesIsRecordedOnceItIsBackAndNotSentTwice() throws Exception {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Map<Setting, String> settings = MailFixture.settings(slowServer.port());
        settings.put(Setting.DATA_DIR, dataDir.toString());
        settings.put(Setting.DEMO_DATA, "false");
        Config config = Config.of(settings);
        List<DatabaseUnavailable> lost = new CopyOnWriteArrayList<>();
        try (App app = new App(config, Database.open(config, lost::add))) {
            StringBuilder csv = new StringBuilder(MailFixture.HEADER).append('\n');
            for (int i = 1; i <= TEACHERS; i++) {
                csv.append(MailFixture.UAI + ";" + MailFixture.SCHOOL + ";Teacher;Prof" + i + ";Zoé;t" + i + ";;CODE" + (1000 + i)
                        + ";t" + i + "@example.org;;;;;2026-09-01;\n");
            }
            app.importer().importCsv(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), null);
            long structureId = MailFixture.structure(app).id();
            // Each reply of the SMTP server takes a while: the database dies while a send waits for its "250".
            slowServer.delayReplies(Duration.ofMillis(300));
            Campaign c = MailFixture.start(app, MailFixture.teachers(app, structureId));
            app.mailWorker().start();

            await(Duration.ofSeconds(30), "the first mail delivered", () -> greenMail.getReceivedMessages().length >= 1);
            ProcessHandle.of(app.database().embeddedServerPid()).orElseThrow().destroyForcibly();

            await(Duration.ofSeconds(120), "campaign finished", () -> {
                try {
                    return app.campaigns().progress(c.id()).campaign().status() == Campaign.Status.finished;
                } catch (RuntimeException e) {
                    return false; // the database is coming back
                }
            });
            assertThat(lost).isEmpty();
            CampaignProgress p = app.campaigns().progress(c.id());
            assertThat(p.counts().sent()).isEqualTo(TEACHERS);
            Map<String, List<MimeMessage>> received = MailFixture.byRecipient(greenMail);
            assertThat(received).hasSize(TEACHERS);
            received.forEach((address, mails) -> assertThat(mails).as("mails received by %s", address).hasSize(1));
        }
    }
}

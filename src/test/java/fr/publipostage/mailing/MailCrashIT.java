package fr.publipostage.mailing;

import static fr.publipostage.mailing.MailFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.App;
import fr.publipostage.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application as separate processes ({@code java … Main mail --campaign ID}) on the test's
 * PostgreSQL and GreenMail: killed with SIGKILL mid-campaign and restarted; two instances sharing one
 * campaign. The SMTP server stays in this JVM and sees everything.
 */
class MailCrashIT {
    private GreenMail greenMail;
    private TestDatabase.Fresh db;
    private App app;
    private long structureId;
    private Path workDir;

    @BeforeEach
    void setUp() throws Exception {
        greenMail = MailFixture.greenMail();
        db = TestDatabase.fresh();
        // This JVM only starts the campaign and reads the ledger: it sends nothing.
        app = db.app(MailFixture.settings(greenMail.getSmtp().getPort()));
        workDir = Files.createTempDirectory("publipostage-crash");
    }

    @AfterEach
    void tearDown() {
        greenMail.stop();
        db.close();
    }

    /** {@code mail --campaign ID} in a new JVM, output to a file, sending at {@code ratePerMinute}. */
    private Process instance(long campaignId, String name, int ratePerMinute) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "fr.publipostage.Main", "mail", "--campaign", String.valueOf(campaignId));
        pb.directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PUBLIPOSTAGE_"));
        env.put("PUBLIPOSTAGE_DB_URL", db.jdbcUrl());
        env.put("PUBLIPOSTAGE_DB_USER", "postgres");
        env.put("PUBLIPOSTAGE_DB_POOL_SIZE", "4");
        env.put("PUBLIPOSTAGE_LANGUAGE", "en");
        env.put("PUBLIPOSTAGE_SMTP_HOST", "127.0.0.1");
        env.put("PUBLIPOSTAGE_SMTP_PORT", String.valueOf(greenMail.getSmtp().getPort()));
        env.put("PUBLIPOSTAGE_SMTP_TLS", "none");
        env.put("PUBLIPOSTAGE_SMTP_FROM", MailFixture.FROM);
        env.put("PUBLIPOSTAGE_SMTP_RATE", String.valueOf(ratePerMinute));
        env.put("PUBLIPOSTAGE_SMTP_TIMEOUT", "1s");
        env.put("PUBLIPOSTAGE_MAIL_LEASE", "2s");
        env.put("PUBLIPOSTAGE_MAIL_POLL", "100ms");
        env.put("PUBLIPOSTAGE_MAIL_BATCH", "5");
        env.put("PUBLIPOSTAGE_MAIL_RETRY_DELAY", "100ms");
        env.put("PUBLIPOSTAGE_MAIL_RETRY_MAX_DELAY", "500ms");
        pb.redirectErrorStream(true);
        pb.redirectOutput(workDir.resolve(name + ".log").toFile());
        return pb.start();
    }

    private String log(String name) throws IOException {
        File f = workDir.resolve(name + ".log").toFile();
        return f.exists() ? Files.readString(f.toPath()) : "";
    }

    private CampaignProgress progress(long id) {
        return app.campaigns().progress(id);
    }

    @Test
    void killedWithSigkillMidCampaignThenRestarted() throws Exception {
        structureId = MailFixture.school(app, db, 30);
        Campaign c = MailFixture.start(app, MailFixture.teachers(app, structureId));
        Process first = instance(c.id(), "first", 600);
        try {
            await(Duration.ofSeconds(60), "the first instance sends a few", () -> greenMail.getReceivedMessages().length >= 8);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, rows left 'sending'
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        CampaignProgress killed = progress(c.id());
        assertThat(killed.campaign().status()).as("not finished with mails unsent").isEqualTo(Campaign.Status.running);
        assertThat(killed.counts().unfinished()).isPositive();
        int sentBeforeRestart = killed.counts().sent();

        Process second = instance(c.id(), "second", 600);
        try (FinishWatcher watcher = new FinishWatcher(app, c.id())) {
            assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("restarted instance ends: " + log("second")).isTrue();
            assertThat(second.exitValue()).as(log("second")).isZero();
            assertThat(watcher.violation()).isNull();
        } finally {
            second.destroyForcibly();
        }
        CampaignProgress done = progress(c.id());
        assertThat(done.campaign().status()).isEqualTo(Campaign.Status.finished);
        assertThat(done.counts().sent()).isEqualTo(30);
        assertThat(done.counts().sent()).isGreaterThan(sentBeforeRestart);
        // The message in flight at the kill (accepted by the server, not yet recorded) is the only allowed repeat.
        int repeats = Ledger.assertEachReachableRecipientGotExactlyOne(app, c.id(), greenMail, 1);
        List<String> instances = Ledger.rows(app, c.id()).stream().map(Recipient::sentBy).filter(s -> s != null)
                .distinct().collect(Collectors.toList());
        assertThat(instances).as("both processes sent part of it").hasSize(2);
        assertThat(log("second")).contains("Campaign #" + c.id() + " finished: 30 sent, 0 failed");
        System.out.println("kill -9 test: " + sentBeforeRestart + " sent before the kill, " + repeats + " repeat(s)");
    }

    @Test
    void twoInstancesShareOneCampaignWithoutSendingAnyoneTwice() throws Exception {
        structureId = MailFixture.school(app, db, 40);
        Campaign c = MailFixture.start(app, MailFixture.teachers(app, structureId));
        Process a = instance(c.id(), "a", 300);
        Process b = instance(c.id(), "b", 300);
        try (FinishWatcher watcher = new FinishWatcher(app, c.id())) {
            assertThat(a.waitFor(90, TimeUnit.SECONDS)).as(log("a")).isTrue();
            assertThat(b.waitFor(90, TimeUnit.SECONDS)).as(log("b")).isTrue();
            assertThat(a.exitValue()).as(log("a")).isZero();
            assertThat(b.exitValue()).as(log("b")).isZero();
            assertThat(watcher.violation()).isNull();
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }
        assertThat(progress(c.id()).campaign().status()).isEqualTo(Campaign.Status.finished);
        Ledger.assertEachReachableRecipientGotExactlyOne(app, c.id(), greenMail, 0);
        Map<String, Long> perInstance = Ledger.rows(app, c.id()).stream().filter(r -> r.sentBy() != null)
                .collect(Collectors.groupingBy(Recipient::sentBy, Collectors.counting()));
        assertThat(perInstance).as("both instances sent part of the campaign").hasSize(2);
        assertThat(perInstance.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(40);
        System.out.println("two instances: " + perInstance);
    }
}

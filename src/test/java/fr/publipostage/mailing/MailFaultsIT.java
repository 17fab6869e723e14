package fr.publipostage.mailing;

import static fr.publipostage.mailing.MailFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.db.Database;
import fr.publipostage.testing.FaultySmtp;
import fr.publipostage.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults between the application and a real SMTP server (GreenMail behind {@link FaultySmtp}), with a
 * real PostgreSQL: in every case each reachable recipient ends with exactly one message, failed rows
 * say why, and the campaign is not finished before the end.
 */
class MailFaultsIT {
    private static final Duration END = Duration.ofSeconds(30);

    private GreenMail greenMail;
    private FaultySmtp smtp;
    private TestDatabase.Fresh db;
    private App app;
    private long structureId;

    @BeforeEach
    void setUp() throws Exception {
        greenMail = MailFixture.greenMail();
        smtp = new FaultySmtp(greenMail.getSmtp().getPort());
        db = TestDatabase.fresh();
    }

    private App app(Map<Setting, String> extra, int teachers) throws Exception {
        Map<Setting, String> settings = MailFixture.settings(smtp.port());
        settings.putAll(extra);
        app = db.app(settings);
        structureId = MailFixture.school(app, db, teachers);
        return app;
    }

    @AfterEach
    void tearDown() {
        if (app != null) app.mailWorker().close();
        smtp.close();
        greenMail.stop();
        db.close();
    }

    private Campaign startTeachers() {
        return MailFixture.start(app, MailFixture.teachers(app, structureId));
    }

    private CampaignProgress progress(Campaign c) {
        return app.campaigns().progress(c.id());
    }

    private void awaitFinished(Campaign c) throws InterruptedException {
        await(END, "campaign finished", () -> progress(c).campaign().status() == Campaign.Status.finished);
    }

    @Test
    void serverDownAtTheStartThenBackMidCampaign() throws Exception {
        app(Map.of(), 8);
        Campaign c = startTeachers();
        try (FinishWatcher watcher = new FinishWatcher(app, c.id())) {
            app.mailWorker().start();
            await(END, "attempts against the down server", () -> Ledger.rows(app, c.id()).stream()
                    .filter(r -> r.reason() != null && r.reason().startsWith(Reason.UNREACHABLE)).count() >= 2);
            CampaignProgress p = progress(c);
            assertThat(p.campaign().status()).isEqualTo(Campaign.Status.running);
            assertThat(p.counts().sent()).isZero();
            assertThat(p.counts().pending()).isPositive();
            assertThat(greenMail.getReceivedMessages()).isEmpty();

            smtp.up();
            awaitFinished(c);
            assertThat(watcher.violation()).isNull();
        }
        Ledger.assertEachReachableRecipientGotExactlyOne(app, c.id(), greenMail, 0);
        assertThat(progress(c).counts().sent()).isEqualTo(8);
        assertThat(Ledger.rows(app, c.id())).anySatisfy(r -> assertThat(r.attempts()).isGreaterThan(1));
    }

    @Test
    void serverGoesAwayMidCampaignAndComesBack() throws Exception {
        smtp.up();
        app(Map.of(Setting.SMTP_RATE, "600"), 12);
        Campaign c = startTeachers();
        try (FinishWatcher watcher = new FinishWatcher(app, c.id())) {
            app.mailWorker().start();
            await(END, "a few sent", () -> greenMail.getReceivedMessages().length >= 3);
            smtp.down();
            Thread.sleep(600);
            assertThat(progress(c).campaign().status()).isEqualTo(Campaign.Status.running);
            smtp.up();
            awaitFinished(c);
            assertThat(watcher.violation()).isNull();
        }
        // A cut between GreenMail's "250" and its arrival here is the in-flight window: one repeat allowed.
        Ledger.assertEachReachableRecipientGotExactlyOne(app, c.id(), greenMail, 1);
        assertThat(progress(c).counts().sent()).isEqualTo(12);
    }

    @Test
    void temporaryRefusalThenAccepted() throws Exception {
        smtp.up();
        app(Map.of(), 6);
        smtp.script("t2@example.org", "451 4.7.1 Greylisted, please try again later", "452 4.2.2 Mailbox full, try later");
        Campaign c = startTeachers();
        try (FinishWatcher watcher = new FinishWatcher(app, c.id())) {
            app.mailWorker().start();
            awaitFinished(c);
            assertThat(watcher.violation()).isNull();
        }
        Ledger.assertEachReachableRecipientGotExactlyOne(app, c.id(), greenMail, 0);
        Recipient t2 = Ledger.rows(app, c.id()).stream().filter(r -> r.login().equals("t2")).findFirst().orElseThrow();
        assertThat(t2.status()).isEqualTo(Recipient.Status.sent);
        assertThat(t2.attempts()).isEqualTo(3);
        assertThat(progress(c).counts().sent()).isEqualTo(6);
    }

    @Test
    void permanentRefusalFailsThatRecipientAtOnceAndResendTouchesOnlyFailedRows() throws Exception {
        smtp.up();
        app(Map.of(), 6);
        smtp.always("t3@example.org", "550 5.1.1 <t3@example.org>: Recipient address rejected: User unknown");
        Campaign c = startTeachers();
        try (FinishWatcher watcher = new FinishWatcher(app, c.id())) {
            app.mailWorker().start();
            awaitFinished(c);
            assertThat(watcher.violation()).isNull();
        }
        Ledger.assertEachReachableRecipientGotExactlyOne(app, c.id(), greenMail, 0);
        Recipient t3 = Ledger.rows(app, c.id()).stream().filter(r -> r.login().equals("t3")).findFirst().orElseThrow();
        assertThat(t3.status()).isEqualTo(Recipient.Status.failed);
        assertThat(t3.attempts()).as("5xx: no retry").isEqualTo(1);
        assertThat(t3.reasonCode()).isEqualTo(Reason.REJECTED);
        assertThat(t3.reasonDetail()).contains("550").contains("User unknown");
        CampaignProgress.Counts counts = progress(c).counts();
        assertThat(counts.sent()).isEqualTo(5);
        assertThat(counts.failed()).isEqualTo(1);

        // The address is fixed on the server's side: resend to the failed only.
        smtp.always("t3@example.org", null);
        assertThat(app.campaigns().resendFailed(c.id(), "admin.test")).isEqualTo(1);
        assertThat(progress(c).campaign().status()).isEqualTo(Campaign.Status.running);
        awaitFinished(c);
        Ledger.assertEachReachableRecipientGotExactlyOne(app, c.id(), greenMail, 0);
        t3 = Ledger.rows(app, c.id()).stream().filter(r -> r.login().equals("t3")).findFirst().orElseThrow();
        assertThat(t3.status()).isEqualTo(Recipient.Status.sent);
        assertThat(t3.resends()).isEqualTo(1);
        assertThat(greenMail.getReceivedMessages()).hasSize(6);
        assertThat(app.campaigns().resendFailed(c.id(), "admin.test")).isZero();
    }

    @Test
    void pauseStopsSendingResumeGoesOnCancelLeavesTheRestUnsent() throws Exception {
        smtp.up();
        app(Map.of(Setting.SMTP_RATE, "600"), 20);
        Campaign c = startTeachers();
        app.mailWorker().start();
        await(END, "two sent", () -> progress(c).counts().sent() >= 2);

        app.campaigns().pause(c.id(), "admin.test");
        await(END, "nothing in flight", () -> progress(c).counts().sending() == 0);
        int atPause = greenMail.getReceivedMessages().length;
        Thread.sleep(400);
        CampaignProgress paused = progress(c);
        assertThat(paused.campaign().status()).isEqualTo(Campaign.Status.paused);
        assertThat(greenMail.getReceivedMessages()).hasSize(atPause);
        assertThat(paused.counts().sent()).isEqualTo(atPause);
        assertThat(paused.counts().pending()).isPositive();

        app.campaigns().resume(c.id(), "admin.test");
        await(END, "two more sent", () -> progress(c).counts().sent() >= atPause + 2);
        app.campaigns().cancel(c.id(), "admin.test");
        await(END, "nothing in flight", () -> progress(c).counts().sending() == 0);
        Thread.sleep(300);
        CampaignProgress cancelled = progress(c);
        assertThat(cancelled.campaign().status()).isEqualTo(Campaign.Status.cancelled);
        assertThat(cancelled.counts().cancelled()).isPositive();
        assertThat(cancelled.counts().pending()).isZero();
        assertThat(cancelled.counts().sent() + cancelled.counts().cancelled()).isEqualTo(20);
        Ledger.assertEachReachableRecipientGotExactlyOne(app, c.id(), greenMail, 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.campaigns().resume(c.id(), "admin.test"))
                .isInstanceOfSatisfying(CampaignRefused.class, e -> assertThat(e.key()).isEqualTo("campaign.refused.notPaused"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.campaigns().resendFailed(c.id(), "admin.test"))
                .isInstanceOf(CampaignRefused.class);
    }

    @Test
    void campaignRateHoldsAcrossTwoInstances() throws Exception {
        smtp.up();
        app(Map.of(Setting.SMTP_CAMPAIGN_RATE, "6"), 12);
        Map<Setting, String> second = MailFixture.settings(smtp.port());
        second.put(Setting.DB_URL, db.jdbcUrl());
        second.put(Setting.DB_POOL_SIZE, "3");
        Config secondConfig = Config.of(second);
        Campaign c = startTeachers();
        assertThat(c.ratePerMinute()).isEqualTo(6);
        try (App other = new App(secondConfig, Database.open(secondConfig))) {
            app.mailWorker().start();
            other.mailWorker().start();
            await(END, "six sent", () -> progress(c).counts().sent() >= 6);
            Thread.sleep(1500);
            CampaignProgress p = progress(c);
            assertThat(p.counts().sent()).as("6 per minute, both instances together").isEqualTo(6);
            assertThat(greenMail.getReceivedMessages()).hasSize(6);
            assertThat(p.campaign().status()).isEqualTo(Campaign.Status.running);
        }
    }
}

package fr.publipostage.mailing;

import static fr.publipostage.mailing.MailFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.testing.FaultySmtp;
import fr.publipostage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leases of a campaign's senders. A fault found by reading: a recipient's lease only had to last twice the SMTP timeout, but one send
 * on a new connection waits for up to seven replies (greeting, EHLO, MAIL, RCPT, DATA, end of data,
 * QUIT), each allowed to take almost the timeout. A slow but healthy server made the lease run out in
 * the middle of a send, and a second instance sent the same mail again.
 */
class MailLeaseIT {
    private GreenMail greenMail;
    private FaultySmtp slowServer;
    private TestDatabase.Fresh db;
    private App first;
    private App second;

    @BeforeEach
    void setUp() throws Exception {
        greenMail = MailFixture.greenMail();
        slowServer = new FaultySmtp(greenMail.getSmtp().getPort()).up();
        db = TestDatabase.fresh();
    }

    @AfterEach
    void tearDown() {
        if (first != null) first.mailWorker().close();
        if (second != null) second.mailWorker().close();
        slowServer.close();
        greenMail.stop();
        db.close();
    }

    @Test
    void aSlowSendKeepsItsLeaseAndNobodySendsItAgain() throws Exception {
        Map<Setting, String> settings = MailFixture.settings(slowServer.port());
        settings.put(Setting.SMTP_TIMEOUT, "1s");
        settings.put(Setting.MAIL_LEASE, "2s");
        settings.put(Setting.SMTP_MESSAGES_PER_CONNECTION, "1");
        first = db.app(settings);
        second = db.app(settings);
        long structureId = MailFixture.school(first, db, 2);
        Campaign c = MailFixture.start(first, MailFixture.teachers(first, structureId));
        // Every reply comes 0.7 s late: within the timeout, but a send takes about 5 s.
        slowServer.delayReplies(Duration.ofMillis(700));
        try (FinishWatcher watcher = new FinishWatcher(first, c.id())) {
            first.mailWorker().start();
            second.mailWorker().start();
            await(Duration.ofSeconds(90), "campaign finished",
                    () -> first.campaigns().progress(c.id()).campaign().status() == Campaign.Status.finished);
            assertThat(watcher.violation()).isNull();
        }
        Ledger.assertEachReachableRecipientGotExactlyOne(first, c.id(), greenMail, 0);
    }

    /**
     * Found by reading (a review): a sender frozen past its lease (GC pause, SIGSTOP, VM migration) wakes
     * up before any instance took its batch back. Its heartbeat found the lease expired and forgot it;
     * the worker handed the batch back: the database release succeeded, but the put-back was not run. The
     * rows stayed {@code sending} under a released lease no {@code takeBackExpired} ever sees.
     */
    @Test
    void aSenderWhoseLeaseRanOutWhileFrozenLeavesNoRowSendingForEver() throws Exception {
        Map<Setting, String> settings = MailFixture.settings(slowServer.port());
        settings.put(Setting.SMTP_MESSAGES_PER_CONNECTION, "1");
        first = db.app(settings);
        second = db.app(settings);
        long structureId = MailFixture.school(first, db, 3);
        Campaign c = MailFixture.start(first, MailFixture.teachers(first, structureId));
        // A send takes about two seconds: long enough for the heartbeat (every second at most) to run during it.
        slowServer.delayReplies(Duration.ofMillis(300));
        first.mailWorker().start();
        await(Duration.ofSeconds(20), "a batch being sent", () -> Ledger.rows(first, c.id()).stream()
                .anyMatch(r -> r.status() == Recipient.Status.sending));
        // The instance "froze" past its lease and no other instance took the batch back meanwhile.
        long epoch = longOf("select max(epoch) from work_lease where kind = 'mail' and released_at is null");
        sql("update work_lease set expires_at = now() - interval '1 second' where epoch = " + epoch);
        // It wakes up: its heartbeat finds the lease expired, its worker hands the batch back.
        await(Duration.ofSeconds(20), "the frozen sender handing its lease back",
                () -> longOf("select count(*) from work_lease where epoch = " + epoch + " and released_at is not null") == 1);
        slowServer.delayReplies(Duration.ZERO);
        second.mailWorker().start();
        // Both instances are alive and healthy from now on: the campaign must end (a lease is 11 s here).
        try {
            await(Duration.ofSeconds(45), "campaign finished",
                    () -> first.campaigns().progress(c.id()).campaign().status() == Campaign.Status.finished);
        } catch (AssertionError e) {
            CampaignProgress p = first.campaigns().progress(c.id());
            throw new AssertionError("campaign still " + p.campaign().status() + " with " + p.counts().sending()
                    + " row(s) 'sending' and " + p.counts().pending() + " pending; leases of kind mail: " + leases(), e);
        }
        Ledger.assertEachReachableRecipientGotExactlyOne(first, c.id(), greenMail, 1);
    }

    private String leases() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("select l.epoch, l.owner, l.released_at is not null as released, "
                     + "(select count(*) from mail_recipient r where r.lease_epoch = l.epoch and r.status = 'sending') as rows "
                     + "from work_lease l where l.kind = 'mail' order by l.epoch")) {
            while (rs.next()) {
                out.append("[epoch ").append(rs.getLong(1)).append(rs.getBoolean(3) ? " released" : " live")
                        .append(", rows sending ").append(rs.getLong(4)).append("] ");
            }
        }
        return out.toString();
    }

    private long longOf(String query) {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}

package fr.publipostage.mailing;

import static fr.publipostage.mailing.MailFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.testing.FaultySmtp;
import fr.publipostage.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fault found by reading: a recipient's lease only had to last twice the SMTP timeout, but one send
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
}

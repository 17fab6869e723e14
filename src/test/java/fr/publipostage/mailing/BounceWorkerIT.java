package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.bounces.BounceFixtures;
import fr.publipostage.bounces.BounceWorker;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

/**
 * Bounces delivered over SMTP into a real IMAP mailbox (GreenMail), in the shapes Postfix, Exim,
 * Microsoft 365 and qmail write them, read by the worker and brought back to the ledger.
 */
class BounceWorkerIT {
    private static final String VERP = "bounces+{token}@sainte-anne.example.fr";

    /** The teachers' campaign of {@link MailFixture#school}, sent to the end; its rows by address. */
    private static Map<String, Recipient> sendTeachers(App app, long structureId) throws Exception {
        Campaign c = MailFixture.start(app, MailFixture.teachers(app, structureId));
        MailFixture.await(java.time.Duration.ofSeconds(30), "campaign sent", () -> {
            try {
                app.mailWorker().runOnce();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return app.campaigns().progress(c.id()).campaign().isOver();
        });
        Map<String, Recipient> rows = new HashMap<>();
        for (Recipient r : Ledger.rows(app, c.id())) if (r.status() == Recipient.Status.sent) rows.put(r.address(), r);
        return rows;
    }

    @Test
    void reportsOfEveryFormReachTheLedgerAndTheRestIsKeptAndCounted() throws Exception {
        try (BounceBox box = new BounceBox(); TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app(box.settings(null, "1m"));
            long structureId = MailFixture.school(app, db, 6);
            Map<String, Recipient> rows = sendTeachers(app, structureId);
            long campaignId = rows.get("t1@example.org").campaignId();
            String b = BounceBox.ADDRESS;
            box.deliver("postfix-permanent.eml", rows.get("t1@example.org").messageId(), "t1@example.org", b);
            box.deliver("m365-permanent.eml", rows.get("t2@example.org").messageId(), "t2@example.org", b);
            box.deliver("exim-permanent.eml", rows.get("t3@example.org").messageId(), "t3@example.org", b);
            box.deliver("qmail-permanent.eml", rows.get("t4@example.org").messageId(), "t4@example.org", b);
            box.deliver("postfix-delayed.eml", rows.get("t5@example.org").messageId(), "t5@example.org", b);
            box.deliver("unmatched-postfix.eml", "<unused@example.org>", "someone@example.org", b);
            // Our Message-ID's shape with t6's row id but another campaign's token: not his row.
            box.deliver("qmail-permanent.eml", "<00000000-0000-4000-8000-000000000000." + rows.get("t6@example.org").id()
                    + "@sainte-anne.example.fr>", "t6@example.org", b);
            box.deliver("malformed-report.eml", "<unused@example.org>", "t6@example.org", b);
            box.deliver("out-of-office.eml", rows.get("t6@example.org").messageId(), "t6@example.org", b);

            BounceWorker.Pass pass = app.bounceWorker().runOnce();

            assertThat(pass.held()).isTrue();
            assertThat(pass.read()).isEqualTo(9);
            assertThat(pass.bounced()).isEqualTo(4);
            assertThat(pass.delayed()).isEqualTo(1);
            assertThat(pass.unmatched()).isEqualTo(2);
            assertThat(pass.malformed()).isEqualTo(1);
            assertThat(pass.other()).isEqualTo(1);
            assertThat(pass.moved()).isEqualTo(5);
            Map<String, Recipient> after = new HashMap<>();
            for (Recipient r : Ledger.rows(app, campaignId)) if (r.address() != null) after.put(r.address(), r);
            assertThat(after.get("t1@example.org").status()).isEqualTo(Recipient.Status.bounced);
            assertThat(after.get("t1@example.org").bounceStatus()).isEqualTo("5.1.1");
            assertThat(after.get("t1@example.org").bounceDiagnostic()).contains("User unknown in virtual mailbox table");
            assertThat(after.get("t1@example.org").bouncedAt()).isNotNull();
            assertThat(after.get("t2@example.org").status()).isEqualTo(Recipient.Status.bounced);
            assertThat(after.get("t2@example.org").bounceStatus()).isEqualTo("5.1.10");
            assertThat(after.get("t3@example.org").status()).isEqualTo(Recipient.Status.bounced);
            assertThat(after.get("t4@example.org").status()).isEqualTo(Recipient.Status.bounced);
            assertThat(after.get("t5@example.org").status()).as("a delay leaves the row sent").isEqualTo(Recipient.Status.sent);
            assertThat(after.get("t5@example.org").delayStatus()).isEqualTo("4.4.1");
            assertThat(after.get("t5@example.org").delayDiagnostic()).contains("Connection timed out");
            assertThat(after.get("t6@example.org").status()).isEqualTo(Recipient.Status.sent);
            assertThat(after.get("t6@example.org").bounceStatus()).isNull();

            CampaignProgress.Counts n = app.campaigns().progress(campaignId).counts();
            assertThat(n.sent()).isEqualTo(2);
            assertThat(n.bounced()).isEqualTo(4);
            assertThat(n.delayed()).isEqualTo(1);
            assertThat(n.skipped()).isEqualTo(2);

            assertThat(flags(db)).containsOnlyKeys("t1", "t2", "t3", "t4");
            assertThat(flags(db).get("t2")).startsWith("5.1.10: 550 5.1.10 RESOLVER.ADR.RecipientNotFound");

            // Matched reports moved; the rest kept, still unread.
            assertThat(box.folder(BounceBox.PROCESSED)).hasSize(5);
            List<String> kept = box.folder("INBOX");
            assertThat(kept).hasSize(4).allMatch(s -> s.endsWith(" unread"));

            // Nothing is read twice; a new message is.
            assertThat(app.bounceWorker().runOnce().read()).isZero();
            box.deliver("exim-delayed.eml", "<unused@example.org>", "t6@example.org", b);
            BounceWorker.Pass later = app.bounceWorker().runOnce();
            assertThat(later.read()).isEqualTo(1);
            assertThat(later.unmatched()).as("no Message-ID and no VERP address: nothing names the row").isEqualTo(1);
            assertThat(counts(db)).containsEntry("bounced", 4).containsEntry("delayed", 1).containsEntry("unmatched", 3)
                    .containsEntry("malformed", 1).containsEntry("other", 1);

            // A new address on import clears the flag; the same address keeps it.
            String header = MailFixture.HEADER + "\n";
            app.importer().importCsv(new ByteArrayInputStream((header
                    + MailFixture.UAI + ";" + MailFixture.SCHOOL + ";Teacher;Prof1;Zoé;t1;;CODE1001;zoe.prof1@example.net;;;;;2026-09-01;\n"
                    + MailFixture.UAI + ";" + MailFixture.SCHOOL + ";Teacher;Prof2;Zoé;t2;;;t2@example.org;;;;;2026-09-01;\n")
                    .getBytes(StandardCharsets.UTF_8)), null);
            assertThat(flags(db)).containsOnlyKeys("t2", "t3", "t4");
        }
    }

    @Test
    void withVerpEachMessageCarriesItsOwnEnvelopeSenderAndABounceQuotingNothingIsMatched() throws Exception {
        try (BounceBox box = new BounceBox(); TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app(box.settings(VERP, "1m"));
            long structureId = MailFixture.school(app, db, 3);
            Map<String, Recipient> rows = sendTeachers(app, structureId);
            for (Recipient r : rows.values()) {
                MimeMessage got = MailFixture.byRecipient(box.greenMail).get(r.address()).get(0);
                String token = r.messageId().substring(1, r.messageId().indexOf('@'));
                assertThat(got.getHeader("Return-Path", null)).as("envelope sender of " + r.address())
                        .isEqualTo("<bounces+" + token + "@sainte-anne.example.fr>");
            }
            String t1 = verpOf(rows.get("t1@example.org"));
            String t2 = verpOf(rows.get("t2@example.org"));
            // The report lost the message (no copy, no id of ours): only the address it came back to names the row.
            box.deliver("postfix-permanent.eml", "<lost-on-the-way@relay.example.net>", "t1@example.org", t1);
            box.deliver("exim-delayed.eml", "<unused@example.org>", "t2@example.org", t2);
            BounceWorker.Pass pass = app.bounceWorker().runOnce();
            assertThat(pass.bounced()).isEqualTo(1);
            assertThat(pass.delayed()).isEqualTo(1);
            Map<String, Recipient> after = new HashMap<>();
            for (Recipient r : Ledger.rows(app, rows.get("t1@example.org").campaignId())) if (r.address() != null) after.put(r.address(), r);
            assertThat(after.get("t1@example.org").status()).isEqualTo(Recipient.Status.bounced);
            assertThat(after.get("t2@example.org").delayStatus()).isEqualTo("4.7.1");
        }
    }

    @Test
    void oneInstanceAtATimeReadsTheMailbox() throws Exception {
        try (BounceBox box = new BounceBox(); TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app(box.settings(null, "1m"));
            long structureId = MailFixture.school(app, db, 2);
            Map<String, Recipient> rows = sendTeachers(app, structureId);
            box.deliver("postfix-permanent.eml", rows.get("t1@example.org").messageId(), "t1@example.org", BounceBox.ADDRESS);
            String key = app.bounceSettings().mailboxKey();
            execute(db, "insert into bounce_mailbox (mailbox, holder, lease_until) values ('" + key
                    + "', 'another-instance', now() + interval '1 minute')");
            assertThat(app.bounceWorker().runOnce().held()).as("another instance holds a live lease").isFalse();
            assertThat(box.folder("INBOX")).hasSize(1);
            execute(db, "update bounce_mailbox set lease_until = now() - interval '1 second'");
            BounceWorker.Pass pass = app.bounceWorker().runOnce();
            assertThat(pass.held()).as("an expired lease is taken over").isTrue();
            assertThat(pass.bounced()).isEqualTo(1);
            assertThat(query(db, "select coalesce(holder, '-') from bounce_mailbox")).as("handed back after the pass").isEqualTo("-");
        }
    }

    @Test
    void aNulCharacterInAMessageIsNoPoisonForTheMailbox() throws Exception {
        try (BounceBox box = new BounceBox(); TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app(box.settings(null, "1m"));
            long structureId = MailFixture.school(app, db, 2);
            Map<String, Recipient> rows = sendTeachers(app, structureId);
            // Any message may reach the bounce mailbox: a NUL (here encoded in the subject, and in a forged
            // report's Diagnostic-Code) is a character PostgreSQL refuses in text.
            box.deliverRaw(BounceFixtures.text("out-of-office.eml", "<unused@example.org>", "t2@example.org", BounceBox.ADDRESS, MailFixture.FROM)
                    .replace("Subject: =?UTF-8?Q?R=C3=A9ponse", "Subject: =?UTF-8?Q?R=00=C3=A9ponse"));
            box.deliverRaw(BounceFixtures.text("postfix-permanent.eml", rows.get("t2@example.org").messageId(), "t2@example.org",
                    BounceBox.ADDRESS, MailFixture.FROM).replace("Content-Type: message/delivery-status\r\n",
                    "Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: quoted-printable\r\n")
                    .replace("Diagnostic-Code: smtp; 550 5.1.1", "Diagnostic-Code: smtp; 550 5.1.1 =00")
                    .replace("Message-Id: <20250902081522.", "Message-Id: <20250902081523."));
            box.deliver("postfix-permanent.eml", rows.get("t1@example.org").messageId(), "t1@example.org", BounceBox.ADDRESS);

            BounceWorker.Pass pass = app.bounceWorker().runOnce();

            assertThat(pass.read()).isEqualTo(3);
            assertThat(pass.bounced()).isEqualTo(2);
            assertThat(pass.other()).isEqualTo(1);
            Map<String, Recipient> after = new HashMap<>();
            for (Recipient r : Ledger.rows(app, rows.get("t1@example.org").campaignId())) if (r.address() != null) after.put(r.address(), r);
            assertThat(after.get("t1@example.org").status()).isEqualTo(Recipient.Status.bounced);
            assertThat(after.get("t2@example.org").status()).isEqualTo(Recipient.Status.bounced);
            assertThat(after.get("t2@example.org").bounceDiagnostic()).startsWith("550 5.1.1").doesNotContain("\u0000");
            assertThat(query(db, "select coalesce(last_error, '-') from bounce_mailbox")).isEqualTo("-");
        }
    }

    @Test
    void mailOnACampaignWithABounceListsItAndSaysNotEveryoneGotTheMail() throws Exception {
        try (BounceBox box = new BounceBox(); TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app(box.settings(null, "1m"));
            long structureId = MailFixture.school(app, db, 2);
            Map<String, Recipient> rows = sendTeachers(app, structureId);
            box.deliver("postfix-permanent.eml", rows.get("t1@example.org").messageId(), "t1@example.org", BounceBox.ADDRESS);
            assertThat(app.bounceWorker().runOnce().bounced()).isEqualTo(1);

            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            int code = new fr.publipostage.cli.MailCommand(new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8)).run(app, "en",
                    new fr.publipostage.cli.Args(List.of("--campaign", String.valueOf(rows.get("t1@example.org").campaignId())),
                            java.util.Set.of()));
            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("t1@example.org");
            // README: exit code 0 when every mailable account got its mail; t1's came back undelivered.
            assertThat(code).as(printed).isEqualTo(1);
        }
    }

    private static String verpOf(Recipient r) {
        return "bounces+" + r.messageId().substring(1, r.messageId().indexOf('@')) + "@sainte-anne.example.fr";
    }

    private static Map<String, String> flags(TestDatabase.Fresh db) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select login, email_bounce from account where email_bounced_at is not null")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return out;
    }

    private static Map<String, Integer> counts(TestDatabase.Fresh db) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select outcome, count(*) from bounce_message group by outcome")) {
            while (rs.next()) out.put(rs.getString(1), rs.getInt(2));
        }
        return out;
    }

    private static void execute(TestDatabase.Fresh db, String sql) throws Exception {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    private static String query(TestDatabase.Fresh db, String sql) throws Exception {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

package fr.publipostage.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.mailing.Campaign;
import fr.publipostage.mailing.CampaignProgress;
import fr.publipostage.mailing.CampaignWorker;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * Mails per second into a local SMTP server (GreenMail, in this JVM), rate limit off, through the
 * whole path: campaign start (ledger rows), claim, compose (Velocity), build (Commons Email), SMTP,
 * ledger update — one worker, as one instance runs it. Connection reuse on (100 messages per
 * connection, the default) and off (1 per connection).
 *
 * <p>Args: [mails with reuse on, default 2000] [mails with reuse off, default 200]
 */
public final class MailBench {
    private static final String UAI = "0330077B";

    public static void main(String[] args) throws Exception {
        int onCount = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int offCount = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        System.out.printf("MailBench: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        try {
            // The first run is cold (JIT) and GreenMail creates one mailbox per new address, which is slow
            // and grows with the count: it is reported, then the same addresses are used warm.
            run(greenMail, "cold first run (reuse on)", onCount, 100);
            run(greenMail, "reuse on (100 per connection)", onCount, 100);
            run(greenMail, "reuse off (1 per connection)", offCount, 1);
            run(greenMail, "reuse on, again", onCount, 100);
        } finally {
            greenMail.stop();
        }
        System.exit(0);
    }

    private static void run(GreenMail greenMail, String label, int mails, int perConnection) throws Exception {
        greenMail.purgeEmailFromAllMailboxes();
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            Map<Setting, String> s = new EnumMap<>(Setting.class);
            s.put(Setting.SMTP_HOST, "127.0.0.1");
            s.put(Setting.SMTP_PORT, String.valueOf(greenMail.getSmtp().getPort()));
            s.put(Setting.SMTP_TLS, "none");
            s.put(Setting.SMTP_FROM, "ent@bench.example.fr");
            s.put(Setting.SMTP_RATE, "0");
            s.put(Setting.SMTP_MESSAGES_PER_CONNECTION, String.valueOf(perConnection));
            s.put(Setting.MAIL_BATCH, "50");
            App app = db.app(s);
            StringBuilder csv = new StringBuilder("uai;structure_name;profile;last_name;first_name;login;login_alias;"
                    + "activation_code;email;level;classes;relatives;functions;created_at;language\n");
            for (int i = 1; i <= mails; i++) {
                csv.append(UAI).append(";Lycée du Banc d'Essai;Teacher;Nom").append(i).append(";Prénom;t").append(i)
                        .append(";;").append(i % 2 == 0 ? "" : "CODE" + i).append(";t").append(i)
                        .append("@example.org;;;;;2026-09-01;").append(i % 3 == 0 ? "en" : "").append('\n');
            }
            app.importer().importCsv(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), null);
            long structureId = app.campaigns().structureByUai(UAI).id();

            long t0 = System.nanoTime();
            Campaign c = app.campaigns().start(Selection.everyone(structureId), Scope.EVERYTHING, "bench");
            long t1 = System.nanoTime();
            CampaignWorker worker = app.mailWorker();
            while (!app.campaigns().progress(c.id()).campaign().isOver()) worker.runOnce();
            long t2 = System.nanoTime();
            CampaignProgress p = app.campaigns().progress(c.id());
            int received = greenMail.getReceivedMessages().length;
            double sendSeconds = (t2 - t1) / 1e9;
            System.out.printf("%-32s %5d mails: start (ledger) %6.0f ms, sending %7.2f s = %7.1f mails/s; "
                            + "sent %d, failed %d, received %d, SMTP connections %d%n",
                    label, mails, (t1 - t0) / 1e6, sendSeconds, p.counts().sent() / sendSeconds,
                    p.counts().sent(), p.counts().failed(), received, worker.smtp().connectionsOpened());
            worker.close();

        }
    }
}

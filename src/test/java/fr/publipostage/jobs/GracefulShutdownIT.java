package fr.publipostage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.publipostage.mailing.Campaign;
import fr.publipostage.testing.Fleet;
import fr.publipostage.testing.HttpSession;
import fr.publipostage.testing.Instance;
import fr.publipostage.testing.PdfPages;
import fr.publipostage.testing.SharedDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.mail.Address;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to an instance that renders a letters job and sends a campaign, beside another instance:
 * it stops taking work, hands its leases back at once (the other resumes the job long before the
 * lease would have expired), finishes the message it was sending and puts the rest of its batch back
 * (nobody gets a mail twice), abandons its chunks cleanly (its temp folder is gone), then exits.
 */
class GracefulShutdownIT {
    private static final int PUPILS = 360;
    private static final int TEACHERS = 40;

    @Test
    void sigtermHandsTheWorkBackAtOnce() throws Exception {
        GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        try (Fleet fleet = new Fleet(SharedDatabase.Kind.EMBEDDED, Map.of())) {
            fleet.school(PUPILS, TEACHERS);
            // Leases of a minute: a takeover that waited for expiry could not happen within the test's bounds.
            Map<String, String> settings = Map.ofEntries(Map.entry("PUBLIPOSTAGE_PDF_THREADS", "1"),
                    Map.entry("PUBLIPOSTAGE_PDF_CHUNK_PAGES", "20"), Map.entry("PUBLIPOSTAGE_PDF_JOB_LEASE", "60s"),
                    Map.entry("PUBLIPOSTAGE_PDF_DIRECT_MAX", "50"), Map.entry("PUBLIPOSTAGE_MAIL_LEASE", "60s"),
                    Map.entry("PUBLIPOSTAGE_SMTP_HOST", "127.0.0.1"),
                    Map.entry("PUBLIPOSTAGE_SMTP_PORT", String.valueOf(greenMail.getSmtp().getPort())),
                    Map.entry("PUBLIPOSTAGE_SMTP_TLS", "none"), Map.entry("PUBLIPOSTAGE_SMTP_FROM", "ent@example.fr"),
                    Map.entry("PUBLIPOSTAGE_SMTP_RATE", "120"),
                    // Generous: a reply later than the timeout (a loaded machine) would be retried, a repeat unrelated to the stop.
                    Map.entry("PUBLIPOSTAGE_SMTP_TIMEOUT", "10s"),
                    Map.entry("PUBLIPOSTAGE_MAIL_POLL", "100ms"), Map.entry("PUBLIPOSTAGE_MAIL_BATCH", "10"));
            Instance a = fleet.start("inst-a", settings);
            Instance b = fleet.start("inst-b", settings);
            a.awaitServing(Duration.ofMinutes(2));
            b.awaitServing(Duration.ofMinutes(2));
            HttpSession session = fleet.login(a);
            String base = "/api/structures/" + Fleet.UAI;
            HttpResponse<String> job = session.post(base + "/letters", Map.of("layout", "1"));
            assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
            long jobId = new ObjectMapper().readTree(job.body()).get("id").asLong();
            HttpResponse<String> started = session.post(base + "/campaigns", Map.of("profile", "Teacher"));
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            long campaignId = new ObjectMapper().readTree(started.body()).get("id").asLong();

            fleet.await(Duration.ofMinutes(5), "the job renders and mails go out",
                    () -> jobOf(fleet, jobId).pagesDone() > 0 && greenMail.getReceivedMessages().length >= 2);
            LetterJob before = jobOf(fleet, jobId);
            Instance owner = fleet.byOwner(before.worker());
            Instance other = owner == a ? b : a;

            owner.sigterm();
            long termAt = System.nanoTime();
            fleet.await(Duration.ofSeconds(20), "the other instance resumes the job",
                    () -> jobOf(fleet, jobId).leaseEpoch() > before.leaseEpoch());
            long takeoverMillis = (System.nanoTime() - termAt) / 1_000_000;
            assertThat(fleet.byOwner(jobOf(fleet, jobId).worker())).isSameAs(other);
            assertThat(owner.waitFor(Duration.ofSeconds(40))).as("it stops\n" + owner.tail()).isTrue();
            long exitedMillis = (System.nanoTime() - termAt) / 1_000_000;
            assertThat(owner.process().exitValue()).as(owner.tail()).isIn(0, 143);
            assertThat(owner.log()).contains("handed back on shutdown");
            assertThat(fleet.db.queryLong("select count(*) from work_lease where owner like '" + owner.name()
                    + "-%' and released_at is null")).as("no lease left held").isZero();
            assertThat(fleet.db.queryLong("select count(*) from work_instance where id like '" + owner.name() + "-%'")).isZero();
            assertThat(fleet.tempEntries()).as("its run folder is gone")
                    .noneMatch(p -> p.getFileName().toString().startsWith("run-" + owner.pid() + "-"));

            fleet.await(Duration.ofMinutes(4), "the job is done and the campaign finished",
                    () -> jobOf(fleet, jobId).state().equals(LetterJob.DONE)
                            && fleet.app.campaigns().progress(campaignId).campaign().status() == Campaign.Status.finished);
            HttpResponse<byte[]> pdf = fleet.login(other).getBytes(base + "/letters/jobs/" + jobId + "/pdf");
            assertThat(pdf.statusCode()).isEqualTo(200);
            assertThat(PdfPages.texts(pdf.body())).as("one page per account").hasSize(PUPILS + TEACHERS);
            // A graceful stop repeats nothing: the message in flight was finished and recorded.
            Map<String, Integer> perAddress = new HashMap<>();
            for (MimeMessage m : greenMail.getReceivedMessages()) {
                for (Address to : m.getAllRecipients()) perAddress.merge(to.toString(), 1, Integer::sum);
            }
            assertThat(perAddress).hasSize(TEACHERS);
            perAddress.forEach((address, n) -> assertThat(n).as(address + " got " + n + " mails; ledger: "
                    + fleet.db.queryString("select string_agg(status || ' by ' || coalesce(sent_by, '-') || ' after '"
                    + " || attempts || ' attempt(s)', '; ') from mail_recipient where address = '" + address.replaceAll(".*<|>.*", "")
                    + "'") + "\n" + owner.tail(200)).isEqualTo(1));
            System.out.printf("SIGTERM: letters job resumed by the other instance after %d ms (lease 60 s); "
                    + "instance exited after %d ms; 0 repeated mails%n", takeoverMillis, exitedMillis);
        } finally {
            greenMail.stop();
        }
    }

    private static LetterJob jobOf(Fleet fleet, long id) {
        return fleet.app.jobStore().find(id).orElseThrow();
    }
}

package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.testing.Fleet;
import fr.publipostage.testing.Instance;
import fr.publipostage.testing.SharedDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A campaign sent by two {@code serve} instances in JVMs of their own on one database (embedded, and
 * Debian's server in {@code .ci/run}), one of them killed with SIGKILL mid-campaign and a third one
 * started: every recipient gets the mail once — bar the one message in flight at the kill, repeated
 * with the same Message-ID — and the campaign is never "finished" while a row is pending or sending.
 */
class CampaignInstancesIT {
    private static final int TEACHERS = 60;

    private static Map<String, String> smtp(GreenMail greenMail) {
        return Map.ofEntries(Map.entry("PUBLIPOSTAGE_SMTP_HOST", "127.0.0.1"),
                Map.entry("PUBLIPOSTAGE_SMTP_PORT", String.valueOf(greenMail.getSmtp().getPort())),
                Map.entry("PUBLIPOSTAGE_SMTP_TLS", "none"), Map.entry("PUBLIPOSTAGE_SMTP_FROM", MailFixture.FROM),
                // 4 messages a second per instance: the campaign lasts long enough to kill one mid-way.
                Map.entry("PUBLIPOSTAGE_SMTP_RATE", "240"), Map.entry("PUBLIPOSTAGE_SMTP_TIMEOUT", "1s"),
                Map.entry("PUBLIPOSTAGE_MAIL_LEASE", "2s"), Map.entry("PUBLIPOSTAGE_MAIL_POLL", "100ms"),
                Map.entry("PUBLIPOSTAGE_MAIL_BATCH", "5"), Map.entry("PUBLIPOSTAGE_MAIL_RETRY_DELAY", "100ms"),
                Map.entry("PUBLIPOSTAGE_MAIL_RETRY_MAX_DELAY", "500ms"));
    }

    @ParameterizedTest
    @EnumSource(SharedDatabase.Kind.class)
    void oneOfTwoSendersKilledAThirdStartsEveryoneGetsTheMailOnce(SharedDatabase.Kind kind) throws Exception {
        GreenMail greenMail = MailFixture.greenMail();
        try (Fleet fleet = new Fleet(kind, Map.of())) {
            fleet.school(0, TEACHERS);
            Instance a = fleet.start("inst-a", smtp(greenMail));
            Instance b = fleet.start("inst-b", smtp(greenMail));
            a.awaitServing(Duration.ofMinutes(2));
            b.awaitServing(Duration.ofMinutes(2));
            HttpResponse<String> started = fleet.login(a).post("/api/structures/" + Fleet.UAI + "/campaigns",
                    Map.of("profile", "Teacher"));
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            long id = new ObjectMapper().readTree(started.body()).get("id").asLong();
            CampaignProgress progress;
            try (FinishWatcher watcher = new FinishWatcher(fleet.app, id)) {
                fleet.await(Duration.ofMinutes(2), "both instances send some",
                        () -> sentBy(fleet, id, a) >= 3 && sentBy(fleet, id, b) >= 3);
                a.sigkill();
                long killedAt = System.nanoTime();
                String heldByA = "select count(*) from work_lease where kind = 'mail' and released_at is null and owner like 'inst-a-%'";
                long leasesOfA = fleet.db.queryLong(heldByA);
                Instance c = fleet.serve("inst-c", smtp(greenMail));
                fleet.await(Duration.ofMinutes(1), "the killed instance's rows are taken back",
                        () -> fleet.db.queryLong("select count(*) from mail_recipient r join work_lease l on l.epoch = r.lease_epoch"
                                + " where r.campaign_id = " + id + " and r.status = 'sending' and l.owner like 'inst-a-%'") == 0);
                long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
                // The killed sender's leases are taken over by the survivors, and counted on their /metrics.
                fleet.await(Duration.ofMinutes(1), "the killed instance's leases are taken over", () -> fleet.db.queryLong(heldByA) == 0);
                String series = "publipostage_lease_takeovers_total{queue=\"mail\"}";
                assertThat(fleet.metric(b, series) + fleet.metric(c, series)).isGreaterThanOrEqualTo(leasesOfA);
                fleet.await(Duration.ofMinutes(3), "the campaign is finished",
                        () -> fleet.app.campaigns().progress(id).campaign().status() == Campaign.Status.finished);
                assertThat(watcher.violation()).isNull();
                progress = fleet.app.campaigns().progress(id);
                assertThat(progress.counts().sent()).isEqualTo(TEACHERS);
                int repeats = Ledger.assertEachReachableRecipientGotExactlyOne(fleet.app, id, greenMail, 1);
                Map<String, Long> perInstance = Ledger.rows(fleet.app, id).stream()
                        .collect(Collectors.groupingBy(r -> r.sentBy().substring(0, 6), Collectors.counting()));
                assertThat(perInstance).containsKeys("inst-a", "inst-b");
                assertThat(c.alive()).isTrue();
                System.out.printf("[%s] campaign: SIGKILLed sender's rows taken back after %d ms, %d repeat(s), sent by %s%n",
                        fleet.db, takeoverMillis, repeats, perInstance);
            }
        } finally {
            greenMail.stop();
        }
    }

    private static long sentBy(Fleet fleet, long campaignId, Instance i) {
        return fleet.db.queryLong("select count(*) from mail_recipient where campaign_id = " + campaignId
                + " and status = 'sent' and sent_by like '" + i.name() + "-%'");
    }
}

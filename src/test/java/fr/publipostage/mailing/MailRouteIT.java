package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.Setting;
import fr.publipostage.selection.Scope;
import fr.publipostage.testing.Fleet;
import fr.publipostage.testing.HttpSession;
import fr.publipostage.testing.Instance;
import fr.publipostage.testing.SharedDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 §1: instances with different mail settings on one database do not share campaigns. A
 * campaign records the route it was started for (the sandbox, or a fingerprint of server and
 * identity); an instance sends only campaigns of its own route; a campaign no running instance can
 * send says so in its progress, and goes out once an instance with its route starts.
 */
class MailRouteIT {
    private static final int TEACHERS = 12;
    private static final String OTHER_FROM = "secretariat@autre-serveur.example.fr";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, String> real(GreenMail greenMail, String from) {
        return Map.of("PUBLIPOSTAGE_SMTP_HOST", "127.0.0.1", "PUBLIPOSTAGE_SMTP_PORT", String.valueOf(greenMail.getSmtp().getPort()),
                "PUBLIPOSTAGE_SMTP_TLS", "none", "PUBLIPOSTAGE_SMTP_FROM", from, "PUBLIPOSTAGE_MAIL_POLL", "100ms");
    }

    private static long start(HttpSession session) throws Exception {
        HttpResponse<String> r = session.post("/api/structures/" + Fleet.UAI + "/campaigns", Map.of("profile", "Teacher"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("id").asLong();
    }

    @Test
    void aSandboxInstanceAndARealOneSendOnlyTheirOwnCampaigns() throws Exception {
        GreenMail greenMail = MailFixture.greenMail();
        // The test's own application is set for a third route (another From): nobody sends that one yet.
        Map<Setting, String> thirdRoute = Map.of(Setting.SMTP_HOST, "127.0.0.1", Setting.SMTP_PORT,
                String.valueOf(greenMail.getSmtp().getPort()), Setting.SMTP_TLS, "none", Setting.SMTP_FROM, OTHER_FROM);
        try (Fleet fleet = new Fleet(SharedDatabase.Kind.EMBEDDED, thirdRoute)) {
            long schoolId = fleet.school(0, TEACHERS);
            Instance sandbox = fleet.start("inst-sandbox", Map.of("PUBLIPOSTAGE_MAIL_POLL", "100ms"));
            Instance real = fleet.start("inst-real", real(greenMail, MailFixture.FROM));
            sandbox.awaitServing(Duration.ofMinutes(2));
            real.awaitServing(Duration.ofMinutes(2));
            long inSandbox = start(fleet.login(sandbox));
            long forReal = start(fleet.login(real));
            Campaign unsendable = fleet.app.campaigns().start(fleet.app.selections().parse(schoolId,
                    Map.of("profile", List.of("Teacher"))), Scope.LOCAL_ADMIN, Fleet.ADMIN);

            fleet.await(Duration.ofMinutes(2), "both campaigns finished", () ->
                    fleet.app.campaigns().progress(inSandbox).campaign().status() == Campaign.Status.finished
                    && fleet.app.campaigns().progress(forReal).campaign().status() == Campaign.Status.finished);
            assertThat(fleet.app.campaigns().find(inSandbox).mailRoute()).isEqualTo("sandbox");
            assertThat(fleet.app.campaigns().find(forReal).mailRoute()).startsWith("smtp:");
            assertThat(senders(fleet, inSandbox)).as("the sandbox campaign, sent by the sandbox instance only")
                    .allMatch(s -> s.startsWith("inst-sandbox-"));
            assertThat(senders(fleet, forReal)).as("the real campaign, sent by the real instance only")
                    .allMatch(s -> s.startsWith("inst-real-"));
            // What reached the real server: the real campaign's mails, each once; none of the sandbox's.
            String realToken = fleet.app.campaigns().find(forReal).token();
            Set<String> ids = new HashSet<>();
            for (MimeMessage m : greenMail.getReceivedMessages()) {
                assertThat(m.getMessageID()).contains(realToken);
                assertThat(ids.add(m.getMessageID())).isTrue();
            }
            assertThat(ids).hasSize(TEACHERS);
            // The sandbox instance captured the sandbox campaign's mails.
            HttpSession onSandbox = fleet.login(sandbox);
            JsonNode box = JSON.readTree(onSandbox.get("/api/structures/" + Fleet.UAI + "/sandbox").body());
            assertThat(box.get("total").asInt()).isEqualTo(TEACHERS);

            // The third campaign waits for an instance with its route, and says so, in both languages.
            CampaignProgress waiting = fleet.app.campaigns().progress(unsendable.id());
            assertThat(waiting.stalled()).isTrue();
            assertThat(waiting.counts().sent()).isZero();
            String url = "/api/structures/" + Fleet.UAI + "/campaigns/" + unsendable.id();
            JsonNode fr = JSON.readTree(onSandbox.get(url + "?lang=fr").body());
            assertThat(fr.get("stalled").asBoolean()).isTrue();
            assertThat(fr.get("stalledLabel").asText()).contains("aucune instance ne peut l’envoyer".substring(1))
                    .contains("127.0.0.1:" + greenMail.getSmtp().getPort());
            JsonNode en = JSON.readTree(onSandbox.get(url + "?lang=en").body());
            assertThat(en.get("stalledLabel").asText()).startsWith("No instance can send it");
            JsonNode sent = JSON.readTree(onSandbox.get("/api/structures/" + Fleet.UAI + "/campaigns/" + forReal).body());
            assertThat(sent.get("stalled").asBoolean()).isFalse();
            assertThat(sent.get("stalledLabel").isNull()).isTrue();

            // An instance with that route starts: the campaign goes out, from it only.
            fleet.serve("inst-third", real(greenMail, OTHER_FROM));
            fleet.await(Duration.ofMinutes(2), "the third campaign finished",
                    () -> fleet.app.campaigns().progress(unsendable.id()).campaign().status() == Campaign.Status.finished);
            assertThat(senders(fleet, unsendable.id())).allMatch(s -> s.startsWith("inst-third-"));
            assertThat(greenMail.getReceivedMessages()).hasSize(2 * TEACHERS);
            assertThat(fleet.app.campaigns().progress(unsendable.id()).stalled()).isFalse();
        } finally {
            greenMail.stop();
        }
    }

    private static Set<String> senders(Fleet fleet, long campaignId) {
        Set<String> out = new HashSet<>();
        for (Recipient r : Ledger.rows(fleet.app, campaignId)) {
            if (r.status() == Recipient.Status.sent) out.add(r.sentBy());
        }
        assertThat(out).isNotEmpty();
        return out;
    }
}

package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.Setting;
import fr.publipostage.mailing.SandboxMailbox;
import fr.publipostage.web.WebFixture.Who;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The e-mail endpoints over HTTP, with the real sandbox (GreenMail inside the app) and a real
 * PostgreSQL: confirmation counts, start (CSRF), sending to the end, progress, recipient filters,
 * the ledger CSV, the state actions, the sandbox mailbox, and every error a user can cause. The
 * worker is driven by {@code runOnce()} so that each state is observed, not raced.
 */
class CampaignApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEACHERS = "profile=Teacher";
    private static WebFixture web;
    private static WebFixture.Client admin;

    @BeforeAll
    static void start() {
        web = new WebFixture(Map.of(Setting.MAIL_BATCH, "50"));
        admin = web.as(Who.LOCAL_OWN);
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    private static String base(String uai) {
        return "/api/structures/" + uai + "/campaigns";
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    private static HttpResponse<String> post(WebFixture.Client c, String path, String query) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            form.put(kv[0], kv[1]);
        }
        return c.post(path, form, "X-CSRF-Token", c.csrf);
    }

    private static JsonNode startCampaign(String query) {
        HttpResponse<String> r = post(admin, base(WebFixture.OWN), query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    private static void sendToTheEnd(long campaignId) throws InterruptedException {
        while (!web.app.campaigns().progress(campaignId).campaign().isOver()) web.app.mailWorker().runOnce();
    }

    @Test
    void theConfirmationCountsAreTheCheckStepsAndListThoseWithoutAddress() {
        JsonNode check = json(admin.get("/api/structures/" + WebFixture.OWN + "/selection?" + TEACHERS + "&limit=1"));
        HttpResponse<String> r = admin.get(base(WebFixture.OWN) + "/preview?" + TEACHERS);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode p = json(r);
        assertThat(p.get("selected").asInt()).isEqualTo(check.get("total").asInt());
        assertThat(p.get("toMail").asInt() + p.get("withoutAddress").asInt() + p.get("blocked").asInt())
                .isEqualTo(p.get("selected").asInt());
        assertThat(p.get("activations").asInt() + p.get("reminders").asInt()).isEqualTo(p.get("toMail").asInt());
        assertThat(p.get("withoutAddress").asInt()).isPositive();
        assertThat(p.get("withoutAddressListed")).hasSize(Math.min(CampaignApi.LISTED_WITHOUT_ADDRESS, p.get("withoutAddress").asInt()));
        assertThat(p.get("withoutAddressListed").get(0).get("profileLabel").asText()).isEqualTo("Enseignant");
        assertThat(p.get("sandbox").asBoolean()).isTrue();
        // A bad filter is the check step's 400, with its sentence.
        HttpResponse<String> bad = admin.get(base(WebFixture.OWN) + "/preview?profile=Martian");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("Martian");
    }

    @Test
    void aCampaignIsSentFollowedFilteredAndItsLedgerExported() throws Exception {
        JsonNode preview = json(admin.get(base(WebFixture.OWN) + "/preview?" + TEACHERS));
        int toMail = preview.get("toMail").asInt();

        // Without the CSRF token: refused, nothing written.
        int before = web.app.campaigns().list(structureId(), 1000).size();
        HttpResponse<String> noToken = admin.post(base(WebFixture.OWN), Map.of("profile", "Teacher"));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(json(noToken).get("code").asText()).isEqualTo("auth.csrf");
        assertThat(web.app.campaigns().list(structureId(), 1000)).hasSize(before);

        JsonNode started = startCampaign(TEACHERS);
        long id = started.get("id").asLong();
        assertThat(started.get("status").asText()).isEqualTo("running");
        assertThat(started.get("counts").get("pending").asInt()).isEqualTo(toMail);
        assertThat(started.get("counts").get("skipped").asInt()).isEqualTo(preview.get("withoutAddress").asInt()
                + preview.get("blocked").asInt());

        sendToTheEnd(id);
        JsonNode done = json(admin.get(base(WebFixture.OWN) + "/" + id));
        assertThat(done.get("status").asText()).isEqualTo("finished");
        assertThat(done.get("statusLabel").asText()).isEqualTo("terminée");
        assertThat(done.get("counts").get("sent").asInt()).isEqualTo(toMail);
        assertThat(done.get("counts").get("percentDone").asInt()).isEqualTo(100);
        assertThat(json(admin.get(base(WebFixture.OWN))).findValuesAsText("id")).contains(String.valueOf(id));

        // The recipient table and its filters.
        JsonNode sent = json(admin.get(base(WebFixture.OWN) + "/" + id + "/recipients?status=sent&limit=10"));
        assertThat(sent.get("total").asInt()).isEqualTo(toMail);
        assertThat(sent.get("rows")).hasSize(10);
        JsonNode first = sent.get("rows").get(0);
        assertThat(first.get("statusLabel").asText()).isEqualTo("envoyé");
        assertThat(first.get("address").asText()).contains("@");
        JsonNode skipped = json(admin.get(base(WebFixture.OWN) + "/" + id + "/recipients?status=skipped"));
        assertThat(skipped.get("total").asInt()).isEqualTo(started.get("counts").get("skipped").asInt());
        assertThat(skipped.get("rows").get(0).get("reason").asText()).isNotBlank();
        String login = first.get("login").asText();
        JsonNode searched = json(admin.get(base(WebFixture.OWN) + "/" + id + "/recipients?search=" + login));
        assertThat(searched.get("rows").get(0).get("login").asText()).isEqualTo(login);
        HttpResponse<String> badStatus = admin.get(base(WebFixture.OWN) + "/" + id + "/recipients?status=lost");
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(json(badStatus).get("error").asText()).contains("lost").contains("pending");
        HttpResponse<String> badKind = admin.get(base(WebFixture.OWN) + "/" + id + "/recipients?kind=postcard");
        assertThat(badKind.statusCode()).isEqualTo(400);
        assertThat(json(badKind).get("error").asText()).contains("postcard");
        assertThat(admin.get(base(WebFixture.OWN) + "/" + id + "/recipients?limit=100000").statusCode()).isEqualTo(400);

        // The ledger CSV: BOM, headers in French, one line per recipient, no activation code.
        HttpResponse<byte[]> csv = admin.getBytes(base(WebFixture.OWN) + "/" + id + "/ledger.csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("campagne-" + id);
        String text = new String(csv.body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF\"Nom\";\"Prénom\"");
        String[] lines = text.substring(1).split("\r\n");
        assertThat(lines).hasSize(started.get("counts").get("total").asInt() + 1);
        assertThat(text).contains("\"envoyé\"").contains("\"non envoyé\"");

        // The sandbox mailbox: exactly the campaign's mails, labelled as not delivered.
        JsonNode box = json(admin.get("/api/structures/" + WebFixture.OWN + "/sandbox?limit=5"));
        assertThat(box.get("total").asInt()).isGreaterThanOrEqualTo(toMail);
        assertThat(box.get("notDelivered").asText()).isEqualTo(web.app.messages().get("fr", "sandbox.notDelivered"));
        JsonNode mail = box.get("messages").get(0);
        assertThat(mail.get("text").asText()).doesNotContain("$").doesNotContain("{0}");
        HttpResponse<String> html = admin.get(mail.get("htmlUrl").asText());
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.body()).contains("<html");
        assertThat(html.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'").contains("sandbox");
        HttpResponse<String> page = admin.get("/sandbox/" + WebFixture.OWN, "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("NON DISTRIBUÉ").contains("<iframe sandbox=\"\"")
                .contains(Html.escape(web.app.messages().get("fr", "sandbox.notDelivered")))
                .contains(Html.escape(mail.get("subject").asText()));
        assertThat(admin.get("/api/structures/" + WebFixture.OWN + "/sandbox/999999/html").statusCode()).isEqualTo(404);
        assertThat(admin.get("/api/structures/" + WebFixture.OWN + "/sandbox/x/html").statusCode()).isEqualTo(404);

        // Another school's admin sees none of it; under his own school the campaign does not exist.
        WebFixture.Client other = web.as(Who.LOCAL_OTHER);
        assertThat(other.get(base(WebFixture.OWN) + "/" + id).statusCode()).isEqualTo(403);
        HttpResponse<String> elsewhere = other.get(base(WebFixture.OTHER) + "/" + id);
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(elsewhere.body()).doesNotContain("Montesquieu");
        assertThat(json(other.get("/api/structures/" + WebFixture.OTHER + "/sandbox")).get("total").asInt()).isZero();
        assertThat(other.get("/api/structures/" + WebFixture.OTHER + "/sandbox/0/html").statusCode()).isEqualTo(404);

        // Resend to failed on a finished campaign without failures: nothing to resend, nobody mailed twice.
        int captured = web.app.sandbox().count();
        JsonNode resend = json(post(admin, base(WebFixture.OWN) + "/" + id + "/resend-failed", ""));
        assertThat(resend.get("resent").asInt()).isZero();
        assertThat(resend.get("status").asText()).isEqualTo("finished");
        web.app.mailWorker().runOnce();
        assertThat(web.app.sandbox().count()).isEqualTo(captured);
    }

    @Test
    void pauseResumeCancelAndTheirRefusals() {
        JsonNode started = startCampaign("profile=Personnel");
        String url = base(WebFixture.OWN) + "/" + started.get("id").asLong();
        JsonNode paused = json(post(admin, url + "/pause", ""));
        assertThat(paused.get("status").asText()).isEqualTo("paused");
        HttpResponse<String> again = post(admin, url + "/pause", "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("error").asText()).isEqualTo(web.app.messages().get("fr", "campaign.refused.notRunning"));
        assertThat(json(post(admin, url + "/resume", "")).get("status").asText()).isEqualTo("running");
        // Without the CSRF token the state does not move.
        assertThat(admin.post(url + "/cancel", Map.of()).statusCode()).isEqualTo(403);
        assertThat(json(admin.get(url)).get("status").asText()).isEqualTo("running");
        JsonNode cancelled = json(post(admin, url + "/cancel", ""));
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.get("over").asBoolean()).isTrue();
        assertThat(cancelled.get("counts").get("cancelled").asInt()).isEqualTo(started.get("counts").get("pending").asInt());
        assertThat(post(admin, url + "/resume", "").statusCode()).isEqualTo(409);
        HttpResponse<String> resend = post(admin, url + "/resend-failed", "");
        assertThat(resend.statusCode()).isEqualTo(409);
        assertThat(json(resend).get("code").asText()).isEqualTo("campaign.refused.cancelled");
        // The English sentence with ?lang=en.
        HttpResponse<String> english = post(admin, url + "/pause?lang=en", "");
        assertThat(json(english).get("error").asText()).isEqualTo(web.app.messages().get("en", "campaign.refused.notRunning"));
    }

    @Test
    void errorsSayWhatIsWrong() {
        // Unknown or malformed campaign ids, and an unknown school.
        assertThat(admin.get(base(WebFixture.OWN) + "/987654").statusCode()).isEqualTo(404);
        HttpResponse<String> malformed = admin.get(base(WebFixture.OWN) + "/abc/recipients");
        assertThat(malformed.statusCode()).isEqualTo(404);
        assertThat(json(malformed).get("code").asText()).isEqualTo("campaign.refused.notFound");
        assertThat(post(admin, base(WebFixture.OWN) + "/987654/pause", "").statusCode()).isEqualTo(404);
        assertThat(admin.get(base("0999999Z") + "/preview").statusCode()).isEqualTo(404);
        // Nothing to send: a sentence, no campaign.
        HttpResponse<String> nothing = post(admin, base(WebFixture.OWN), "profile=Teacher&email=without");
        assertThat(nothing.statusCode()).isEqualTo(400);
        assertThat(json(nothing).get("error").asText()).isEqualTo(web.app.messages().get("fr", "campaign.refused.nothingToSend"));
        // A bad selection in the start request.
        HttpResponse<String> badSelection = post(admin, base(WebFixture.OWN), "profile=Teacher&activation=sometimes");
        assertThat(badSelection.statusCode()).isEqualTo(400);
        assertThat(json(badSelection).get("error").asText()).contains("sometimes");
        // A class teacher prints; he does not send.
        WebFixture.Client teacher = web.as(Who.CLASS_TEACHER);
        HttpResponse<String> refused = teacher.get(base(WebFixture.OWN) + "/preview?profile=Student");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).get("code").asText()).isEqualTo("mailweb.printOnly");
        assertThat(post(teacher, base(WebFixture.OWN), "profile=Student").statusCode()).isEqualTo(403);
        // Anonymous: 401.
        assertThat(web.client().get(base(WebFixture.OWN) + "/preview").statusCode()).isEqualTo(401);
    }

    @Test
    void withARealServerThereIsNoSandboxMailbox() throws Exception {
        try (SandboxMailbox real = SandboxMailbox.start(0)) {
            // Another app over the same database, configured with an SMTP server: no sandbox page.
            var app = web.db.app(Map.of(Setting.SMTP_HOST, "127.0.0.1", Setting.SMTP_PORT, String.valueOf(real.port()),
                    Setting.SMTP_TLS, "none", Setting.SMTP_FROM, "ent@lycee.example.fr"));
            var server = app.server().start(0);
            try {
                WebFixture.Client c = web.as(Who.LOCAL_OWN).at(server.port());
                HttpResponse<String> r = c.get("/api/structures/" + WebFixture.OWN + "/sandbox");
                assertThat(r.statusCode()).isEqualTo(404);
                assertThat(json(r).get("code").asText()).isEqualTo("mailweb.noSandbox");
                assertThat(json(c.get(base(WebFixture.OWN) + "/preview?" + TEACHERS)).get("sandbox").asBoolean()).isFalse();
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void startingACampaignNeedsTheSecondFactorWhenThePlatformRequiresIt() {
        var app = web.db.app(Map.of(Setting.TOTP_REQUIRED, "true"));
        var server = app.server().start(0);
        try {
            WebFixture.Client c = web.as(Who.LOCAL_OWN).at(server.port());
            int before = web.app.campaigns().list(structureId(), 1000).size();
            HttpResponse<String> r = post(c, base(WebFixture.OWN), TEACHERS);
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(json(r).get("code").asText()).isEqualTo("auth.totpEnrolRequired");
            assertThat(web.app.campaigns().list(structureId(), 1000)).hasSize(before);
            // The counts carry no credential: no code needed to see them.
            assertThat(c.get(base(WebFixture.OWN) + "/preview?" + TEACHERS).statusCode()).isEqualTo(200);
        } finally {
            server.stop();
        }
    }

    @Test
    void resumingOrResendingSendsCodesAndNeedsTheSecondFactorLikeTheStart() {
        // Both send mails carrying activation codes, as a start does (they asked for none; found by a review).
        JsonNode started = startCampaign("profile=Personnel");
        String path = base(WebFixture.OWN) + "/" + started.get("id").asLong();
        assertThat(json(post(admin, path + "/pause", "")).get("status").asText()).isEqualTo("paused");
        var app = web.db.app(Map.of(Setting.TOTP_REQUIRED, "true"));
        var server = app.server().start(0);
        try {
            WebFixture.Client c = web.as(Who.LOCAL_OWN).at(server.port());
            for (String action : List.of("/resume", "/resend-failed")) {
                HttpResponse<String> r = post(c, path + action, "");
                assertThat(r.statusCode()).as(action + ": " + r.body()).isEqualTo(403);
                assertThat(json(r).get("code").asText()).isEqualTo("auth.totpEnrolRequired");
            }
            assertThat(json(admin.get(path)).get("status").asText()).isEqualTo("paused");
            // Stopping sends nothing: no code needed.
            assertThat(post(c, path + "/cancel", "").statusCode()).isEqualTo(200);
        } finally {
            server.stop();
        }
    }

    private static long structureId() {
        return web.app.campaigns().structureByUai(WebFixture.OWN).id();
    }
}

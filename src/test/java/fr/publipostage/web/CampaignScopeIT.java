package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.Setting;
import fr.publipostage.web.WebFixture.Who;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leak 1 of issue 10: a super admin's campaign on a school's staff reaches the platform's hidden
 * SUPER_ADMIN account; the school's local admin must still never see that account — not in the
 * recipient table, the ledger CSV, the progress counts, nor the sandbox mailbox (list and HTML).
 */
class CampaignScopeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HIDDEN_LOGIN = "super.admin.0330001a";
    private static final String HIDDEN_CODE = "HIDDEN42";
    private static final String HIDDEN_ADDRESS = "plateforme.cachee@exemple.fr";
    private static WebFixture web;
    private static long campaignId;

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture(Map.of(Setting.MAIL_BATCH, "200"));
        try (Connection c = web.db.database().dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("update account set activation_code = ?, email = ? where login = ?")) {
            st.setString(1, HIDDEN_CODE);
            st.setString(2, HIDDEN_ADDRESS);
            st.setString(3, HIDDEN_LOGIN);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        WebFixture.Client superAdmin = web.as(Who.SUPER);
        HttpResponse<String> started = superAdmin.post("/api/structures/" + WebFixture.OWN + "/campaigns",
                Map.of("profile", "Personnel"), "X-CSRF-Token", superAdmin.csrf);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        campaignId = JSON.readTree(started.body()).get("id").asLong();
        while (!web.app.campaigns().progress(campaignId).campaign().isOver()) web.app.mailWorker().runOnce();
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String campaign() {
        return "/api/structures/" + WebFixture.OWN + "/campaigns/" + campaignId;
    }

    @Test
    void theSuperAdminSeesTheAccountHisCampaignReached() throws Exception {
        WebFixture.Client superAdmin = web.as(Who.SUPER);
        assertThat(superAdmin.get(campaign() + "/recipients?limit=200").body()).contains(HIDDEN_LOGIN);
        assertThat(superAdmin.get("/api/structures/" + WebFixture.OWN + "/sandbox?limit=200").body()).contains(HIDDEN_ADDRESS);
    }

    @Test
    void theLocalAdminsRecipientTableAndLedgerLeaveTheHiddenAccountOut() throws Exception {
        WebFixture.Client local = web.as(Who.LOCAL_OWN);
        HttpResponse<String> recipients = local.get(campaign() + "/recipients?limit=200");
        assertThat(recipients.statusCode()).isEqualTo(200);
        assertThat(recipients.body()).doesNotContain(HIDDEN_LOGIN).doesNotContain(HIDDEN_ADDRESS);
        HttpResponse<String> searched = local.get(campaign() + "/recipients?search=plateforme");
        assertThat(json(searched).get("total").asInt()).isZero();

        HttpResponse<String> ledger = local.get(campaign() + "/ledger.csv");
        assertThat(ledger.statusCode()).isEqualTo(200);
        assertThat(ledger.body()).doesNotContain(HIDDEN_LOGIN).doesNotContain(HIDDEN_ADDRESS).doesNotContain("Plateforme");
    }

    @Test
    void theLocalAdminsCountsAreThoseOfHisOwnView() throws Exception {
        WebFixture.Client local = web.as(Who.LOCAL_OWN);
        int visible = json(local.get("/api/structures/" + WebFixture.OWN + "/selection?profile=Personnel&limit=1"))
                .get("total").asInt();
        JsonNode progress = json(local.get(campaign()));
        assertThat(progress.get("counts").get("total").asInt()).isEqualTo(visible);
        JsonNode all = json(local.get(campaign() + "/recipients?limit=200"));
        assertThat(all.get("total").asInt()).isEqualTo(visible);
        // The list of campaigns shows the same counts.
        for (JsonNode c : json(local.get("/api/structures/" + WebFixture.OWN + "/campaigns"))) {
            if (c.get("id").asLong() == campaignId) assertThat(c.get("counts").get("total").asInt()).isEqualTo(visible);
        }
        // The super admin's own view counts the hidden account.
        JsonNode superView = json(web.as(Who.SUPER).get(campaign()));
        assertThat(superView.get("counts").get("total").asInt()).isEqualTo(visible + 1);
    }

    @Test
    void theLocalAdminsSandboxMailboxHoldsNoMailOfTheHiddenAccount() throws Exception {
        WebFixture.Client local = web.as(Who.LOCAL_OWN);
        HttpResponse<String> list = local.get("/api/structures/" + WebFixture.OWN + "/sandbox?limit=200");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(HIDDEN_ADDRESS).doesNotContain(HIDDEN_CODE);
        HttpResponse<String> page = local.get("/sandbox/" + WebFixture.OWN + "?limit=200");
        assertThat(page.body()).doesNotContain(HIDDEN_ADDRESS).doesNotContain(HIDDEN_CODE);

        // Every message index of the sandbox: the hidden account's HTML is not served to the local admin.
        JsonNode superList = json(web.as(Who.SUPER).get("/api/structures/" + WebFixture.OWN + "/sandbox?limit=200"));
        String hiddenUrl = null;
        for (JsonNode m : superList.get("messages")) {
            if (m.get("to").toString().contains(HIDDEN_ADDRESS)) hiddenUrl = m.get("htmlUrl").asText();
        }
        assertThat(hiddenUrl).isNotNull();
        HttpResponse<String> html = local.get(hiddenUrl);
        assertThat(html.statusCode()).isEqualTo(404);
        assertThat(html.body()).doesNotContain(HIDDEN_CODE);
        assertThat(web.as(Who.SUPER).get(hiddenUrl).body()).contains(HIDDEN_CODE);
    }
}

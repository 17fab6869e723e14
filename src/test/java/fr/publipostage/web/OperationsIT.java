package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.Setting;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.web.WebFixture.Who;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What operators get (issue 12 §3): /metrics in Prometheus text, protected by a super admin's session or
 * a bearer token; request ids; the login throttle counting the address a trusted proxy forwards, and
 * only that.
 */
class OperationsIT {
    private static final String TOKEN = "scrape-token-5b1e0f7c2a9d";

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in:%n%s", series, scrape.length() > 3000 ? scrape.substring(0, 3000) : scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void metricsAreProtectedAndShowRoutesPoolQueuesPagesAndMails() throws Exception {
        try (WebFixture web = new WebFixture(Map.of(Setting.METRICS_TOKEN, TOKEN))) {
            WebFixture.Client anonymous = web.client();
            HttpResponse<String> refused = anonymous.get("/metrics");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(anonymous.get("/metrics", "Authorization", "Bearer not-the-token").statusCode()).isEqualTo(401);
            assertThat(web.as(Who.LOCAL_OWN).get("/metrics").statusCode()).isEqualTo(403);

            // Some work: a check-step query, a printed class, a (sandbox) campaign.
            WebFixture.Client admin = web.as(Who.LOCAL_OWN);
            String base = "/api/structures/" + WebFixture.OWN;
            assertThat(admin.get(base + "/selection?profile=Teacher&limit=5").statusCode()).isEqualTo(200);
            Map<String, String> form = new LinkedHashMap<>();
            form.put("class", DemoDirectory.DEMO_TUTOR_CLASS);
            form.put("profile", "Student");
            HttpResponse<String> pdf = admin.post(base + "/letters", form, "X-CSRF-Token", admin.csrf);
            assertThat(pdf.statusCode()).as(pdf.body()).isEqualTo(200);
            web.app.mailWorker().start();
            HttpResponse<String> campaign = admin.post(base + "/campaigns", Map.of("profile", "Teacher"), "X-CSRF-Token", admin.csrf);
            assertThat(campaign.statusCode()).isEqualTo(201);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!admin.get(base + "/campaigns").body().contains("\"finished\"") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }

            HttpResponse<String> scraped = anonymous.get("/metrics", "Authorization", "Bearer " + TOKEN);
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            String text = scraped.body();
            // Requests by route template and status, with a latency histogram; never the raw path.
            assertThat(text).contains("http_server_requests_seconds_bucket{")
                    .containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/api/structures/\\{uai\\}/selection\"[^}]*status=\"200\"")
                    .doesNotContain("route=\"/api/structures/" + WebFixture.OWN);
            assertThat(value(text, "publipostage_pages_rendered_total")).isGreaterThan(0);
            assertThat(value(text, "publipostage_mails_sent_total")).isGreaterThan(50);
            assertThat(text).contains("hikaricp_connections_active{").contains("hikaricp_connections_max{")
                    .contains("publipostage_jobs{state=\"queued\"}").contains("publipostage_jobs{state=\"running\"}")
                    .contains("publipostage_jobs{state=\"failed\"}").contains("publipostage_mail_queue{status=\"pending\"}")
                    .contains("publipostage_lease_takeovers_total{queue=\"letters\"}")
                    .contains("publipostage_lease_takeovers_total{queue=\"mail\"}").contains("jvm_memory_used_bytes{");

            // Every response carries a request id: made here, or the proxy's when it is a plain token.
            assertThat(anonymous.get("/health").headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{16}");
            assertThat(anonymous.get("/health", "X-Request-Id", "proxy-req-0001").headers().firstValue("X-Request-Id"))
                    .hasValue("proxy-req-0001");
            assertThat(anonymous.get("/health", "X-Request-Id", "x\"><script>").headers().firstValue("X-Request-Id")
                    .orElseThrow()).matches("[0-9a-f]{16}");

            // A super admin's session works too.
            assertThat(web.as(Who.SUPER).get("/metrics").body()).contains("publipostage_pages_rendered_total");
        }
    }

    private static int failLogins(WebFixture web, int n, String forwardedFor) {
        int last = 0;
        for (int i = 0; i < n; i++) {
            last = loginFrom(web, "nobody" + i, "wrong-password", forwardedFor == null ? "198.51.100." + (i + 1) : forwardedFor);
        }
        return last;
    }

    private static int loginFrom(WebFixture web, String login, String password, String forwardedFor) {
        WebFixture.Client c = web.client();
        c.csrf = WebFixture.hidden(c.get("/login").body());
        return c.post("/login", Map.of("login", login, "password", password, "_csrf", c.csrf),
                "X-Forwarded-For", forwardedFor).statusCode();
    }

    @Test
    void behindATrustedProxyTheThrottleCountsTheForwardedClient() {
        // The tests reach the application from 127.0.0.1: here, that is the reverse proxy.
        try (WebFixture web = new WebFixture(Map.of(Setting.TRUSTED_PROXIES, "127.0.0.1, ::1"))) {
            assertThat(failLogins(web, 20, "203.0.113.7")).isEqualTo(401);
            assertThat(loginFrom(web, Who.SUPER.login, WebFixture.PASSWORD, "203.0.113.7")).as("the attacker is held").isEqualTo(429);
            assertThat(loginFrom(web, Who.SUPER.login, WebFixture.PASSWORD, "198.51.100.9")).as("another client is not").isEqualTo(303);
            // A forged left part does not help: the proxy appended the real address last.
            assertThat(loginFrom(web, Who.SUPER.login, WebFixture.PASSWORD, "198.51.100.9, 203.0.113.7")).isEqualTo(429);
        }
    }

    @Test
    void withoutTrustedProxiesAForgedHeaderChangesNothing() {
        try (WebFixture web = new WebFixture()) {
            // Twenty failures, each claiming another address: all counted for the real peer.
            assertThat(failLogins(web, 20, null)).isEqualTo(401);
            assertThat(loginFrom(web, Who.SUPER.login, WebFixture.PASSWORD, "192.0.2.200")).isEqualTo(429);
        }
    }
}

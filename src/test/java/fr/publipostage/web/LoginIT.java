package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.Setting;
import fr.publipostage.security.LoginService;
import fr.publipostage.security.SecondFactor;
import fr.publipostage.web.WebFixture.Who;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Login, logout, sessions, CSRF, throttling, one-time passwords and the TOTP second factor. */
class LoginIT {
    private static WebFixture web;

    @BeforeAll
    static void start() {
        web = new WebFixture(Map.of(Setting.TOTP_REQUIRED, "true"));
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteAndLogoutEndsTheSession() {
        WebFixture.Client c = web.client();
        HttpResponse<String> r = c.login(Who.LOCAL_OWN.login, WebFixture.PASSWORD);
        assertThat(r.statusCode()).isEqualTo(303);
        String setCookie = r.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(Auth.SESSION_COOKIE)).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
        c.loadCsrf();
        String token = c.cookie(Auth.SESSION_COOKIE);
        assertThat(c.get("/api/me").statusCode()).isEqualTo(200);
        assertThat(c.postForm("/logout", Map.of()).statusCode()).isEqualTo(303);
        assertThat(c.get("/api/me").statusCode()).isEqualTo(401);
        // The old cookie is dead on the server, not only forgotten by the browser.
        WebFixture.Client replay = web.client();
        replay.setCookie(Auth.SESSION_COOKIE, token);
        assertThat(replay.get("/api/me").statusCode()).isEqualTo(401);
    }

    @Test
    void badCredentialsGetOneGenericMessage() {
        WebFixture.Client c = web.client();
        HttpResponse<String> unknown = c.login("no.such.admin", "whatever-password");
        HttpResponse<String> wrong = c.login(Who.SUPER.login, "wrong-password!");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(alert(unknown.body())).isEqualTo(alert(wrong.body())).isEqualTo("Identifiant ou mot de passe incorrect.");
        assertThat(c.cookie(Auth.SESSION_COOKIE)).isNull();
    }

    private static String alert(String html) {
        Matcher m = Pattern.compile("role=\"alert\"[^>]*>([^<]*)<").matcher(html);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void loginAttemptsAreThrottledPerLogin() {
        web.app.admins().create("t.throttled", WebFixture.PASSWORD, false, List.of(WebFixture.OWN));
        WebFixture.Client c = web.client();
        for (int i = 0; i < LoginService.MAX_FAILURES_PER_LOGIN; i++) {
            assertThat(c.login("t.throttled", "wrong-password-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> refused = c.login("t.throttled", WebFixture.PASSWORD);
        assertThat(refused.statusCode()).as("even the right password waits").isEqualTo(429);
        assertThat(alert(refused.body())).contains("Trop de tentatives");
        // Other logins from elsewhere are not affected.
        assertThat(web.client().login(Who.LOCAL_OTHER.login, WebFixture.PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void loginAttemptsAreThrottledPerAddress() {
        // Clear what other tests of this class left, then spread failures over many logins.
        clearFailures();
        WebFixture.Client c = web.client();
        for (int i = 0; i < LoginService.MAX_FAILURES_PER_ADDRESS; i++) {
            assertThat(c.login("spray." + i, "wrong-password").statusCode()).isEqualTo(401);
        }
        assertThat(c.login(Who.SUPER.login, WebFixture.PASSWORD).statusCode()).isEqualTo(429);
        clearFailures();
        assertThat(c.login(Who.SUPER.login, WebFixture.PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void wrongPasswordsSentInParallelAreCheckedNoMoreThanTheThrottleAllows() throws Exception {
        // A guesser does not wait for one answer before sending the next: the throttle must count
        // attempts that are still being checked, or it lets a whole burst through.
        clearFailures();
        web.app.admins().create("t.parallel", WebFixture.PASSWORD, false, List.of(WebFixture.OWN));
        int attempts = 30;
        List<WebFixture.Client> clients = new java.util.ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            WebFixture.Client c = web.client();
            c.get("/login");
            c.csrf = c.cookie(Auth.PRE_SESSION_CSRF_COOKIE);
            clients.add(c);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(attempts);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                WebFixture.Client c = clients.get(i);
                String guess = "wrong-password-" + i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return c.postForm("/login", Map.of("login", "t.parallel", "password", guess)).statusCode();
                }));
            }
            go.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var a : answers) statuses.add(a.get(60, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(statuses).isSubsetOf(401, 429);
            assertThat(statuses.stream().filter(s -> s == 401).count()).as("passwords checked: " + statuses)
                    .isLessThanOrEqualTo(LoginService.MAX_FAILURES_PER_LOGIN);
        } finally {
            pool.shutdownNow();
            clearFailures();
        }
    }

    private static void clearFailures() {
        try (var conn = web.db.database().dataSource().getConnection(); var st = conn.createStatement()) {
            st.execute("delete from login_failure");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyStateChangingRequestNeedsItsCsrfToken() {
        WebFixture.Client anonymous = web.client();
        anonymous.get("/login");
        HttpResponse<String> noToken = anonymous.post("/login", Map.of("login", Who.SUPER.login, "password", WebFixture.PASSWORD));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(anonymous.cookie(Auth.SESSION_COOKIE)).isNull();

        WebFixture.Client c = web.as(Who.LOCAL_OWN);
        assertThat(c.post("/logout", Map.of("_csrf", "forged")).statusCode()).isEqualTo(403);
        assertThat(c.post("/api/totp/verify", Map.of("code", "123456")).statusCode()).isEqualTo(403);
        HttpResponse<String> crossSite = c.post("/logout", Map.of("_csrf", c.csrf), "Origin", "https://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(c.get("/api/me").statusCode()).as("still logged in").isEqualTo(200);
        assertThat(c.post("/api/totp/verify", Map.of("code", "123456"), "X-CSRF-Token", c.csrf).statusCode()).isEqualTo(400);
    }

    @Test
    void severalInstancesShareTheSessions() {
        WebFixture.Client c = web.as(Who.LOCAL_OWN);
        Javalin second = web.secondInstance();
        try {
            c.at(second.port());
            assertThat(c.get("/api/structures").statusCode()).isEqualTo(200);
            assertThat(c.postForm("/logout", Map.of()).statusCode()).isEqualTo(303);
            c.at(web.server.port());
            assertThat(c.get("/api/structures").statusCode()).isEqualTo(401);
        } finally {
            second.stop();
        }
    }

    @Test
    void aOneTimePasswordMustBeChangedAtFirstLogin() {
        web.app.admins().create("t.firsttime", WebFixture.PASSWORD, false, List.of(WebFixture.OWN));
        try (var conn = web.db.database().dataSource().getConnection();
             var st = conn.prepareStatement("update admin set one_time_password = true where login = 't.firsttime'")) {
            st.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        WebFixture.Client c = web.client();
        HttpResponse<String> login = c.login("t.firsttime", WebFixture.PASSWORD);
        assertThat(login.headers().firstValue("Location")).hasValue("/password");
        HttpResponse<String> page = c.get("/password");
        assertThat(page.body()).contains("mot de passe à usage unique");
        c.csrf = WebFixture.hidden(page.body());
        assertThat(c.get("/api/me").statusCode()).isEqualTo(403);
        HttpResponse<String> tooShort = c.postForm("/password", Map.of("current", WebFixture.PASSWORD, "password", "short", "confirm", "short"));
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(alert(tooShort.body())).contains("trop court");
        HttpResponse<String> mismatch = c.postForm("/password", Map.of("current", WebFixture.PASSWORD, "password", "a-new-password-1", "confirm", "a-new-password-2"));
        assertThat(alert(mismatch.body())).contains("différentes");
        HttpResponse<String> wrongCurrent = c.postForm("/password", Map.of("current", "nope-nope-nope", "password", "a-new-password-1", "confirm", "a-new-password-1"));
        assertThat(alert(wrongCurrent.body())).contains("actuel est incorrect");
        HttpResponse<String> done = c.postForm("/password", Map.of("current", WebFixture.PASSWORD, "password", "a-new-password-1", "confirm", "a-new-password-1"));
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(c.get("/api/me").statusCode()).isEqualTo(200);
        assertThat(web.app.admins().authenticate("t.firsttime", "a-new-password-1")).isPresent();
        assertThat(web.app.admins().findByLogin("t.firsttime").orElseThrow().oneTimePassword()).isFalse();
    }

    @Test
    void theTotpSettingAsksForAFreshCodeBeforeTheCsv() throws Exception {
        WebFixture.Client c = web.as(Who.SUPER);
        String csv = "/api/structures/" + WebFixture.OWN + "/export.csv?profile=Guest";
        HttpResponse<String> notEnrolled = c.get(csv);
        assertThat(notEnrolled.statusCode()).isEqualTo(403);
        assertThat(notEnrolled.body()).contains("auth.totpEnrolRequired");

        // Enrol: the page shows a QR code (SVG) and the secret; a code from it confirms.
        HttpResponse<String> page = c.get("/account/totp");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<svg").contains("Aucune application");
        Matcher m = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<").matcher(page.body());
        assertThat(m.find()).isTrue();
        String secret = m.group(1);
        assertThat(c.postForm("/account/totp", Map.of("code", "000000")).statusCode()).isEqualTo(400);
        HttpResponse<String> enrolled = c.postForm("/account/totp", Map.of("code", SecondFactor.codeAt(secret, Instant.now().minusSeconds(30))));
        assertThat(enrolled.statusCode()).isEqualTo(303);
        // Enrolling counts as a fresh code: the CSV comes now.
        assertThat(c.get(csv).statusCode()).isEqualTo(200);

        // A new session is not fresh: the code is asked again, and a used code is refused.
        WebFixture.Client other = web.as(Who.SUPER);
        HttpResponse<String> needCode = other.get(csv);
        assertThat(needCode.statusCode()).isEqualTo(403);
        assertThat(needCode.body()).contains("auth.totpRequired");
        String used = SecondFactor.codeAt(secret, Instant.now().minusSeconds(30));
        assertThat(other.post("/api/totp/verify", Map.of("code", used), "X-CSRF-Token", other.csrf).statusCode())
                .as("a code already used is refused").isEqualTo(400);
        String now = SecondFactor.codeAt(secret, Instant.now());
        assertThat(other.post("/api/totp/verify", Map.of("code", now), "X-CSRF-Token", other.csrf).statusCode()).isEqualTo(204);
        HttpResponse<String> ok = other.get(csv);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).startsWith("\uFEFF\"Nom\"");
        assertThat(other.get("/api/me").body()).contains("\"totpFresh\":true");
    }

    @Test
    void behindAnHttpsPublicAddressTheSessionCookieIsSecureUnlessSaidOtherwise() {
        // PUBLIPOSTAGE_PUBLIC_URL in https means users come over HTTPS: a cookie without Secure could
        // leave over plain HTTP (found by a review: the default was false whatever the address).
        for (Map.Entry<Map<Setting, String>, Boolean> c : Map.of(
                Map.of(Setting.PUBLIC_URL, "https://publipostage.example"), true,
                Map.of(Setting.PUBLIC_URL, "https://publipostage.example", Setting.COOKIE_SECURE, "false"), false,
                Map.<Setting, String>of(), false).entrySet()) {
            var app = web.db.app(c.getKey());
            Javalin server = app.server().start(0);
            try {
                WebFixture.Client anonymous = WebFixture.clientAt(server.port());
                HttpResponse<String> login = anonymous.login(Who.LOCAL_OWN.login, WebFixture.PASSWORD);
                String cookie = login.headers().allValues("Set-Cookie").stream()
                        .filter(h -> h.startsWith(Auth.SESSION_COOKIE + "=")).findFirst().orElseThrow();
                assertThat(cookie.contains("; Secure")).as(c.getKey() + ": " + cookie).isEqualTo(c.getValue());
            } finally {
                server.stop();
            }
        }
    }
}

package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.Setting;
import fr.publipostage.cli.AdminCommand;
import fr.publipostage.cli.Args;
import fr.publipostage.security.LoginService;
import fr.publipostage.security.SecondFactor;
import fr.publipostage.web.WebFixture.Who;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leaks 2 and 3 of issue 10 and the login and TOTP errors of its "unhandled errors": replacing an
 * enrolled authenticator needs a code of the current one (a password is not enough); losing it is
 * handled by a super admin or {@code admin reset-totp}; TOTP codes are limited to 5 wrong ones per
 * admin per 15 minutes (429 with the wait), a code is accepted once, failures are audited; malformed
 * JSON is a 400 sentence; attempts made while a login is throttled do not extend the lock.
 */
class SecondFactorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebFixture web;

    @BeforeAll
    static void start() {
        web = new WebFixture(Map.of(Setting.TOTP_REQUIRED, "true"));
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    /** Enrols a new admin's authenticator through the page; returns its secret. */
    private static String enrol(WebFixture.Client c) {
        HttpResponse<String> page = c.get("/account/totp");
        Matcher m = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        String secret = m.group(1);
        HttpResponse<String> done = c.postForm("/account/totp", Map.of("code", SecondFactor.codeAt(secret, Instant.now())));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
        return secret;
    }

    private static WebFixture.Client loggedIn(String login) {
        WebFixture.Client c = web.client();
        assertThat(c.login(login, WebFixture.PASSWORD).statusCode()).isEqualTo(303);
        c.loadCsrf();
        return c;
    }

    private static String newAdmin(String login) {
        web.app.admins().create(login, WebFixture.PASSWORD, false, List.of(WebFixture.OWN));
        return login;
    }

    private static String storedSecret(String login) {
        return web.app.admins().findByLogin(login).orElseThrow().totpSecret();
    }

    private static HttpResponse<String> verify(WebFixture.Client c, String code) {
        return c.post("/api/totp/verify", Map.of("code", code), "X-CSRF-Token", c.csrf);
    }

    private static int audited(String login, String action) throws Exception {
        try (Connection c = web.db.database().dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("select count(*) from audit_event where admin_login = ? and action = ?")) {
            st.setString(1, login);
            st.setString(2, action);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** A code of this secret for a time step not used yet (the one after the last accepted). */
    private static String unusedCode(String secret, int stepsAhead) {
        return SecondFactor.codeAt(secret, Instant.now().plusSeconds(30L * stepsAhead));
    }

    // ------------------------------------------------------------------ leak 2

    @Test
    void thePasswordAloneCannotReplaceAnEnrolledAuthenticator() {
        String login = newAdmin("t.totp.replace");
        String secret = enrol(loggedIn(login));
        assertThat(storedSecret(login)).isEqualTo(secret);

        // Someone with the password only: a new session, no code of the current app.
        WebFixture.Client intruder = loggedIn(login);
        HttpResponse<String> page = intruder.get("/account/totp");
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher shown = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<").matcher(page.body());
        assertThat(shown.find()).as("no new secret is handed out without a code of the current app").isFalse();
        assertThat(page.body()).doesNotContain(secret);
        // Whatever he posts, the stored secret stays the owner's.
        String attackerSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        HttpResponse<String> forced = intruder.postForm("/account/totp", Map.of("code", SecondFactor.codeAt(attackerSecret, Instant.now())));
        assertThat(forced.statusCode()).isNotEqualTo(303);
        assertThat(storedSecret(login)).isEqualTo(secret);
        assertThat(verify(intruder, "000000").statusCode()).isEqualTo(400);

        // The owner, with a code of his current app, may replace it.
        WebFixture.Client owner = loggedIn(login);
        HttpResponse<String> confirmed = owner.postForm("/account/totp", Map.of("current", unusedCode(secret, 1)));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        Matcher fresh = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<").matcher(confirmed.body());
        assertThat(fresh.find()).isTrue();
        String newSecret = fresh.group(1);
        assertThat(newSecret).isNotEqualTo(secret);
        HttpResponse<String> replaced = owner.postForm("/account/totp", Map.of("code", SecondFactor.codeAt(newSecret, Instant.now())));
        assertThat(replaced.statusCode()).isEqualTo(303);
        assertThat(storedSecret(login)).isEqualTo(newSecret);
    }

    @Test
    void aSuperAdminResetsAnotherAdminsAuthenticatorAndItIsAudited() throws Exception {
        String login = newAdmin("t.totp.lost");
        enrol(loggedIn(login));
        assertThat(storedSecret(login)).isNotNull();

        // A local admin may not.
        WebFixture.Client local = web.as(Who.LOCAL_OWN);
        HttpResponse<String> refused = local.postForm("/account/totp/reset", Map.of("login", login));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(storedSecret(login)).isNotNull();

        web.app.admins().create("t.totp.super", WebFixture.PASSWORD, true, List.of());
        WebFixture.Client superAdmin = loggedIn("t.totp.super");
        String superSecret = enrol(superAdmin);
        HttpResponse<String> reset = superAdmin.postForm("/account/totp/reset",
                Map.of("login", login, "code", unusedCode(superSecret, 1)));
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        assertThat(reset.body()).contains(login);
        assertThat(storedSecret(login)).isNull();
        assertThat(audited("t.totp.super", "totp-reset")).isEqualTo(1);
        HttpResponse<String> unknown = superAdmin.postForm("/account/totp/reset", Map.of("login", "nobody.here"));
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void theCommandLineResetsAnAuthenticatorAndRecordsIt() throws Exception {
        String login = newAdmin("t.totp.cli");
        enrol(loggedIn(login));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new AdminCommand(new ByteArrayInputStream(new byte[0]), new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .run(web.app, "en", new Args(List.of("reset-totp", "--login", login), Set.of("super")));
        assertThat(code).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains(login);
        assertThat(storedSecret(login)).isNull();
        assertThat(audited("cli:" + System.getProperty("user.name"), "totp-reset")).isPositive();
    }

    // ------------------------------------------------------------------ leak 3

    @Test
    void fiveWrongCodesThenTheRightOneWaitsWithTheTimeToWait() throws Exception {
        String login = newAdmin("t.totp.guess");
        String secret = enrol(loggedIn(login));
        WebFixture.Client guesser = loggedIn(login);
        String right = unusedCode(secret, 1);
        int wrongSent = 0;
        for (int i = 0; wrongSent < 5; i++) {
            String guess = String.format("%06d", i);
            if (guess.equals(right) || guess.equals(unusedCode(secret, 0)) || guess.equals(unusedCode(secret, -1))
                    || guess.equals(unusedCode(secret, 2))) continue;
            assertThat(verify(guesser, guess).statusCode()).isEqualTo(400);
            wrongSent++;
        }
        HttpResponse<String> throttled = verify(guesser, right);
        assertThat(throttled.statusCode()).as("even the right code waits").isEqualTo(429);
        JsonNode body = JSON.readTree(throttled.body());
        assertThat(body.get("code").asText()).isEqualTo("auth.totpThrottled");
        assertThat(body.get("error").asText()).contains("minute");
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        long wait = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertThat(wait).isBetween(1L, 15L * 60);
        HttpResponse<String> english = guesser.post("/api/totp/verify?lang=en", Map.of("code", right), "X-CSRF-Token", guesser.csrf);
        assertThat(english.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(english.body()).get("error").asText()).contains("Too many").contains("minute");
        assertThat(audited(login, "totp-failure")).isEqualTo(5);

        // Another admin is not affected.
        String other = newAdmin("t.totp.other");
        String otherSecret = enrol(loggedIn(other));
        WebFixture.Client c = loggedIn(other);
        assertThat(verify(c, unusedCode(otherSecret, 1)).statusCode()).isEqualTo(204);

        // When the failures are older than 15 minutes, the right code passes again.
        age("totp_failure", 16);
        assertThat(verify(guesser, right).statusCode()).isEqualTo(204);
    }

    @Test
    void parallelGuessesGetAtMostFiveChecks() throws Exception {
        String login = newAdmin("t.totp.burst");
        String secret = enrol(loggedIn(login));
        WebFixture.Client guesser = loggedIn(login);
        Set<String> valid = Set.of(unusedCode(secret, -1), unusedCode(secret, 0), unusedCode(secret, 1), unusedCode(secret, 2));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; results.size() < 40; i++) {
            String guess = String.format("%06d", 500_000 + i);
            if (valid.contains(guess)) continue;
            results.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + web.server.port() + "/api/totp/verify"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", Auth.SESSION_COOKIE + "=" + guesser.cookie(Auth.SESSION_COOKIE))
                    .header("X-CSRF-Token", guesser.csrf)
                    .POST(HttpRequest.BodyPublishers.ofString("code=" + guess)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()));
        }
        int checked = 0;
        int throttled = 0;
        for (Future<Integer> f : results) {
            int status = f.get();
            if (status == 400) checked++;
            if (status == 429) throttled++;
        }
        pool.shutdown();
        assertThat(checked).isEqualTo(5);
        assertThat(throttled).isEqualTo(35);
    }

    @Test
    void aCodeIsAcceptedOnce() {
        String login = newAdmin("t.totp.replay");
        String secret = enrol(loggedIn(login));
        WebFixture.Client c = loggedIn(login);
        String code = unusedCode(secret, 1);
        assertThat(verify(c, code).statusCode()).isEqualTo(204);
        WebFixture.Client again = loggedIn(login);
        assertThat(verify(again, code).statusCode()).as("the same code, within its window").isEqualTo(400);
    }

    // ------------------------------------------------------------------ unhandled errors

    @Test
    void malformedJsonIsASentenceNotA500() throws Exception {
        WebFixture.Client c = web.as(Who.LOCAL_OWN);
        for (String body : List.of("{not json", "[1, 2]", "\"code\"", "{\"code\": {\"a\": 1}}", "")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + web.server.port() + "/api/totp/verify"))
                    .header("Content-Type", "application/json")
                    .header("Cookie", Auth.SESSION_COOKIE + "=" + c.cookie(Auth.SESSION_COOKIE))
                    .header("X-CSRF-Token", c.csrf)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(body + " → " + r.body()).isEqualTo(400);
            JsonNode json = JSON.readTree(r.body());
            assertThat(json.get("error").asText()).as(body).isNotBlank().doesNotContain("Exception");
        }
    }

    @Test
    void attemptsWhileThrottledDoNotExtendTheLock() throws Exception {
        web.app.admins().create("t.locked", WebFixture.PASSWORD, false, List.of(WebFixture.OWN));
        WebFixture.Client c = web.client();
        for (int i = 0; i < LoginService.MAX_FAILURES_PER_LOGIN; i++) {
            assertThat(c.login("t.locked", "wrong-password-" + i).statusCode()).isEqualTo(401);
        }
        age("login_failure", 14);
        // Someone keeps retrying while the login is locked.
        for (int i = 0; i < 10; i++) assertThat(c.login("t.locked", "wrong-again-" + i).statusCode()).isEqualTo(429);
        age("login_failure", 2);
        // The first failures are now 16 minutes old: the lock is over, whatever was tried meanwhile.
        assertThat(web.client().login("t.locked", WebFixture.PASSWORD).statusCode()).isEqualTo(303);
    }

    /** Moves every row of the table {@code minutes} into the past. */
    private static void age(String table, int minutes) throws Exception {
        try (Connection c = web.db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("update " + table + " set at = at - interval '" + minutes + " minutes'");
        }
    }
}

package fr.publipostage.sso;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import fr.publipostage.Setting;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.testing.TestProvider;
import fr.publipostage.web.WebFixture;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Single sign-on against a real OpenID Connect provider in-process (mock-oauth2-server), over HTTP
 * as a browser would do it (the binding cookie, the provider's redirects), on the demo directory:
 * rights mapped from the directory's functions, refusals (audited), every tampering of the flow
 * refused with its sentence, the provider's second factor as the step-up, logout at the provider.
 */
class OidcLoginIT {
    private static TestProvider provider;
    private static WebFixture web;
    private static final HttpClient PLAIN = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        provider = new TestProvider(false);
        Map<Setting, String> settings = new HashMap<>(provider.settings());
        settings.put(Setting.TOTP_REQUIRED, "true");
        settings.put(Setting.OIDC_CLASS_TEACHER_CLAIM, "ent_functions");
        settings.put(Setting.OIDC_MFA_ACR, "urn:ent:loa:2");
        web = new WebFixture(settings);
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
        if (provider != null) provider.close();
    }

    @AfterEach
    void providerBackToNormal() {
        provider.clockOffset(Duration.ZERO);
        provider.nextTokenAnswer(null);
        provider.nextUserInfoAnswer(null);
    }

    // ------------------------------------------------------------------ the flow as a browser does it

    /** A login started at /oidc/login: the client (with its binding cookie) and the provider's address. */
    record Flow(WebFixture.Client client, URI authorize, Map<String, String> parameters) {
        String state() {
            return parameters.get("state");
        }

        String nonce() {
            return parameters.get("nonce");
        }
    }

    static Flow begin(WebFixture.Client client, String path) {
        HttpResponse<String> r = client.get(path);
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(303);
        URI authorize = URI.create(r.headers().firstValue("Location").orElseThrow());
        return new Flow(client, authorize, query(authorize));
    }

    /** What the provider answers to the authorization request: the callback path with code and state. */
    static String callbackPath(Flow flow) {
        try {
            HttpResponse<String> r = PLAIN.send(HttpRequest.newBuilder(flow.authorize()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().contains("name=\"username\"")) {
                // prompt=login / max_age=0: the provider shows its login page; the person signs in again
                // (the provider's claims, preferred_username included, are those the test set).
                String form = "username=someone";
                r = PLAIN.send(HttpRequest.newBuilder(flow.authorize()).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            }
            assertThat(r.statusCode()).as("provider's authorization answer: " + r.body()).isEqualTo(302);
            URI back = URI.create(r.headers().firstValue("Location").orElseThrow());
            return back.getRawPath() + "?" + back.getRawQuery();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A whole login of this ENT login (with these extra claims in the ID token): the callback's answer. */
    static HttpResponse<String> loginAs(WebFixture.Client client, String login, Map<String, Object> claims) {
        provider.nextLogin(login, claims);
        Flow flow = begin(client, "/oidc/login");
        return client.get(callbackPath(flow));
    }

    static WebFixture.Client loggedIn(String login, Map<String, Object> claims) {
        WebFixture.Client c = web.client();
        HttpResponse<String> r = loginAs(c, login, claims);
        assertThat(r.statusCode()).as("login of " + login + ": " + r.body()).isEqualTo(200);
        assertThat(r.body()).contains("http-equiv=\"refresh\"").contains("url=/");
        c.loadCsrf();
        return c;
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static List<String> column(String sql, Object... args) {
        try (Connection c = web.db.database().dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void update(String sql, Object... args) {
        try (Connection c = web.db.database().dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Logins of the demo directory's accounts of a school carrying a function. */
    static List<String> withFunction(String uai, String function, String profile) {
        return column("select a.login from account a join structure s on s.id = a.structure_id where s.uai = ? "
                + "and ? = any (a.functions) and a.profile = ? order by a.login", uai, function, profile);
    }

    static String refusal(HttpResponse<String> r) {
        return r.body();
    }

    // ------------------------------------------------------------------ rights from the directory

    @Test
    void theDemoSchoolsAdminLocalPersonnelAreLocalAdminsOfTheirSchool() {
        List<String> admins = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel");
        assertThat(admins).as("the demo school has ADMIN_LOCAL personnel").hasSizeGreaterThanOrEqualTo(2);
        for (String login : admins) {
            WebFixture.Client c = loggedIn(login, Map.of());
            String structures = c.get("/api/structures").body();
            assertThat(structures).contains(WebFixture.OWN).contains("LOCAL_ADMIN").doesNotContain(WebFixture.OTHER);
            assertThat(c.get("/api/structures/" + WebFixture.OWN + "/selection?limit=5").statusCode()).isEqualTo(200);
            assertThat(c.get("/api/structures/" + WebFixture.OTHER + "/selection").statusCode()).isEqualTo(403);
            // A local admin never sees the platform's super-admin accounts.
            assertThat(c.get("/api/structures/" + WebFixture.OWN + "/selection?limit=500&profile=Personnel").body())
                    .doesNotContain("super.admin.");
            assertThat(c.get("/api/me").body()).contains("\"login\":\"oidc:" + login + "\"").contains("\"viaProvider\":true");
        }
        assertThat(column("select action from audit_event where admin_login = ? order by id", "oidc:" + admins.get(0)))
                .contains(OidcLogin.AUDIT_LOGIN);
    }

    @Test
    void theCollegesAdminIsLocalAdminOfTheCollegeOnly() {
        String login = withFunction(WebFixture.OTHER, "ADMIN_LOCAL", "Personnel").get(0);
        WebFixture.Client c = loggedIn(login, Map.of());
        assertThat(c.get("/api/structures").body()).contains(WebFixture.OTHER).doesNotContain(WebFixture.OWN);
        assertThat(c.get("/api/structures/" + WebFixture.OWN + "/selection").statusCode()).isEqualTo(403);
    }

    @Test
    void superAdminFunctionMakesASuperAdmin() {
        String login = "super.admin." + WebFixture.OWN.toLowerCase();
        WebFixture.Client c = loggedIn(login, Map.of());
        String structures = c.get("/api/structures").body();
        assertThat(structures).contains(WebFixture.OWN).contains(WebFixture.OTHER).contains("SUPER_ADMIN");
        assertThat(c.get("/api/me").body()).contains("\"superAdmin\":true");
        // A super admin sees the super-admin accounts.
        assertThat(c.get("/api/structures/" + WebFixture.OTHER + "/selection?limit=500&profile=Personnel").body())
                .contains("super.admin.");
    }

    @Test
    void aHeadTeacherIsClassTeacherOfHisClasses() {
        String login = withFunction(WebFixture.OWN, DemoDirectory.HEAD_TEACHER, "Teacher").get(0);
        List<String> classes = column("select c.name from account a join structure s on s.id = a.structure_id "
                + "join account_class ac on ac.account_id = a.id join school_class c on c.id = ac.class_id "
                + "where s.uai = ? and a.login = ? order by c.name", WebFixture.OWN, login);
        assertThat(classes).isNotEmpty();
        WebFixture.Client c = loggedIn(login, Map.of());
        assertThat(c.get("/api/structures").body()).contains("CLASS_TEACHER").doesNotContain(WebFixture.OTHER);
        String rows = c.get("/api/structures/" + WebFixture.OWN + "/selection?limit=500").body();
        assertThat(rows).doesNotContain("\"Teacher\"").doesNotContain("\"Personnel\"").contains("\"Student\"");
        // His classes only: every class named in the rows is one of his.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"classes\":\\[([^\\]]*)\\]").matcher(rows);
        int checked = 0;
        while (m.find()) {
            for (String cls : m.group(1).replace("\"", "").split(",")) {
                if (!cls.isBlank()) {
                    checked++;
                    if (!classes.contains(cls)) {
                        // A parent shows his children's classes: at least one of them must be his.
                        assertThat(m.group(1)).as("a row outside his classes").containsAnyOf(classes.toArray(String[]::new));
                    }
                }
            }
        }
        assertThat(checked).isPositive();
        // Class teachers do not send mail and do not customise letters.
        assertThat(c.get("/api/structures/" + WebFixture.OWN + "/templates").statusCode()).isEqualTo(403);
    }

    @Test
    void theProvidersClassTeacherClaimMakesAPlainTeacherClassTeacherAndItsAbsenceRefuses() {
        String plain = column("select a.login from account a join structure s on s.id = a.structure_id where s.uai = ? "
                + "and a.profile = 'Teacher' and a.functions = '{}' and exists (select 1 from account_class ac where ac.account_id = a.id) "
                + "order by a.login limit 1", WebFixture.OWN).get(0);
        HttpResponse<String> refused = loginAs(web.client(), plain, Map.of());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("ne donne pas accès à Publipostage");

        WebFixture.Client c = loggedIn(plain, Map.of("ent_functions", List.of("ENS", "HEAD_TEACHER")));
        assertThat(c.get("/api/structures").body()).contains("CLASS_TEACHER");
    }

    @Test
    void someoneWithoutAccountOrWithoutRightsIsRefusedWithASentenceAndAudited() {
        HttpResponse<String> unknown = loginAs(web.client(), "personne.inconnue", Map.of());
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(unknown.body()).contains("ne correspond à aucun compte de l’annuaire").doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(unknown.headers().allValues("Set-Cookie")).noneMatch(s -> s.startsWith("publipostage_session=") && !s.contains("Max-Age=0"));
        assertThat(column("select details->>'refused' from audit_event where admin_login = ? and action = ?",
                "oidc:personne.inconnue", OidcLogin.AUDIT_REFUSED)).containsExactly("no-account");

        String pupil = column("select a.login from account a join structure s on s.id = a.structure_id "
                + "where s.uai = ? and a.profile = 'Student' order by a.login limit 1", WebFixture.OWN).get(0);
        HttpResponse<String> noRights = loginAs(web.client(), pupil, Map.of("amr", List.of("mfa")));
        assertThat(noRights.statusCode()).isEqualTo(403);
        assertThat(noRights.body()).contains("ne donne pas accès à Publipostage");
        assertThat(column("select details->>'refused' from audit_event where admin_login = ? and action = ?",
                "oidc:" + pupil, OidcLogin.AUDIT_REFUSED)).containsExactly("no-rights");
        assertThat(column("select count(*) from admin where login = ?", "oidc:" + pupil)).containsExactly("0");
    }

    @Test
    void aBlockedAdminLocalAccountGivesNoRightAndABlockAppliesToAnOpenSession() {
        String login = withFunction(WebFixture.OTHER, "ADMIN_LOCAL", "Personnel").get(1);
        WebFixture.Client c = loggedIn(login, Map.of());
        assertThat(c.get("/api/structures/" + WebFixture.OTHER + "/selection").statusCode()).isEqualTo(200);
        update("update account set blocked = true where login = ?", login);
        try {
            // Rights are read from the directory at every request.
            assertThat(c.get("/api/structures/" + WebFixture.OTHER + "/selection").statusCode()).isEqualTo(403);
            HttpResponse<String> again = loginAs(web.client(), login, Map.of());
            assertThat(again.statusCode()).isEqualTo(403);
        } finally {
            update("update account set blocked = false where login = ?", login);
        }
    }

    @Test
    void theSameLoginLocallyAndInTheDirectoryNeverUnitesTheRights() throws Exception {
        // "double.role": local admin of the college (admin create), ADMIN_LOCAL of the lycée in the directory.
        web.app.admins().create("double.role", WebFixture.PASSWORD, false, List.of(WebFixture.OTHER));
        web.app.importer().importCsv(new ByteArrayInputStream(("uai;profile;last_name;first_name;login;functions\n"
                + WebFixture.OWN + ";Personnel;Double;Rôle;double.role;ADMIN_LOCAL\n").getBytes(StandardCharsets.UTF_8)), null);

        WebFixture.Client sso = loggedIn("double.role", Map.of());
        assertThat(sso.get("/api/structures").body()).contains(WebFixture.OWN).doesNotContain(WebFixture.OTHER);
        assertThat(sso.get("/api/structures/" + WebFixture.OTHER + "/selection").statusCode()).isEqualTo(403);

        WebFixture.Client local = web.client();
        assertThat(local.login("double.role", WebFixture.PASSWORD).statusCode()).isEqualTo(303);
        assertThat(local.get("/api/structures").body()).contains(WebFixture.OTHER).doesNotContain(WebFixture.OWN);
        assertThat(local.get("/api/structures/" + WebFixture.OWN + "/selection").statusCode()).isEqualTo(403);

        // A local super admin's login at the provider is nobody in the directory: refused, not super admin.
        HttpResponse<String> superLogin = loginAs(web.client(), WebFixture.Who.SUPER.login, Map.of());
        assertThat(superLogin.statusCode()).isEqualTo(403);
        // And the provider's admin row can never be used with a password.
        assertThat(web.client().login("oidc:double.role", "").statusCode()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ the session afterwards

    @Test
    void theSessionIsTheUsualOneWithCsrfAndLogoutAtTheProvider() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(1);
        WebFixture.Client c = loggedIn(login, Map.of());
        String cookie = c.cookie("publipostage_session");
        assertThat(cookie).isNotBlank();
        assertThat(column("select login_via from web_session s join admin a on a.id = s.admin_id where a.login = ?",
                "oidc:" + login)).contains("oidc");
        // CSRF: a state-changing request without the token is refused, with it accepted.
        String csrf = c.csrf;
        c.csrf = "wrong";
        assertThat(c.postForm("/logout", Map.of()).statusCode()).isEqualTo(403);
        c.csrf = csrf;
        // The password page is not his: the ENT's password is.
        assertThat(c.get("/password").statusCode()).isEqualTo(404);

        HttpResponse<String> out = c.postForm("/logout", Map.of());
        assertThat(out.statusCode()).isEqualTo(200);
        String target = out.body().replaceAll("(?s).*url=([^\"]+)\".*", "$1").replace("&amp;", "&");
        URI endSession = URI.create(target);
        assertThat(target).startsWith(provider.issuer() + "/endsession");
        Map<String, String> q = query(endSession);
        assertThat(q).containsKey("id_token_hint").containsEntry("client_id", TestProvider.CLIENT_ID);
        assertThat(q.get("post_logout_redirect_uri")).endsWith("/login?logged-out");
        assertThat(c.get("/api/me").statusCode()).isEqualTo(401);
        assertThat(column("select count(*) from web_session where token_hash = encode(sha256(?::bytea), 'hex')", cookie))
                .containsExactly("0");
    }

    // ------------------------------------------------------------------ tampering, replays, bad tokens

    @Test
    void aTamperedStateIsRefusedAndTheRealOneStillWorksOnce() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        provider.nextLogin(login, Map.of());
        WebFixture.Client c = web.client();
        Flow flow = begin(c, "/oidc/login");
        String callback = callbackPath(flow);
        String tampered = callback.replace("state=" + flow.state(), "state=" + flow.state() + "x");
        assertThat(tampered).isNotEqualTo(callback);
        HttpResponse<String> r = c.get(tampered);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("a expiré, a déjà servi ou a été commencée dans un autre navigateur");
        assertThat(c.cookie("publipostage_session")).isNull();

        // The browser's cookie went with the refused callback (one use): the real state alone is not enough.
        HttpResponse<String> real = c.get(callback);
        assertThat(real.statusCode()).isEqualTo(400);
    }

    @Test
    void aCallbackReplayedOrFromAnotherBrowserIsRefused() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        // Another browser (no binding cookie) comes back with a state started elsewhere: refused.
        provider.nextLogin(login, Map.of());
        Flow victim = begin(web.client(), "/oidc/login");
        String callback = callbackPath(victim);
        HttpResponse<String> other = web.client().get(callback);
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(other.body()).contains("commencée dans un autre navigateur");

        // A callback used once cannot be used again, even with the cookie.
        provider.nextLogin(login, Map.of());
        WebFixture.Client c = web.client();
        Flow flow = begin(c, "/oidc/login");
        String used = callbackPath(flow);
        String binding = c.cookie("publipostage_oidc");
        assertThat(c.get(used).statusCode()).isEqualTo(200);
        WebFixture.Client replay = web.client();
        replay.setCookie("publipostage_oidc", binding);
        assertThat(replay.get(used).statusCode()).isEqualTo(400);

        // The code replayed under a fresh state of this browser: the provider refuses it (used, and PKCE).
        WebFixture.Client again = web.client();
        Flow fresh = begin(again, "/oidc/login");
        String code = query(URI.create("http://x" + used)).get("code");
        HttpResponse<String> r = again.get("/oidc/callback?code=" + code + "&state=" + fresh.state());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("code expiré ou déjà utilisé");
        assertThat(again.cookie("publipostage_session")).isNull();
    }

    @Test
    void aWrongNonceIsRefused() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        HttpResponse<String> r = loginAs(web.client(), login, Map.of("nonce", "a-nonce-of-another-login"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("n’a pas pu être vérifiée");
    }

    @Test
    void anExpiredIdTokenIsRefusedAsAClockProblem() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        WebFixture.Client c = web.client();
        Flow flow = begin(c, "/oidc/login");
        // Signed by the provider's own key, right in every way but its expiry (5 minutes ago).
        Instant now = Instant.now();
        provider.nextTokenAnswer(request -> TestProvider.tokenAnswer(provider.signWithProvidersKey(new JWTClaimsSet.Builder()
                .issuer(provider.issuer()).subject("sub-" + login).audience(TestProvider.CLIENT_ID)
                .issueTime(Date.from(now.minusSeconds(900))).expirationTime(Date.from(now.minusSeconds(300)))
                .claim("nonce", flow.nonce()).claim("preferred_username", login).build())));
        HttpResponse<String> r = c.get(callbackPath(flow));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("hors de sa période de validité");
        assertThat(c.cookie("publipostage_session")).isNull();
    }

    @Test
    void theSameTokenSignedByTheProvidersKeyIsAccepted() {
        // The control of the forged-token tests: what they change is what is refused.
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        WebFixture.Client c = web.client();
        Flow flow = begin(c, "/oidc/login");
        Instant now = Instant.now();
        provider.nextTokenAnswer(request -> TestProvider.tokenAnswer(provider.signWithProvidersKey(new JWTClaimsSet.Builder()
                .issuer(provider.issuer()).subject("sub-" + login).audience(TestProvider.CLIENT_ID)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .claim("nonce", flow.nonce()).claim("preferred_username", login).build())));
        assertThat(c.get(callbackPath(flow)).statusCode()).isEqualTo(200);
    }

    @Test
    void aProviderClockAheadBeyondTheSkewIsRefusedWithinItAccepted() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        provider.clockOffset(Duration.ofMinutes(10));
        HttpResponse<String> ahead = loginAs(web.client(), login, Map.of());
        assertThat(ahead.statusCode()).isEqualTo(401);
        assertThat(ahead.body()).contains("l’horloge de ce serveur et celle du fournisseur diffèrent");
        provider.clockOffset(Duration.ofSeconds(30));
        assertThat(loginAs(web.client(), login, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void aWronglySignedIdTokenIsRefused() throws Exception {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        WebFixture.Client c = web.client();
        Flow flow = begin(c, "/oidc/login");
        // Same claims, same key id as the provider's key, but signed with another key.
        String kid = JWKSet.load(new java.net.URL(provider.jwksUrl())).getKeys().get(0).getKeyID();
        RSAKey forged = new RSAKeyGenerator(2048).keyID(kid).generate();
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(provider.issuer()).subject("sub-" + login)
                .audience(TestProvider.CLIENT_ID).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .claim("nonce", flow.nonce()).claim("preferred_username", login).claim("amr", List.of("mfa")).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(forged));
        provider.nextTokenAnswer(request -> TestProvider.json(200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\","
                + "\"expires_in\":600,\"id_token\":\"" + jwt.serialize() + "\"}"));
        HttpResponse<String> r = c.get(callbackPath(flow));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("n’a pas pu être vérifiée");
        assertThat(c.cookie("publipostage_session")).isNull();
    }

    @Test
    void unsignedAndHmacSignedIdTokensAreRefused() throws Exception {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        for (String kind : List.of("none", "HS256")) {
            WebFixture.Client c = web.client();
            Flow flow = begin(c, "/oidc/login");
            Instant now = Instant.now();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(provider.issuer()).subject("sub-" + login)
                    .audience(TestProvider.CLIENT_ID).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                    .claim("nonce", flow.nonce()).claim("preferred_username", login).build();
            String token;
            if (kind.equals("none")) {
                token = new com.nimbusds.jwt.PlainJWT(claims).serialize();
            } else {
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
                jwt.sign(new com.nimbusds.jose.crypto.MACSigner((TestProvider.CLIENT_SECRET + "-padded-to-32-bytes!").getBytes(StandardCharsets.UTF_8)));
                token = jwt.serialize();
            }
            provider.nextTokenAnswer(request -> TestProvider.tokenAnswer(token));
            HttpResponse<String> r = c.get(callbackPath(flow));
            assertThat(r.statusCode()).as(kind).isEqualTo(401);
            assertThat(c.cookie("publipostage_session")).as(kind).isNull();
        }
    }

    @Test
    void anIdTokenForAnotherClientIsRefused() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        HttpResponse<String> r = loginAs(web.client(), login, Map.of("aud", List.of("another-application")));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("n’a pas pu être vérifiée");
    }

    @Test
    void anIdTokenWhoseAuthorizedPartyIsAnotherClientIsRefusedEvenWithUsAmongItsAudiences() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        // aud may be an array; then azp names the client the token was issued to (OpenID Connect Core 3.1.3.7).
        WebFixture.Client c = web.client();
        HttpResponse<String> r = loginAs(c, login, Map.of("aud", List.of(TestProvider.CLIENT_ID, "another-application"),
                "azp", "another-application"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.body()).contains("n’a pas pu être vérifiée");
        assertThat(c.cookie("publipostage_session")).isNull();
        // The same audiences issued to us: accepted.
        HttpResponse<String> ours = loginAs(web.client(), login, Map.of("aud", List.of(TestProvider.CLIENT_ID, "another-application"),
                "azp", TestProvider.CLIENT_ID));
        assertThat(ours.statusCode()).as(ours.body()).isEqualTo(200);
    }

    @Test
    void aWrongClientSecretIsASentenceForTheOperator() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        provider.nextLogin(login, Map.of());
        WebFixture.Client c = web.client();
        Flow flow = begin(c, "/oidc/login");
        provider.nextTokenAnswer(request -> {
            assertThat(request.getHeaders().get("Authorization")).startsWith("Basic ");
            return TestProvider.json(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}");
        });
        HttpResponse<String> r = c.get(callbackPath(flow));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("secret client incorrect").doesNotContain("bad secret");
    }

    /**
     * What a proxy in front of a provider that is down answers: an HTML page, no OAuth error. The
     * person must read that the provider does not answer, not that his login was cancelled or refused.
     */
    static no.nav.security.mock.oauth2.http.OAuth2HttpResponse errorPage(int status) {
        return new no.nav.security.mock.oauth2.http.OAuth2HttpResponse(okhttp3.Headers.of("Content-Type", "text/html"), status,
                "<html><body><h1>" + status + " Bad Gateway</h1></body></html>", null);
    }

    @Test
    void aTokenEndpointAnsweringAServerErrorPageSaysTheProviderDoesNotAnswer() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        provider.nextLogin(login, Map.of());
        WebFixture.Client c = web.client();
        Flow flow = begin(c, "/oidc/login");
        provider.nextTokenAnswer(request -> errorPage(502));
        HttpResponse<String> r = c.get(callbackPath(flow));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(r.body()).contains("Le fournisseur d’identité de l’ENT ne répond pas").doesNotContain("Exception");
        assertThat(c.cookie("publipostage_session")).isNull();
    }

    @Test
    void aUserinfoEndpointAnsweringAServerErrorPageSaysTheProviderDoesNotAnswer() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        // The login claim is in the ID token; userinfo is asked only for the class-teacher claim: its
        // failure must not stop the login (the directory's functions still count).
        provider.nextUserInfoAnswer(request -> errorPage(503));
        HttpResponse<String> withLogin = loginAs(web.client(), login, Map.of());
        assertThat(withLogin.statusCode()).as(withLogin.body()).isEqualTo(200);

        // The ID token lacks the login claim: userinfo is the only place left, and it is down.
        WebFixture.Client c = web.client();
        Flow flow = begin(c, "/oidc/login");
        Instant now = Instant.now();
        provider.nextTokenAnswer(request -> TestProvider.tokenAnswer(provider.signWithProvidersKey(new JWTClaimsSet.Builder()
                .issuer(provider.issuer()).subject("sub-" + login).audience(TestProvider.CLIENT_ID)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .claim("nonce", flow.nonce()).build())));
        provider.nextUserInfoAnswer(request -> errorPage(503));
        HttpResponse<String> r = c.get(callbackPath(flow));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(r.body()).contains("Le fournisseur d’identité de l’ENT ne répond pas").doesNotContain("Exception");
        assertThat(c.cookie("publipostage_session")).isNull();
    }

    @Test
    void theProviderRefusingTheLoginIsASentence() {
        WebFixture.Client c = web.client();
        Flow flow = begin(c, "/oidc/login");
        HttpResponse<String> r = c.get("/oidc/callback?error=access_denied&state=" + flow.state());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("connexion annulée ou refusée");
    }

    @Test
    void theAuthorizationRequestUsesPkceStateAndNonce() {
        Flow flow = begin(web.client(), "/oidc/login");
        assertThat(flow.parameters()).containsEntry("response_type", "code").containsEntry("code_challenge_method", "S256")
                .containsEntry("client_id", TestProvider.CLIENT_ID).containsKeys("state", "nonce", "code_challenge");
        assertThat(flow.parameters().get("scope")).contains("openid");
        assertThat(flow.parameters().get("redirect_uri")).endsWith("/oidc/callback");
        assertThat(flow.parameters()).doesNotContainKey("prompt");
        // A logged-in admin asking /oidc/login goes back to the console.
        WebFixture.Client c = web.as(WebFixture.Who.LOCAL_OWN);
        assertThat(c.get("/oidc/login").statusCode()).isEqualTo(303);
        assertThat(c.get("/oidc/login").headers().firstValue("Location")).hasValue("/");
    }

    // ------------------------------------------------------------------ the second factor

    @Test
    void amrMfaIsTheStepUpForCredentialOutputsItsAbsenceIsNot() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        String csv = "/api/structures/" + WebFixture.OWN + "/export.csv?profile=Guest";

        WebFixture.Client withMfa = loggedIn(login, Map.of("amr", List.of("pwd", "mfa")));
        assertThat(withMfa.get(csv).statusCode()).isEqualTo(200);
        assertThat(withMfa.get("/api/me").body()).contains("\"totpFresh\":true");
        // The session records how its second factor was satisfied, and when.
        assertThat(column("select s.second_factor_via || ' ' || (s.second_factor_at is not null) from web_session s "
                + "where s.token_hash = encode(sha256(?::bytea), 'hex')", withMfa.cookie("publipostage_session")))
                .containsExactly("provider true");

        WebFixture.Client withOtp = loggedIn(login, Map.of("amr", List.of("otp")));
        assertThat(withOtp.get(csv).statusCode()).isEqualTo(200);

        WebFixture.Client without = loggedIn(login, Map.of("amr", List.of("pwd")));
        HttpResponse<String> refused = without.get(csv);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("auth.reauthRequired");

        WebFixture.Client noAmr = loggedIn(login, Map.of());
        assertThat(noAmr.get(csv).statusCode()).isEqualTo(403);

        // An MFA long ago (auth_time two hours back) is not a fresh second factor.
        WebFixture.Client old = loggedIn(login, Map.of("amr", List.of("mfa"),
                "auth_time", Instant.now().minus(Duration.ofHours(2)).getEpochSecond()));
        assertThat(old.get(csv).statusCode()).isEqualTo(403);
    }

    @Test
    void acrAtOrAboveTheConfiguredLevelCountsBelowItDoesNot() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        String csv = "/api/structures/" + WebFixture.OWN + "/export.csv?profile=Guest";
        assertThat(loggedIn(login, Map.of("acr", "urn:ent:loa:2")).get(csv).statusCode()).isEqualTo(200);
        assertThat(loggedIn(login, Map.of("acr", "urn:ent:loa:3")).get(csv).statusCode()).isEqualTo(200);
        assertThat(loggedIn(login, Map.of("acr", "urn:ent:loa:1")).get(csv).statusCode()).isEqualTo(403);
        assertThat(loggedIn(login, Map.of("acr", "urn:other:loa:9")).get(csv).statusCode()).isEqualTo(403);
    }

    @Test
    void theStepUpReauthenticatesAtTheProviderAndReplacesTheSession() {
        String login = withFunction(WebFixture.OWN, "ADMIN_LOCAL", "Personnel").get(0);
        String csv = "/api/structures/" + WebFixture.OWN + "/export.csv?profile=Guest";
        WebFixture.Client c = loggedIn(login, Map.of());
        assertThat(c.get(csv).statusCode()).isEqualTo(403);
        assertThat(c.get("/").body()).contains("href=\"/oidc/login?fresh=1\"");
        String before = c.cookie("publipostage_session");

        provider.nextLogin(login, Map.of("amr", List.of("mfa")));
        Flow flow = begin(c, "/oidc/login?fresh=1");
        assertThat(flow.parameters()).containsEntry("prompt", "login").containsEntry("max_age", "0")
                .containsEntry("acr_values", "urn:ent:loa:2");
        assertThat(c.get(callbackPath(flow)).statusCode()).isEqualTo(200);
        assertThat(c.cookie("publipostage_session")).isNotEqualTo(before);
        c.loadCsrf();
        assertThat(c.get(csv).statusCode()).isEqualTo(200);
        // The replaced session is closed.
        WebFixture.Client old = web.client();
        old.setCookie("publipostage_session", before);
        assertThat(old.get("/api/me").statusCode()).isEqualTo(401);
    }

    @Test
    void localPasswordSessionsKeepTheTotpStepUp() {
        WebFixture.Client local = web.as(WebFixture.Who.LOCAL_OWN);
        HttpResponse<String> r = local.get("/api/structures/" + WebFixture.OWN + "/export.csv?profile=Guest");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("auth.totpEnrolRequired");
    }

    // ------------------------------------------------------------------ provider down, ENT only

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ProviderUnreachableAndEntOnly {
        private fr.publipostage.testing.TestDatabase.Fresh db;
        private fr.publipostage.App app;
        private io.javalin.Javalin server;

        @BeforeAll
        void start() throws Exception {
            int closed;
            try (ServerSocket s = new ServerSocket(0)) {
                closed = s.getLocalPort();
            }
            db = fr.publipostage.testing.TestDatabase.fresh();
            app = db.app(Map.of(Setting.OIDC_ISSUER, "http://127.0.0.1:" + closed + "/ent", Setting.OIDC_CLIENT_ID, "publipostage",
                    Setting.OIDC_ONLY, "true", Setting.OIDC_LABEL, "Connexion ENT Nouvelle-Aquitaine"));
            app.admins().create("t.local", WebFixture.PASSWORD, true, List.of());
            server = app.server().start(0);
        }

        @AfterAll
        void stop() {
            server.stop();
            app.close();
            db.close();
        }

        private WebFixture.Client client() {
            return web.client().at(server.port());
        }

        @Test
        void theLoginPageOffersOnlyTheProviderAndThePasswordFormIsRefused() {
            WebFixture.Client c = client();
            String page = c.get("/login").body();
            assertThat(page).contains("Connexion ENT Nouvelle-Aquitaine").contains("href=\"/oidc/login\"")
                    .doesNotContain("type=\"password\"");
            c.csrf = c.cookie("publipostage_csrf");
            HttpResponse<String> r = c.postForm("/login", Map.of("login", "t.local",
                    "password", WebFixture.PASSWORD));
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("La connexion par mot de passe est désactivée");
            assertThat(c.cookie("publipostage_session")).isNull();
        }

        @Test
        void anUnreachableProviderIsASentenceNotAStackTrace() {
            HttpResponse<String> r = client().get("/oidc/login?lang=en");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("The ENT’s identity provider does not answer").doesNotContain("Exception")
                    .doesNotContain("127.0.0.1");
        }
    }

}

package fr.publipostage.web;

import static fr.publipostage.web.WebFixture.Who.ANONYMOUS;
import static fr.publipostage.web.WebFixture.Who.CLASS_TEACHER;
import static fr.publipostage.web.WebFixture.Who.LOCAL_OTHER;
import static fr.publipostage.web.WebFixture.Who.LOCAL_OWN;
import static fr.publipostage.web.WebFixture.Who.SUPER;
import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.directory.Profile;
import fr.publipostage.selection.Scope;
import fr.publipostage.web.WebFixture.Who;
import io.javalin.router.ParsedEndpoint;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of the application × every role (super admin, local admin of the structure, local
 * admin of another structure, class teacher, anonymous) with the expected status. The table is
 * checked against the routes actually registered in the Javalin app: a route added without a row
 * here fails this test, and so does a row for a route that no longer exists.
 */
class AuthorizationMatrixIT {
    private static WebFixture web;
    private static long visibleAccountId;
    private static long finishedCampaignId;
    private static long finishedJobId;

    /** How one cell is requested: the client of the role, the path with {uai} and {id} filled. */
    private record Call(String method, BiFunction<WebFixture.Client, String, HttpResponse<String>> send) {
    }

    private record Row(String route, Map<Who, Integer> expected, Call call) {
    }

    private static final List<Row> MATRIX = new ArrayList<>();

    private static Map<Who, Integer> expect(int superAdmin, int localOwn, int localOther, int classTeacher, int anonymous) {
        Map<Who, Integer> m = new EnumMap<>(Who.class);
        m.put(SUPER, superAdmin);
        m.put(LOCAL_OWN, localOwn);
        m.put(LOCAL_OTHER, localOther);
        m.put(CLASS_TEACHER, classTeacher);
        m.put(ANONYMOUS, anonymous);
        return m;
    }

    private static void get(String route, Map<Who, Integer> expected) {
        MATRIX.add(new Row("GET " + route, expected, new Call("GET", (c, path) -> c.get(path))));
    }

    private static void post(String route, Map<Who, Integer> expected, Map<String, String> form) {
        MATRIX.add(new Row("POST " + route, expected, new Call("POST", (c, path) -> c.postForm(path, form))));
    }

    private static void delete(String route, Map<Who, Integer> expected) {
        MATRIX.add(new Row("DELETE " + route, expected, new Call("DELETE", (c, path) -> c.delete(path))));
    }

    static {
        // Infrastructure and pages.
        get("/health", expect(200, 200, 200, 200, 200));
        get("/ready", expect(200, 200, 200, 200, 200));             // readiness: public, like /health
        get("/metrics", expect(200, 403, 403, 403, 401));          // or a bearer token (OperationsIT)
        get("/", expect(200, 200, 200, 200, 200));                 // anonymous: the login page
        get("/login", expect(303, 303, 303, 303, 200));            // logged in: back to the console
        post("/login", expect(401, 401, 401, 401, 401), Map.of("login", "nobody", "password", "wrong-password"));
        post("/logout", expect(303, 303, 303, 303, 303), Map.of());
        get("/password", expect(200, 200, 200, 200, 302));
        post("/password", expect(400, 400, 400, 400, 401), Map.of("current", "wrong", "password", "x", "confirm", "y"));
        get("/account/totp", expect(200, 200, 200, 200, 302));
        // Single sign-on: without a provider configured (this fixture) the routes do not exist; with one,
        // OidcLoginIT covers them (anyone may start a login; the callback checks its own state).
        get("/oidc/login", expect(404, 404, 404, 404, 404));
        get("/oidc/callback", expect(404, 404, 404, 404, 404));
        post("/account/totp", expect(400, 400, 400, 400, 401), Map.of("code", "000000"));
        // Only a super admin removes another admin's authenticator (here an unknown login: 404).
        post("/account/totp/reset", expect(404, 403, 403, 403, 401), Map.of("login", "nobody.at.all"));
        // The JSON API.
        get("/api/me", expect(200, 200, 200, 200, 401));
        post("/api/totp/verify", expect(400, 400, 400, 400, 401), Map.of("code", "000000"));
        get("/api/structures", expect(200, 200, 200, 200, 401));
        Map<Who, Integer> structure = expect(200, 200, 403, 200, 401);
        get("/api/structures/{uai}/levels", structure);
        get("/api/structures/{uai}/classes", structure);
        get("/api/structures/{uai}/presets", structure);
        get("/api/structures/{uai}/selection", structure);
        get("/api/structures/{uai}/accounts/{id}", structure);
        get("/api/structures/{uai}/export.csv", structure);
        // E-mail campaigns: the school's administrators only (class teachers print); {campaign} is a
        // finished campaign of the school, {message} a mail of it captured by the sandbox.
        Map<Who, Integer> mailer = expect(200, 200, 403, 403, 401);
        get("/api/structures/{uai}/campaigns/preview", mailer);
        post("/api/structures/{uai}/campaigns", expect(201, 201, 403, 403, 401), Map.of("profile", "Guest"));
        get("/api/structures/{uai}/campaigns", mailer);
        get("/api/structures/{uai}/campaigns/{campaign}", mailer);
        get("/api/structures/{uai}/campaigns/{campaign}/recipients", mailer);
        get("/api/structures/{uai}/campaigns/{campaign}/ledger.csv", mailer);
        Map<Who, Integer> refusedByState = expect(409, 409, 403, 403, 401);  // allowed, but the campaign is finished
        post("/api/structures/{uai}/campaigns/{campaign}/pause", refusedByState, Map.of());
        post("/api/structures/{uai}/campaigns/{campaign}/resume", refusedByState, Map.of());
        post("/api/structures/{uai}/campaigns/{campaign}/cancel", refusedByState, Map.of());
        post("/api/structures/{uai}/campaigns/{campaign}/resend-failed", mailer, Map.of());
        get("/api/structures/{uai}/sandbox", mailer);
        get("/api/structures/{uai}/sandbox/{message}/html", mailer);
        get("/sandbox/{uai}", expect(200, 200, 403, 403, 302));
        // Letters: every role allowed on the school prints (a class teacher his classes); {job} is a
        // finished job of the super admin: another admin of the school gets 403, another school 403.
        get("/api/structures/{uai}/letters/preview.png", structure);
        post("/api/structures/{uai}/letters", structure, Map.of("class", DemoDirectory.DEMO_TUTOR_CLASS));
        Map<Who, Integer> jobOwner = expect(200, 403, 403, 403, 401);
        get("/api/structures/{uai}/letters/jobs/{job}", jobOwner);
        post("/api/structures/{uai}/letters/jobs/{job}/cancel", jobOwner, Map.of());
        get("/api/structures/{uai}/letters/jobs/{job}/pdf", jobOwner);  // once: the super admin downloads it
        get("/api/structures/{uai}/letters/accounts/{id}", structure);
        // Template editor: the school's administrators only. {name} is the activation letter (the
        // mail preview's, the activation e-mail); the save without text is a 400, the rollback of a
        // version that does not exist a 404, the reset of a file never overridden a 200 that changes nothing.
        get("/templates", expect(200, 200, 200, 403, 302));
        Map<Who, Integer> editor = expect(200, 200, 403, 403, 401);
        get("/api/structures/{uai}/templates", editor);
        get("/api/structures/{uai}/templates/{name}", editor);
        post("/api/structures/{uai}/templates/{name}", expect(400, 400, 403, 403, 401), Map.of("comment", "no text"));
        get("/api/structures/{uai}/templates/{name}/history", editor);
        get("/api/structures/{uai}/templates/{name}/diff", editor);
        post("/api/structures/{uai}/templates/{name}/rollback", expect(404, 404, 403, 403, 401), Map.of("version", "99"));
        post("/api/structures/{uai}/templates/{name}/reset", editor, Map.of());
        post("/api/structures/{uai}/templates/{name}/preview.png", editor, Map.of("sample", "worst"));
        post("/api/structures/{uai}/templates/{name}/preview-mail", editor, Map.of("sample", "worst"));
        // The school's logo: a form post without a file is refused (422), the removal of no logo is a 200.
        get("/api/structures/{uai}/logo", editor);
        post("/api/structures/{uai}/logo", expect(422, 422, 403, 403, 401), Map.of());
        delete("/api/structures/{uai}/logo", editor);
        // Importing accounts: the school's administrators only. A form post is not a CSV file (422); {upload}
        // is an upload nobody made (404).
        get("/import", expect(200, 200, 200, 403, 302));
        post("/api/structures/{uai}/imports", expect(422, 422, 403, 403, 401), Map.of());
        post("/api/structures/{uai}/imports/{upload}/apply", expect(404, 404, 403, 403, 401), Map.of());
        delete("/api/structures/{uai}/imports/{upload}", expect(404, 404, 403, 403, 401));
    }

    @BeforeAll
    static void start() {
        web = new WebFixture();
        long lycee = web.app.access().forStructure(web.app.admins().findByLogin(SUPER.login).orElseThrow(), WebFixture.OWN)
                .structure().id();
        // A pupil of the class teacher's class: every role allowed on the structure may open his card.
        Account pupil = web.app.selections().list(fr.publipostage.selection.Selection.everyone(lycee), Scope.LOCAL_ADMIN).stream()
                .filter(a -> a.profile() == Profile.Student && a.classes().contains(DemoDirectory.DEMO_TUTOR_CLASS))
                .findFirst().orElseThrow();
        visibleAccountId = pupil.id();
        // A guests' campaign of the school, sent into the sandbox to the end.
        var guests = web.app.selections().parse(lycee, Map.of("profile", List.of("Guest")));
        finishedCampaignId = web.app.campaigns().start(guests, Scope.LOCAL_ADMIN, SUPER.login).id();
        try {
            while (!web.app.campaigns().progress(finishedCampaignId).campaign().isOver()) web.app.mailWorker().runOnce();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        // A letters job of the school, run to the end.
        finishedJobId = web.app.letters().submit(guests, Scope.LOCAL_ADMIN, SUPER.login);
        web.app.jobWorker().poll();
    }

    private static String fill(String path, String uai) {
        return path.replace("{uai}", uai).replace("{id}", String.valueOf(visibleAccountId))
                .replace("{campaign}", String.valueOf(finishedCampaignId)).replace("{message}", "0")
                .replace("{job}", String.valueOf(finishedJobId)).replace("{upload}", "0")
                .replace("{name}", path.endsWith("/preview-mail") ? "mail-activation.html.vm" : "print-activation.vm");
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    @Test
    void everyRegisteredRouteIsInTheMatrixAndNothingElse() {
        Set<String> registered = new TreeSet<>();
        for (ParsedEndpoint e : web.server.unsafe.internalRouter.allHttpHandlers()) {
            if (!e.endpoint.method.isHttpMethod()) continue;  // before/after filters are not endpoints
            registered.add(e.endpoint.method.name() + " " + e.endpoint.path);
        }
        Set<String> listed = new TreeSet<>();
        for (Row row : MATRIX) listed.add(row.route());
        assertThat(registered).as("routes registered in the app but missing from the authorization matrix")
                .isSubsetOf(listed);
        assertThat(listed).as("routes in the matrix that the app does not register").isSubsetOf(registered);
    }

    @Test
    void everyRouteAnswersEachRoleAsExpected() {
        Map<String, String> failures = new LinkedHashMap<>();
        for (Row row : MATRIX) {
            for (Who who : Who.values()) {
                WebFixture.Client client = web.as(who);
                String path = fill(row.route().substring(row.call().method().length() + 1), WebFixture.OWN);
                if (row.route().startsWith("POST /login")) {
                    // Bad credentials, a different login per role: nobody gets throttled by this test.
                    path = "/login";
                }
                HttpResponse<String> r = row.call().send().apply(client, path);
                int expected = row.expected().get(who);
                if (r.statusCode() != expected) {
                    failures.put(row.route() + " as " + who, "expected " + expected + ", got " + r.statusCode() + ": "
                            + r.body().substring(0, Math.min(200, r.body().length())));
                }
                if (who == LOCAL_OTHER && row.route().contains("{uai}")) {
                    assertThat(r.body()).as(row.route() + ": a 403 carries nothing of the structure's data")
                            .doesNotContain("Montesquieu").doesNotContain(WebFixture.OWN).doesNotContain("\"rows\"")
                            .doesNotContain("@exemple.fr");
                }
            }
        }
        assertThat(failures).as("cells of the matrix that differ").isEmpty();
    }

    @Test
    void anUnknownStructureIsNotFoundForEveryLoggedInRole() {
        for (Row row : MATRIX) {
            if (!row.route().contains("{uai}")) continue;
            for (Who who : List.of(SUPER, LOCAL_OWN, LOCAL_OTHER, CLASS_TEACHER)) {
                String path = fill(row.route().substring(row.call().method().length() + 1), "0999999Z");
                HttpResponse<String> r = web.as(who).get(path);
                assertThat(r.statusCode()).as(row.route() + " as " + who + " on an unknown structure").isEqualTo(404);
            }
        }
    }

    @Test
    void anAdminOnAOneTimePasswordMayOnlyChangeIt() {
        WebFixture.Client c = web.client();
        web.app.admins().create("t.onetime", WebFixture.PASSWORD, false, List.of(WebFixture.OWN));
        markOneTime("t.onetime");
        HttpResponse<String> login = c.login("t.onetime", WebFixture.PASSWORD);
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/password");
        assertThat(c.get("/api/structures").statusCode()).isEqualTo(403);
        assertThat(c.get("/api/structures/" + WebFixture.OWN + "/selection").statusCode()).isEqualTo(403);
        assertThat(c.get("/").statusCode()).isEqualTo(302);
        assertThat(c.get("/password").statusCode()).isEqualTo(200);
    }

    private static void markOneTime(String login) {
        try (var conn = web.db.database().dataSource().getConnection();
             var st = conn.prepareStatement("update admin set one_time_password = true where login = ?")) {
            st.setString(1, login);
            st.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

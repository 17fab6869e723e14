package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.selection.Scope;
import fr.publipostage.web.WebFixture.Who;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A user's mistakes that reached the database or the servlet layer: each gets a 4xx and a sentence, never a 500. */
class InputMistakesIT {
    private static WebFixture web;

    @BeforeAll
    static void start() {
        web = new WebFixture();
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    private static String show(HttpResponse<String> r) {
        return r.statusCode() + ": " + r.body().substring(0, Math.min(300, r.body().length()));
    }

    // ---- 1. passwords longer than bcrypt's 72 bytes

    @Test
    void aPasswordLongerThan72BytesAtLoginIsAWrongPasswordNotA500() {
        WebFixture.Client c = web.client();
        HttpResponse<String> r = c.login(Who.LOCAL_OWN.login, "x".repeat(100));
        assertThat(r.statusCode()).as(show(r)).isEqualTo(401);
    }

    @Test
    void choosingANewPasswordLongerThan72BytesIsNotA500() {
        web.app.admins().create("t.longpass", WebFixture.PASSWORD, false, List.of(WebFixture.OWN));
        WebFixture.Client c = WebFixture.loggedIn(web.server.port(), "t.longpass", WebFixture.PASSWORD);
        String longer = "Une phrase de passe très longue, comme le conseille l'ANSSI, pour mon compte !";
        assertThat(longer.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(72);
        HttpResponse<String> r = c.postForm("/password", Map.of("current", WebFixture.PASSWORD, "password", longer,
                "confirm", longer));
        assertThat(r.statusCode()).as(show(r)).isEqualTo(400);
        assertThat(r.body()).contains("72");
    }

    // ---- 2. NUL characters in free text that reaches PostgreSQL

    @Test
    void aNulCharacterInTheLoginIsA400NotA500() {
        WebFixture.Client c = web.client();
        HttpResponse<String> r = c.login("admin\u0000", "whatever-password");
        assertThat(r.statusCode()).as(show(r)).isEqualTo(400);
        assertThat(r.body()).contains("error.controlCharacter");
    }

    @Test
    void aNulCharacterInTheRecipientSearchIsA400NotA500() {
        long lycee = web.app.access().forStructure(web.app.admins().findByLogin(Who.SUPER.login).orElseThrow(),
                WebFixture.OWN).structure().id();
        var guests = web.app.selections().parse(lycee, Map.of("profile", List.of("Guest")));
        long campaign = web.app.campaigns().start(guests, Scope.LOCAL_ADMIN, Who.LOCAL_OWN.login).id();
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> r = admin.get("/api/structures/" + WebFixture.OWN + "/campaigns/" + campaign
                + "/recipients?search=a%00b");
        assertThat(r.statusCode()).as(show(r)).isEqualTo(400);
    }

    @Test
    void aNulCharacterInTheSchoolsNameWithArticleIsA400NotA500() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> r = admin.post("/api/structures/" + WebFixture.OWN + "/name-with-article",
                Map.of("value", "du Lycée\u0000"), "X-CSRF-Token", admin.csrf);
        assertThat(r.statusCode()).as(show(r)).isEqualTo(400);
        assertThat(r.body()).contains("error.controlCharacter");
    }

    // ---- 3. dates PostgreSQL cannot hold

    @Test
    void aCreationDateBeyondPostgresRangeIsA400NotA500() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> r = admin.get("/api/structures/" + WebFixture.OWN + "/selection?created-after=%2B9999999-01-01");
        assertThat(r.statusCode()).as(show(r)).isEqualTo(400);
        assertThat(r.body()).contains("selection.badDate");
    }

    // ---- 4. a form endpoint sent a broken multipart body

    @Test
    void aBrokenMultipartBodyOnAFormEndpointIsA400NotA500() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> r = admin.postBody("/api/structures/" + WebFixture.OWN + "/print-defaults",
                "this is not multipart".getBytes(StandardCharsets.UTF_8), "multipart/form-data; boundary=XyZ");
        assertThat(r.statusCode()).as(show(r)).isEqualTo(400);
        assertThat(r.body()).contains("error.malformedBody");
    }

    // ---- 5. a form body over the server's limit (1 MB)

    @Test
    void aFormBodyOverTheLimitIsA413InTheAdminsLanguage() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> r = admin.post("/api/structures/" + WebFixture.OWN + "/templates/print-header.vm",
                Map.of("text", "x".repeat(1_500_000)), "X-CSRF-Token", admin.csrf);
        assertThat(r.statusCode()).as(show(r)).isEqualTo(413);
        assertThat(r.body()).contains("\"code\"").contains("error.bodyTooLarge").contains("Mo");
    }

    @Test
    void anAddressOverJettysLimitIsA414InTheAdminsLanguage() {
        // Jetty answers this one itself, before any handler: it wrote its own English page.
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> r = admin.get("/api/structures/" + WebFixture.OWN + "/selection?search-last=" + "a".repeat(20_000));
        assertThat(r.statusCode()).as(show(r)).isEqualTo(414);
        assertThat(r.body()).contains("\"code\"").contains("error.uriTooLong").contains("adresse");
    }
}

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

    // ---- 6. found by a review: a NUL in a multipart field, a draft XML refuses in the page preview

    /** A multipart/form-data body (what a browser's FormData sends), the CSRF token in the header. */
    private static HttpResponse<String> multipart(WebFixture.Client c, String path, Map<String, String> fields) {
        String boundary = "ReviewBoundary7MA4YWxkTrZu0gW";
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            sb.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(e.getKey())
                    .append("\"\r\n\r\n").append(e.getValue()).append("\r\n");
        }
        sb.append("--").append(boundary).append("--\r\n");
        return c.postBody(path, sb.toString().getBytes(StandardCharsets.UTF_8), "multipart/form-data; boundary=" + boundary);
    }

    /**
     * WebServer.refuseNulCharacters only looks at the query string and url-encoded bodies: the same
     * NUL sent in a multipart form field reaches PostgreSQL ("invalid byte sequence for encoding UTF8: 0x00").
     */
    @Test
    void aNulCharacterInAMultipartFormFieldIsA400NotA500() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> article = multipart(admin, "/api/structures/" + WebFixture.OWN + "/name-with-article",
                Map.of("value", "du Lycée\u0000"));
        assertThat(article.statusCode()).as(show(article)).isEqualTo(400);
        assertThat(article.body()).contains("error.controlCharacter");

        HttpResponse<String> comment = multipart(admin, "/api/structures/" + WebFixture.OWN + "/templates/print-header.vm",
                Map.of("text", "<div class=\"header\">En-tête</div>", "comment", "relu\u0000"));
        assertThat(comment.statusCode()).as(show(comment)).isEqualTo(400);
        assertThat(comment.body()).contains("error.controlCharacter");

        WebFixture.Client superAdmin = web.as(Who.SUPER);
        HttpResponse<String> reset = multipart(superAdmin, "/account/totp/reset", Map.of("login", "t.local.own\u0000"));
        assertThat(reset.statusCode()).as(show(reset)).isLessThan(500);
    }

    /**
     * A draft with a character XML does not allow (here U+0001, typed by a paste from a word processor):
     * the save answers 422 "not well-formed XHTML", but the page preview of the same draft is a 500
     * (openhtmltopdf's XRRuntimeException is not caught by TemplateEditor.previewPage).
     */
    @Test
    void aDraftWithACharacterXmlRefusesIsA422InThePagePreviewNotA500() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        String draft = "<div class=\"header\">En-tête\u0001</div>";
        String base = "/api/structures/" + WebFixture.OWN + "/templates/print-header.vm";
        HttpResponse<String> save = admin.post(base, Map.of("text", draft), "X-CSRF-Token", admin.csrf);
        assertThat(save.statusCode()).as(show(save)).isEqualTo(422);
        HttpResponse<String> preview = admin.post(base + "/preview.png", Map.of("text", draft, "sample", "worst"),
                "X-CSRF-Token", admin.csrf);
        assertThat(preview.statusCode()).as(show(preview)).isEqualTo(422);
        assertThat(preview.body()).contains("editorweb.rejected");
    }
}

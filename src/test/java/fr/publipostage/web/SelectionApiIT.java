package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.directory.Account;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.web.WebFixture.Who;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON API of steps 1 and 2 over HTTP on a random port: every filter, sort and error. */
class SelectionApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/api/structures/" + WebFixture.OWN;

    private static WebFixture web;
    private static WebFixture.Client local;
    private static WebFixture.Client superAdmin;
    private static WebFixture.Client teacher;
    private static long lyceeId;

    @BeforeAll
    static void start() {
        web = new WebFixture();
        local = web.as(Who.LOCAL_OWN);
        superAdmin = web.as(Who.SUPER);
        teacher = web.as(Who.CLASS_TEACHER);
        lyceeId = web.app.access().forStructure(web.app.admins().findByLogin(Who.SUPER.login).orElseThrow(), WebFixture.OWN)
                .structure().id();
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** Every row of the selection, window after window. */
    static List<JsonNode> allRows(WebFixture.Client c, String query) {
        List<JsonNode> rows = new ArrayList<>();
        for (int offset = 0; ; offset += 500) {
            HttpResponse<String> r = c.get(BASE + "/selection?" + query + "&limit=500&offset=" + offset);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = json(r);
            body.get("rows").forEach(rows::add);
            if (offset + 500 >= body.get("total").asInt()) return rows;
        }
    }

    @Test
    void structuresAreThoseTheAdminMayUse() {
        assertThat(json(local.get("/api/structures")).findValuesAsText("uai")).containsExactly(WebFixture.OWN);
        assertThat(json(superAdmin.get("/api/structures")).findValuesAsText("uai")).containsExactlyInAnyOrder(WebFixture.OWN, WebFixture.OTHER);
        JsonNode t = json(teacher.get("/api/structures"));
        assertThat(t.findValuesAsText("uai")).containsExactly(WebFixture.OWN);
        assertThat(t.get(0).get("role").asText()).isEqualTo("CLASS_TEACHER");
    }

    @Test
    void levelsAndClassesFollowTheChosenLevels() {
        local.setCookie("lang", "fr");
        // School order (issue 13), not alphabetical.
        assertThat(texts(iter(json(local.get(BASE + "/levels"))), null)).containsExactly("Seconde", "Première", "Terminale");
        List<JsonNode> seconde = iter(json(local.get(BASE + "/classes?level=Seconde")));
        assertThat(seconde).hasSize(8).allSatisfy(c -> assertThat(c.get("level").asText()).isEqualTo("Seconde"));
        assertThat(iter(json(local.get(BASE + "/classes?level=Seconde&level=Terminale")))).hasSize(16);
        assertThat(iter(json(local.get(BASE + "/classes")))).hasSize(24);
        HttpResponse<String> bad = local.get(BASE + "/classes?level=Maternelle");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("Maternelle").contains("Niveau inconnu");
        // A class teacher is offered his classes only.
        assertThat(texts(iter(json(teacher.get(BASE + "/levels"))), null)).containsExactly("Seconde");
        assertThat(json(teacher.get(BASE + "/classes")).findValuesAsText("name")).containsExactly("2nde 1");
    }

    private static List<JsonNode> iter(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static List<String> texts(List<JsonNode> nodes, String field) {
        return nodes.stream().map(n -> field == null ? n.asText() : n.get(field).asText()).toList();
    }

    @Test
    void presetsFillFiltersSortAndLayout() {
        local.setCookie("lang", "fr");
        JsonNode presets = json(local.get(BASE + "/presets"));
        assertThat(presets.findValuesAsText("id")).containsExactly("teachers", "pupils", "staff", "parents", "parentsPost", "guests", "newcomers");
        JsonNode pupils = presets.get(1);
        assertThat(pupils.get("label").asText()).isEqualTo("Élèves par classe");
        assertThat(pupils.get("parameters").get("sort").get(0).asText()).isEqualTo("class");
        assertThat(pupils.get("parameters").get("cover").get(0).asText()).isEqualTo("yes");
        assertThat(json(local.get(BASE + "/presets?lang=en")).get(1).get("label").asText()).isEqualTo("Pupils by class");
        local.setCookie("lang", "fr");
        JsonNode newcomers = null;
        for (JsonNode p : presets) if (p.get("id").asText().equals("newcomers")) newcomers = p;
        String after = newcomers.get("parameters").get("created-after").get(0).asText();
        assertThat(LocalDate.parse(after).getDayOfMonth()).isEqualTo(1);
        assertThat(json(teacher.get(BASE + "/presets")).findValuesAsText("id")).containsExactly("pupils", "parents", "newcomers");
        // Every preset is a valid selection.
        for (JsonNode p : presets) {
            StringBuilder q = new StringBuilder();
            p.get("parameters").fields().forEachRemaining(e -> e.getValue().forEach(v -> q.append(e.getKey()).append('=').append(enc(v.asText())).append('&')));
            assertThat(local.get(BASE + "/selection?" + q).statusCode()).as(p.get("id").asText()).isEqualTo(200);
        }
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void everyFilterNarrowsTheList() {
        int everyone = json(local.get(BASE + "/selection")).get("total").asInt();
        assertThat(everyone).isBetween(1400, 1800);

        List<JsonNode> teachers = allRows(local, "profile=Teacher");
        assertThat(teachers).isNotEmpty().allSatisfy(r -> assertThat(r.get("profile").asText()).isEqualTo("Teacher"));
        assertThat(allRows(local, "profile=Teacher,Guest")).extracting(r -> r.get("profile").asText()).containsOnly("Teacher", "Guest");
        assertThat(allRows(local, "profile=Enseignant")).hasSameSizeAs(teachers);

        List<JsonNode> seconde = allRows(local, "profile=Student&level=Seconde");
        assertThat(seconde).isNotEmpty().allSatisfy(r -> assertThat(r.get("classes").get(0).asText()).startsWith("2nde"));

        List<JsonNode> classe = allRows(local, "class=" + enc("2nde 3"));
        assertThat(classe).isNotEmpty().allSatisfy(r -> assertThat(texts(iter(r.get("classes")), null)).contains("2nde 3"));
        assertThat(classe).extracting(r -> r.get("profile").asText()).contains("Student", "Relative", "Teacher");

        List<JsonNode> pending = allRows(local, "activation=pending");
        assertThat(pending).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("pending").asBoolean()).isTrue();
            assertThat(r.get("activationCode").asText()).hasSize(8);
        });
        assertThat(allRows(local, "activation=activated")).allSatisfy(r -> assertThat(r.get("activationCode").isNull()).isTrue());
        assertThat(pending.size() + allRows(local, "activation=activated").size()).isEqualTo(everyone);

        JsonNode without = json(local.get(BASE + "/selection?email=without&limit=1"));
        assertThat(without.get("total").asInt()).isEqualTo(without.get("withoutEmail").asInt()).isPositive();
        assertThat(allRows(local, "email=with")).allSatisfy(r -> assertThat(r.get("email").asText()).contains("@"));

        List<JsonNode> admins = allRows(local, "local-admin=yes");
        assertThat(admins).hasSize(2);
        assertThat(allRows(local, "local-admin=no")).hasSize(everyone - 2);

        List<JsonNode> recent = allRows(local, "created-after=2026-08-01&created-before=2026-09-15");
        assertThat(recent).isNotEmpty().allSatisfy(r -> assertThat(LocalDate.parse(r.get("createdAt").asText()))
                .isBetween(LocalDate.of(2026, 8, 1), LocalDate.of(2026, 9, 15)));
    }

    @Test
    void sortsByProfileThenClassThenNameTheFrenchWay() {
        List<JsonNode> rows = allRows(local, "sort=profile,class");
        List<String> order = List.of("Student", "Relative", "Teacher", "Personnel", "Guest");
        for (int i = 1; i < rows.size(); i++) {
            int a = order.indexOf(rows.get(i - 1).get("profile").asText());
            int b = order.indexOf(rows.get(i).get("profile").asText());
            assertThat(a).isLessThanOrEqualTo(b);
        }
        List<JsonNode> pupils = allRows(local, "profile=Student&sort=class");
        for (int i = 1; i < pupils.size(); i++) {
            String ca = pupils.get(i - 1).get("classes").get(0).asText();
            String cb = pupils.get(i).get("classes").get(0).asText();
            // Classes in school order (Seconde, Première, Terminale; numbers as numbers), as the demo's levels.
            assertThat(fr.publipostage.directory.SchoolOrder.LEVELS.compare(ca, cb)).as(ca + " before " + cb).isLessThanOrEqualTo(0);
            if (ca.equals(cb)) {
                assertThat(fold(pupils.get(i - 1).get("lastName").asText())).isLessThanOrEqualTo(fold(pupils.get(i).get("lastName").asText()));
            }
        }
    }

    static String fold(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replace("Ø", "O").replace("Ð", "D").replace("Đ", "D").replace("đ", "d").replace("œ", "oe").replace("Œ", "Oe")
                .replace("Ł", "L").toLowerCase(Locale.ROOT);
    }

    @Test
    void columnSearchAndOrderAreInTheSameQuery() {
        List<JsonNode> found = allRows(local, "search-last=" + enc("lefevre"));
        assertThat(found).isNotEmpty().allSatisfy(r -> assertThat(fold(r.get("lastName").asText())).contains("lefevre"));
        assertThat(texts(found, "lastName")).as("accents ignored").contains("Lefèvre");
        assertThat(allRows(local, "search-first=" + enc("ÉLO"))).isNotEmpty()
                .allSatisfy(r -> assertThat(fold(r.get("firstName").asText())).contains("elo"));
        assertThat(allRows(local, "search-class=" + enc("tle 2"))).isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("classes").toString()).contains("Tle 2"));
        assertThat(json(local.get(BASE + "/selection?search-last=" + enc("%_\\"))).get("total").asInt())
                .as("LIKE wildcards are searched as text").isZero();

        List<JsonNode> byEmail = allRows(local, "email=with&order=email");
        List<JsonNode> byEmailDesc = allRows(local, "email=with&order=email:desc");
        assertThat(byEmailDesc.get(0).get("email")).isEqualTo(byEmail.get(byEmail.size() - 1).get("email"));
        assertThat(byEmailDesc.get(byEmailDesc.size() - 1).get("email")).isEqualTo(byEmail.get(0).get("email"));
        List<JsonNode> byDate = allRows(local, "order=createdAt");
        for (int i = 1; i < byDate.size(); i++) {
            assertThat(byDate.get(i - 1).get("createdAt").asText()).isLessThanOrEqualTo(byDate.get(i).get("createdAt").asText());
        }
    }

    @Test
    void windowsPageThroughTheSameOrder() {
        JsonNode first = json(local.get(BASE + "/selection?profile=Student&sort=class&limit=50"));
        assertThat(first.get("rows")).hasSize(50);
        assertThat(first.get("total").asInt()).isGreaterThan(500);
        JsonNode second = json(local.get(BASE + "/selection?profile=Student&sort=class&limit=50&offset=50"));
        List<JsonNode> all = allRows(local, "profile=Student&sort=class");
        assertThat(second.get("rows").get(0).get("id")).isEqualTo(all.get(50).get("id"));
        assertThat(first.get("selection").get("sort").get(0).asText()).isEqualTo("class");
        assertThat(local.get(BASE + "/selection?limit=501").statusCode()).isEqualTo(400);
        assertThat(local.get(BASE + "/selection?offset=-1").statusCode()).isEqualTo(400);
        assertThat(json(local.get(BASE + "/selection?limit=abc")).get("error").asText()).contains("limit").contains("abc");
    }

    @Test
    void badValuesGet400WithAMessageInTheAdminsLanguage() {
        local.setCookie("lang", "fr");
        String[][] cases = {
            {"profile=Wizard", "selection.badProfile", "Profil inconnu", "Unknown profile"},
            {"level=Maternelle", "selection.badLevel", "Niveau inconnu", "Unknown level"},
            {"class=" + enc("6e 9"), "selection.badClass", "Classe inconnue", "Unknown class"},
            {"activation=maybe", "selection.badActivation", "activation inconnu", "Unknown activation"},
            {"email=perhaps", "selection.badEmail", "Filtre courriel", "Unknown e-mail"},
            {"local-admin=peut-etre", "selection.badYesNo", "invalide", "Invalid value"},
            {"created-after=2026-02-30", "selection.badDate", "Date invalide", "Invalid date"},
            {"created-after=2026-09-01&created-before=2026-01-01", "selection.datesReversed", "précède", "comes before"},
            {"sort=" + enc("last_name; drop table account"), "selection.badSort", "Tri invalide", "Invalid sort"},
            {"sort=class,class", "selection.badSort", "Tri invalide", "Invalid sort"},
            {"sort=profile,class,profile", "selection.badSort", "Tri invalide", "Invalid sort"},
            {"layout=3", "selection.badLayout", "Mise en page", "Invalid layout"},
            {"cover=perhaps", "selection.badYesNo", "invalide", "Invalid value"},
            {"order=password", "check.badOrder", "Tri de colonne", "Invalid column order"},
            {"order=email:sideways", "check.badOrder", "Tri de colonne", "Invalid column order"},
            {"search-last=" + "x".repeat(101), "check.badSearch", "Recherche invalide", "Invalid search"},
        };
        for (String[] c : cases) {
            HttpResponse<String> fr = local.get(BASE + "/selection?" + c[0]);
            assertThat(fr.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(json(fr).get("code").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(json(fr).get("error").asText()).as(c[0]).contains(c[2]);
            HttpResponse<String> en = local.get(BASE + "/selection?" + c[0] + "&lang=en");
            assertThat(json(en).get("error").asText()).as(c[0]).contains(c[3]);
            // The language chosen with ?lang stays (cookie), as in the browser; back to French.
            assertThat(local.cookie("lang")).isEqualTo("en");
            local.setCookie("lang", "fr");
            assertThat(local.get(BASE + "/export.csv?" + c[0]).statusCode()).as("CSV " + c[0]).isEqualTo(400);
        }
    }

    @Test
    void aLocalAdminNeverSeesSuperAdminAccounts() {
        Account platform = web.app.selections().list(Selection.everyone(lyceeId), Scope.EVERYTHING).stream()
                .filter(a -> a.functions().contains(Account.SUPER_ADMIN)).findFirst().orElseThrow();
        assertThat(texts(allRows(local, ""), "login")).doesNotContain(platform.login());
        assertThat(new String(local.getBytes(BASE + "/export.csv").body(), StandardCharsets.UTF_8)).doesNotContain(platform.login());
        assertThat(local.get(BASE + "/accounts/" + platform.id()).statusCode()).isEqualTo(404);
        assertThat(texts(allRows(superAdmin, ""), "login")).contains(platform.login());
        assertThat(superAdmin.get(BASE + "/accounts/" + platform.id()).statusCode()).isEqualTo(200);
    }

    @Test
    void aClassTeacherSeesOnlyThePupilsAndParentsOfHisClasses() {
        List<JsonNode> rows = allRows(teacher, "");
        assertThat(rows).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("profile").asText()).isIn("Student", "Relative");
            assertThat(texts(iter(r.get("classes")), null)).contains("2nde 1");
        });
        assertThat(rows).extracting(r -> r.get("profile").asText()).contains("Student", "Relative");
        JsonNode otherPupil = allRows(local, "profile=Student&class=" + enc("2nde 2")).get(0);
        assertThat(teacher.get(BASE + "/accounts/" + otherPupil.get("id").asText()).statusCode()).isEqualTo(404);
        assertThat(teacher.get(BASE + "/selection?class=" + enc("2nde 2")).statusCode()).as("a known class, outside his scope: empty, not an error")
                .isEqualTo(200);
        assertThat(json(teacher.get(BASE + "/selection?class=" + enc("2nde 2"))).get("total").asInt()).isZero();
    }

    @Test
    void theCardShowsDetailsClassesAndRelatives() {
        JsonNode parent = allRows(local, "profile=Relative&class=" + enc("2nde 1")).get(0);
        JsonNode card = json(local.get(BASE + "/accounts/" + parent.get("id").asText()));
        assertThat(card.get("lastName").asText()).isEqualTo(parent.get("lastName").asText());
        assertThat(card.get("profileLabel").asText()).isEqualTo("Parent");
        assertThat(card.get("classes").toString()).contains("2nde 1");
        assertThat(card.get("relatives")).isNotEmpty();
        JsonNode child = card.get("relatives").get(0);
        assertThat(child.get("profile").asText()).isEqualTo("Student");
        JsonNode childCard = json(local.get(BASE + "/accounts/" + child.get("id").asText()));
        assertThat(childCard.get("relatives").findValuesAsText("id")).contains(parent.get("id").asText());
        assertThat(local.get(BASE + "/accounts/999999999").statusCode()).isEqualTo(404);
        assertThat(local.get(BASE + "/accounts/abc").statusCode()).isEqualTo(404);
        // An account of another structure is not found through this one.
        JsonNode collegeAccount = json(superAdmin.get("/api/structures/" + WebFixture.OTHER + "/selection?limit=1")).get("rows").get(0);
        assertThat(superAdmin.get(BASE + "/accounts/" + collegeAccount.get("id").asText()).statusCode()).isEqualTo(404);
    }

    @Test
    void csvIsSemicolonQuotedUtf8BomCrlfWithHeadersInTheAdminsLanguageAndIsAudited() {
        local.setCookie("lang", "fr");
        HttpResponse<byte[]> r = local.getBytes(BASE + "/export.csv?profile=Teacher&sort=class");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).contains("attachment").contains(WebFixture.OWN).contains(".csv");
        byte[] bytes = r.body();
        assertThat(bytes[0] & 0xff).isEqualTo(0xEF);
        assertThat(bytes[1] & 0xff).isEqualTo(0xBB);
        assertThat(bytes[2] & 0xff).isEqualTo(0xBF);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n");
        String[] lines = text.split("\r\n");
        assertThat(lines[0]).isEqualTo("\"Nom\";\"Prénom\";\"Profil\";\"Identifiant\";\"Code d’activation\";\"Courriel\";\"Classe(s)\";\"Date de création\"");
        int teachers = json(local.get(BASE + "/selection?profile=Teacher&limit=1")).get("total").asInt();
        assertThat(lines).hasSize(teachers + 1);
        for (int i = 1; i < lines.length; i++) {
            assertThat(lines[i]).startsWith("\"").endsWith("\"").contains("\";\"").contains("\"Enseignant\"");
        }
        String en = new String(local.getBytes(BASE + "/export.csv?profile=Teacher&lang=en").body(), StandardCharsets.UTF_8);
        assertThat(en).startsWith("\uFEFF\"Last name\";\"First name\";\"Profile\";\"Login\";\"Activation code\"").contains("\"Teacher\"");
        local.setCookie("lang", "fr");

        List<AuditEvent> events = web.app.audit().recent(lyceeId, 10);
        AuditEvent last = events.stream().filter(e -> e.details().contains("\"sort\"")).findFirst().orElseThrow();
        assertThat(last.action()).isEqualTo(AuditEvent.CSV_EXPORT);
        assertThat(last.adminLogin()).isEqualTo(Who.LOCAL_OWN.login);
        assertThat(last.accountCount()).isEqualTo(teachers);
        assertThat(last.at()).isNotNull();
        assertThat(last.details()).contains("\"profile\"").contains("Teacher").contains(WebFixture.OWN);
    }

    @Test
    void csvQuotesWhatNeedsQuotingAndDefusesFormulas() {
        assertThat(fr.publipostage.selection.CsvExportAccess.defuse("=cmd()")).isEqualTo("'=cmd()");
        assertThat(fr.publipostage.selection.CsvExportAccess.defuse("Pérez-Gómez")).isEqualTo("Pérez-Gómez");
        String csv = new String(local.getBytes(BASE + "/export.csv?search-last=" + enc("N'Diaye")).body(), StandardCharsets.UTF_8);
        assertThat(csv).contains("\"N'Diaye\"");
    }
}

package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.Setting;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.directory.Profile;
import fr.publipostage.letters.LetterEngine;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.web.WebFixture.Who;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Step 3, print, over HTTP against a running application and its own PostgreSQL: the sample page,
 * direct prints of one class with its cover sheets in the three layouts, a larger selection as a
 * background job (progress, private to its admin and school, cancel, downloaded once), one person's
 * letter from the card, and the errors an admin can meet. Every PDF is read back with PDFBox.
 */
class LetterApiIT {
    private static final String BASE = "/api/structures/" + WebFixture.OWN + "/letters";
    /** One class's pupils print directly; the whole Seconde level (about 250 pupils) becomes a job. */
    private static final int DIRECT_MAX = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebFixture web;
    private static long lyceeId;

    @BeforeAll
    static void start() {
        web = new WebFixture(Map.of(Setting.PDF_DIRECT_MAX, String.valueOf(DIRECT_MAX)));
        lyceeId = web.app.structureByUai(WebFixture.OWN).id();
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    record Pdf(int pages, String text) {
    }

    static Pdf read(byte[] bytes) throws IOException {
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            return new Pdf(doc.getNumberOfPages(), new PDFTextStripper().getText(doc));
        }
    }

    /** Pages the print must have: per class, its cover sheet(s) (28 names a page) then its letters. */
    static int expectedPages(List<Account> accounts, int layout, boolean covers) {
        if (!covers) return LetterEngine.letterPages(accounts.size(), layout);
        return accounts.stream().collect(Collectors.groupingBy(a -> a.classes().get(0), Collectors.counting())).values()
                .stream().mapToInt(n -> (int) ((n + 27) / 28) + LetterEngine.letterPages(n.intValue(), layout)).sum();
    }

    private static List<Account> accounts(Map<String, List<String>> params) {
        Selection s = web.app.selections().parse(lyceeId, params);
        return web.app.selections().list(s, Scope.LOCAL_ADMIN);
    }

    /** A POST as the pages send it (form body + CSRF header), answered as bytes. */
    private static HttpResponse<byte[]> postBytes(WebFixture.Client c, String path, String form) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + web.server.port() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("X-CSRF-Token", c.csrf)
                    .header("Cookie", Auth.SESSION_COOKIE + "=" + c.cookie(Auth.SESSION_COOKIE))
                    .POST(HttpRequest.BodyPublishers.ofString(form));
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void oneClassPrintsDirectlyWithItsCoverSheetInLayouts1_2And8() throws Exception {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        List<Account> pupils = accounts(Map.of("profile", List.of("Student"), "class", List.of(DemoDirectory.DEMO_TUTOR_CLASS),
                "sort", List.of("class")));
        assertThat(pupils.size()).isBetween(10, DIRECT_MAX);
        for (int layout : List.of(1, 2, 8)) {
            HttpResponse<byte[]> r = postBytes(admin, BASE, "profile=Student&class=2nde+1&sort=class&cover=yes&layout=" + layout);
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/pdf"));
            // Named by what it holds: kind, school, class, layout; never an internal id.
            String file = switch (layout) {
                case 1 -> "lettres-" + WebFixture.OWN + "-2nde1-A4.pdf";
                case 2 -> "lettres-" + WebFixture.OWN + "-2nde1-A5.pdf";
                default -> "cartes-" + WebFixture.OWN + "-2nde1-8par-page.pdf";
            };
            assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + file + "\"");
            Pdf pdf = read(r.body());
            assertThat(pdf.pages()).as("layout " + layout).isEqualTo(expectedPages(pupils, layout, true));
            if (layout == 1) assertThat(pdf.pages()).isEqualTo(pupils.size() + 2);  // 2nde 1: one class, two cover pages or one
            for (Account a : pupils) {
                assertThat(pdf.text()).contains(a.displayLogin());
                if (!a.activated()) assertThat(pdf.text()).contains(a.activationCode());
            }
        }
        assertThat(web.app.audit().recent(lyceeId, 10)).anySatisfy(e -> assertThat(e.adminLogin()).isEqualTo(Who.LOCAL_OWN.login));
    }

    @Test
    void theSamplePageIsAPngOfTheRealFirstPage() throws Exception {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<byte[]> r = admin.getBytes(BASE + "/preview.png?profile=Student&sort=class&cover=yes");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
        var image = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertThat(image.getHeight()).as("an A4 portrait page").isGreaterThan(image.getWidth());
        HttpResponse<byte[]> cards = admin.getBytes(BASE + "/preview.png?profile=Student&layout=8&activation=pending");
        assertThat(cards.statusCode()).isEqualTo(200);
        assertThat(cards.body()).isNotEqualTo(r.body());
        // What page 1 shows, for the caption beside it: a cover sheet, real codes, or reminders without one.
        assertThat(r.headers().firstValue(LetterApi.SAMPLE_HOLDS)).hasValue("cover");
        assertThat(cards.headers().firstValue(LetterApi.SAMPLE_HOLDS)).hasValue("code");
        HttpResponse<byte[]> reminders = admin.getBytes(BASE + "/preview.png?profile=Student&activation=activated");
        assertThat(reminders.headers().firstValue(LetterApi.SAMPLE_HOLDS)).hasValue("noCode");
    }

    @Test
    void aLargeSelectionIsABackgroundJobPrivateToItsAdminAndDownloadedOnce() throws Exception {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        Map<String, List<String>> params = Map.of("profile", List.of("Student"), "level", List.of("Seconde"),
                "sort", List.of("class"), "cover", List.of("yes"));
        List<Account> pupils = accounts(params);
        assertThat(pupils.size()).isGreaterThan(DIRECT_MAX);
        HttpResponse<String> started = admin.post(BASE, Map.of("profile", "Student", "level", "Seconde", "sort", "class",
                "cover", "yes"), "X-CSRF-Token", admin.csrf);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode job = json(started);
        long id = job.get("id").asLong();
        assertThat(job.get("state").asText()).isEqualTo("queued");
        assertThat(job.get("stateLabel").asText()).isEqualTo("en attente");
        // In pages (cover sheets included) from the start, as at the end: not accounts first.
        assertThat(job.get("pagesTotal").asInt()).isEqualTo(expectedPages(pupils, 1, true));
        String url = job.get("url").asText();
        assertThat(url).isEqualTo(BASE + "/jobs/" + id);

        // Another admin of the school: 403; another school's admin: 403 on the school; under another school's UAI: 404.
        assertThat(web.as(Who.SUPER).get(url).statusCode()).isEqualTo(403);
        assertThat(json(web.as(Who.SUPER).get(url)).get("error").asText()).contains("autre administrateur");
        assertThat(web.as(Who.LOCAL_OTHER).get(url).statusCode()).isEqualTo(403);
        assertThat(web.as(Who.SUPER).get(url.replace(WebFixture.OWN, WebFixture.OTHER)).statusCode()).isEqualTo(404);
        assertThat(admin.getBytes(url + "/pdf").statusCode()).as("not ready yet").isEqualTo(409);

        web.app.jobWorker().poll();
        JsonNode done = json(admin.get(url));
        assertThat(done.get("state").asText()).isEqualTo("done");
        assertThat(done.get("percent").asInt()).isEqualTo(100);
        int pages = expectedPages(pupils, 1, true);
        assertThat(done.get("pagesDone").asInt()).isEqualTo(pages);
        assertThat(done.get("downloadUrl").asText()).isEqualTo(url + "/pdf");

        HttpResponse<byte[]> pdf = admin.getBytes(url + "/pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"lettres-" + WebFixture.OWN + "-Seconde-A4.pdf\"");
        Pdf read = read(pdf.body());
        assertThat(read.pages()).isEqualTo(pages);
        Account pending = pupils.stream().filter(a -> !a.activated()).findFirst().orElseThrow();
        assertThat(read.text()).contains(pending.displayLogin()).contains(pending.activationCode());
        HttpResponse<byte[]> again = admin.getBytes(url + "/pdf");
        assertThat(again.statusCode()).as("downloaded once, then gone").isEqualTo(404);
        assertThat(new String(again.body(), StandardCharsets.UTF_8)).contains("introuvable ou expiré");
    }

    @Test
    void aFinishedPrintIsDownloadedEvenIfAClassItNamedIsGoneSince() throws Exception {
        // A selection checked when it was asked is not checked again: the next ENT import may remove a
        // class between the print and its download (it answered 400 "unknown class"; found by a review).
        try (var c = web.db.database().dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("insert into school_class (structure_id, name, level) values (" + lyceeId + ", 'Fantôme', 'Seconde')");
        }
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        List<String> classes = new java.util.ArrayList<>(accounts(Map.of("profile", List.of("Student"), "level",
                List.of("Seconde"))).stream().map(a -> a.classes().get(0)).distinct().toList());
        classes.add("Fantôme");
        HttpResponse<String> started = admin.post(BASE, Map.of("profile", "Student", "class", String.join(",", classes),
                "sort", "class"), "X-CSRF-Token", admin.csrf);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String url = json(started).get("url").asText();
        try (var c = web.db.database().dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("delete from school_class where structure_id = " + lyceeId + " and name = 'Fantôme'");
        }
        web.app.jobWorker().poll();
        assertThat(json(admin.get(url)).get("state").asText()).isEqualTo("done");
        HttpResponse<byte[]> pdf = admin.getBytes(url + "/pdf");
        assertThat(pdf.statusCode()).as(new String(pdf.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(read(pdf.body()).pages()).isGreaterThan(DIRECT_MAX);
    }

    /** Issue 13: the CSV says what it holds too, in the admin's language. */
    @Test
    void theCsvIsNamedByWhatItHolds() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        String today = java.time.LocalDate.now().format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        HttpResponse<String> parents = admin.get("/api/structures/" + WebFixture.OWN + "/export.csv?profile=Relative&class=2nde+1");
        assertThat(parents.statusCode()).isEqualTo(200);
        assertThat(parents.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"comptes-" + WebFixture.OWN + "-parents-2nde1-" + today + ".csv\"");
        HttpResponse<String> english = admin.get("/api/structures/" + WebFixture.OWN + "/export.csv?profile=Teacher&email=without&lang=en");
        assertThat(english.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"accounts-" + WebFixture.OWN + "-teachers-without-email-" + today + ".csv\"");
    }

    @Test
    void aQueuedJobIsCancelled() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> started = admin.post(BASE, Map.of("profile", "Student", "layout", "8"), "X-CSRF-Token", admin.csrf);
        assertThat(started.statusCode()).isEqualTo(202);
        String url = json(started).get("url").asText();
        assertThat(web.as(Who.SUPER).postForm(url + "/cancel", Map.of()).statusCode()).as("not his job").isEqualTo(403);
        HttpResponse<String> cancelled = admin.postForm(url + "/cancel", Map.of());
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(json(cancelled).get("state").asText()).isEqualTo("cancelled");
        assertThat(json(cancelled).get("finished").asBoolean()).isTrue();
        web.app.jobWorker().poll();
        assertThat(json(admin.get(url)).get("state").asText()).isEqualTo("cancelled");
        assertThat(admin.getBytes(url + "/pdf").statusCode()).isEqualTo(409);
    }

    @Test
    void onePersonsLetterFromTheCard() throws Exception {
        Account pupil = accounts(Map.of("profile", List.of("Student"), "activation", List.of("pending"))).get(0);
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        for (String layout : List.of("1", "8")) {
            HttpResponse<byte[]> r = admin.getBytes(BASE + "/accounts/" + pupil.id() + "?layout=" + layout);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Disposition")).as("a person's letter by login, not by id")
                    .hasValue("attachment; filename=\"" + (layout.equals("8") ? "carte-" : "lettre-")
                            + DownloadNames.safe(pupil.displayLogin()) + ".pdf\"");
            Pdf pdf = read(r.body());
            assertThat(pdf.pages()).isEqualTo(1);
            assertThat(pdf.text()).contains(pupil.displayLogin()).contains(pupil.activationCode());
        }
        // Another school's account is not in this school.
        long otherSchool = web.app.structureByUai(WebFixture.OTHER).id();
        Account stranger = web.app.selections().list(Selection.everyone(otherSchool), Scope.LOCAL_ADMIN).get(0);
        assertThat(admin.get(BASE + "/accounts/" + stranger.id()).statusCode()).isEqualTo(404);
        assertThat(admin.get(BASE + "/accounts/abc").statusCode()).isEqualTo(404);
        // A class teacher prints the letters of his class only.
        Account outside = accounts(Map.of("profile", List.of(Profile.Teacher.name()))).get(0);
        assertThat(web.as(Who.CLASS_TEACHER).get(BASE + "/accounts/" + outside.id()).statusCode()).isEqualTo(404);
    }

    /** PDF/A archive copies: asked per print, else the school's default, which its admins set (not class teachers). */
    @Test
    void archiveCopiesPerPrintAndTheSchoolsDefault() throws Exception {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        String defaults = "/api/structures/" + WebFixture.OWN + "/print-defaults";
        String oneClass = "profile=Student&class=2nde+1&sort=class";
        try {
            assertThat(json(admin.get(defaults)).get("archive").asBoolean()).isFalse();
            assertThat(json(admin.get(defaults)).get("editable").asBoolean()).isTrue();
            assertThat(json(web.as(Who.CLASS_TEACHER).get(defaults)).get("editable").asBoolean()).isFalse();
            HttpResponse<byte[]> plain = postBytes(admin, BASE, oneClass);
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(fr.publipostage.letters.VeraPdf.isArchive(plain.body())).isFalse();
            HttpResponse<byte[]> asked = postBytes(admin, BASE, oneClass + "&pdfa=yes");
            assertThat(fr.publipostage.letters.VeraPdf.isArchive(asked.body())).isTrue();
            assertThat(fr.publipostage.letters.VeraPdf.failures(asked.body(), org.verapdf.pdfa.flavours.PDFAFlavour.PDFA_2_U)).isEmpty();
            Account onePupil = accounts(Map.of("profile", List.of(Profile.Student.name()))).get(0);
            HttpResponse<byte[]> oneAsked = admin.getBytes(BASE + "/accounts/" + onePupil.id() + "?pdfa=yes");
            assertThat(oneAsked.statusCode()).isEqualTo(200);
            assertThat(fr.publipostage.letters.VeraPdf.isArchive(oneAsked.body())).isTrue();
            // The school's default, set by its admin, applies when the print does not say.
            HttpResponse<String> set = admin.postForm(defaults, Map.of("archive", "yes"));
            assertThat(set.statusCode()).isEqualTo(200);
            assertThat(json(set).get("archive").asBoolean()).isTrue();
            assertThat(json(admin.get(defaults)).get("archive").asBoolean()).isTrue();
            assertThat(fr.publipostage.letters.VeraPdf.isArchive(postBytes(admin, BASE, oneClass).body())).isTrue();
            assertThat(fr.publipostage.letters.VeraPdf.isArchive(postBytes(admin, BASE, oneClass + "&pdfa=no").body())).isFalse();
            // One person's letter follows the same rule: the school's default, or what the request says.
            Account pupil = accounts(Map.of("profile", List.of(Profile.Student.name()))).get(0);
            HttpResponse<byte[]> oneByDefault = admin.getBytes(BASE + "/accounts/" + pupil.id());
            assertThat(oneByDefault.statusCode()).isEqualTo(200);
            assertThat(fr.publipostage.letters.VeraPdf.isArchive(oneByDefault.body())).isTrue();
            assertThat(fr.publipostage.letters.VeraPdf.isArchive(admin.getBytes(BASE + "/accounts/" + pupil.id() + "?pdfa=no").body()))
                    .isFalse();
            assertThat(web.as(Who.CLASS_TEACHER).postForm(defaults, Map.of("archive", "no")).statusCode()).isEqualTo(403);
            HttpResponse<String> bad = admin.post(BASE, Map.of("profile", "Student", "pdfa", "peut-être"), "X-CSRF-Token", admin.csrf);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(json(bad).get("error").asText()).contains("pdfa").contains("peut-être");
            assertThat(admin.postForm(defaults, Map.of("archive", "bof")).statusCode()).isEqualTo(400);
        } finally {
            admin.postForm(defaults, Map.of("archive", "no"));
        }
    }

    @Test
    void badInputIsA400SentenceInTheAdminsLanguage() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> layout = admin.post(BASE, Map.of("layout", "3"), "X-CSRF-Token", admin.csrf);
        assertThat(layout.statusCode()).isEqualTo(400);
        assertThat(json(layout).get("error").asText()).doesNotContain("Exception").contains("3");
        HttpResponse<String> nobody = admin.post(BASE, Map.of("created-after", "2999-01-01"), "X-CSRF-Token", admin.csrf);
        assertThat(nobody.statusCode()).isEqualTo(400);
        assertThat(json(nobody).get("error").asText()).isEqualTo("Aucun compte ne correspond à cette sélection : aucun PDF produit.");
        HttpResponse<String> english = admin.get(BASE + "/preview.png?created-after=2999-01-01&lang=en");
        assertThat(english.statusCode()).isEqualTo(400);
        assertThat(json(english).get("error").asText()).startsWith("No account matches");
        assertThat(admin.get(BASE + "/jobs/abc").statusCode()).isEqualTo(404);
        assertThat(admin.get(BASE + "/jobs/999999").statusCode()).isEqualTo(404);
        assertThat(admin.post(BASE, Map.of("profile", "Student")).statusCode()).as("no CSRF token").isEqualTo(403);
    }

    @Test
    void aLetterThatOverflowsNamesTheAccountAndTheTemplate() throws Exception {
        String longName = "Trèslongnom " + "Débordement ".repeat(300);
        String csv = "uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;email;level;classes;relatives;functions;created_at;language\n"
                + WebFixture.OWN + ";Lycée Montesquieu;Guest;" + longName.strip() + ";Zoé;zoe.deborde;;ABCD2345;;;;;;2025-09-01;\n";
        web.app.importer().importCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), WebFixture.OWN);
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> r = admin.post(BASE, Map.of("profile", "Guest", "search-last", "Trèslongnom"), "X-CSRF-Token", admin.csrf);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(json(r).get("error").asText()).contains("zoe.deborde").contains(".vm").contains("dépasse");
    }

    /** The class (at most DIRECT_MAX parents) whose parents include some without a postal address. */
    private static String classWithParentsWithoutAddress() {
        for (var c : web.app.selections().classes(lyceeId, List.of(), Scope.LOCAL_ADMIN)) {
            Selection s = web.app.selections().parse(lyceeId, Map.of("profile", List.of("Relative"), "class", List.of(c.name())));
            var counts = web.app.selections().count(s, Scope.LOCAL_ADMIN);
            if (counts.withoutPostal() > 0 && counts.withoutPostal() < counts.total() && counts.total() <= DIRECT_MAX) return c.name();
        }
        throw new IllegalStateException("no class with parents without an address in the demo");
    }

    @Test
    void parentsByPostAreRefusedWithTheListOrHandedOverAtTheEndAndTheirAddressesAreInTheWindow() throws Exception {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        String className = classWithParentsWithoutAddress();
        List<Account> parents = accounts(Map.of("profile", List.of("Relative"), "class", List.of(className)));
        List<Account> without = parents.stream().filter(a -> !a.hasPostalAddress()).toList();
        String form = "profile=Relative&class=" + java.net.URLEncoder.encode(className, StandardCharsets.UTF_8) + "&layout=postal";

        // The check step says how many have no address.
        JsonNode counts = json(admin.get("/api/structures/" + WebFixture.OWN + "/selection?" + form));
        assertThat(counts.get("withoutPostal").asInt()).isEqualTo(without.size());

        // Refused (the default), with the list: nothing is silently left out.
        HttpResponse<byte[]> refused = postBytes(admin, BASE, form);
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode body = JSON.readTree(refused.body());
        assertThat(body.get("code").asText()).isEqualTo("render.noPostalAddress");
        assertThat(body.get("withoutAddress").asInt()).isEqualTo(without.size());
        assertThat(body.get("error").asText()).contains("sans adresse postale").contains(without.get(0).displayLogin());
        List<String> listed = new java.util.ArrayList<>();
        body.get("withoutAddressListed").forEach(n -> listed.add(n.get("login").asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(without.stream().map(Account::displayLogin).toList());
        HttpResponse<String> sample = admin.get(BASE + "/preview.png?" + form);
        assertThat(sample.statusCode()).as("the sample shows the first letter by post").isEqualTo(200);

        // Handed over: the letters by post, then the list "à remettre en main propre", then their letters.
        HttpResponse<byte[]> handed = postBytes(admin, BASE, form + "&without-address=hand");
        assertThat(handed.statusCode()).isEqualTo(200);
        Pdf pdf = read(handed.body());
        int byPost = parents.size() - without.size();
        assertThat(pdf.pages()).isEqualTo(parents.size() + (without.size() + 27) / 28);
        assertThat(pdf.text()).contains("À remettre en main propre");
        List<List<fr.publipostage.letters.PostalGeometry.Run>> pages = fr.publipostage.letters.PostalGeometry.runs(handed.body());
        for (int p = 0; p < byPost; p++) {
            List<fr.publipostage.letters.PostalGeometry.Run> inFrame = pages.get(p).stream()
                    .filter(r -> r.box().intersects(fr.publipostage.letters.PostalGeometry.FRAME)).toList();
            assertThat(inFrame).as("page " + (p + 1)).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.box().inside(fr.publipostage.letters.PostalGeometry.FRAME)).isTrue());
        }
        for (Account a : parents) assertThat(pdf.text()).contains(a.displayLogin());

        // Only those with an address: every page goes by post.
        HttpResponse<byte[]> onlyWith = postBytes(admin, BASE, form + "&postal=with");
        assertThat(onlyWith.statusCode()).isEqualTo(200);
        assertThat(read(onlyWith.body()).pages()).isEqualTo(byPost);
        assertThat(web.app.audit().recent(lyceeId, 5)).anySatisfy(e -> assertThat(e.details()).contains("\"layout\": \"postal\"")
                .contains("\"withoutAddress\": \"hand\""));

        // From the card: one parent with an address, one without.
        Account withAddress = parents.stream().filter(Account::hasPostalAddress).findFirst().orElseThrow();
        HttpResponse<byte[]> one = admin.getBytes(BASE + "/accounts/" + withAddress.id() + "?layout=postal");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(read(one.body()).pages()).isEqualTo(1);
        HttpResponse<String> none = admin.get(BASE + "/accounts/" + without.get(0).id() + "?layout=postal");
        assertThat(none.statusCode()).isEqualTo(422);
        assertThat(json(none).get("error").asText()).contains("n’a pas d’adresse postale");
        // The card shows the address as the envelope prints it.
        JsonNode card = json(admin.get("/api/structures/" + WebFixture.OWN + "/accounts/" + withAddress.id()));
        assertThat(card.get("postalLines").size()).isGreaterThanOrEqualTo(2);
        assertThat(card.get("postalLines").get(card.get("postalLines").size() - 1).asText()).matches("[0-9A-Z ]+");
        assertThat(json(admin.get("/api/structures/" + WebFixture.OWN + "/accounts/" + without.get(0).id())).get("postalLines").size()).isZero();
    }

    @Test
    void postalOptionsOutsideThePostalLayoutAreRefused() {
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        HttpResponse<String> r = admin.post(BASE, Map.of("profile", "Relative", "without-address", "hand"), "X-CSRF-Token", admin.csrf);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("courrier postal");
        HttpResponse<String> cover = admin.post(BASE, Map.of("profile", "Relative", "layout", "postal", "sort", "class", "cover", "yes"),
                "X-CSRF-Token", admin.csrf);
        assertThat(cover.statusCode()).isEqualTo(400);
    }
}

package fr.publipostage.web;

import static fr.publipostage.web.BrowserIT.launch;
import static fr.publipostage.web.BrowserIT.logIn;
import static fr.publipostage.web.BrowserIT.playwright;
import static fr.publipostage.web.BrowserIT.scriptErrors;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.mailing.Campaign;
import fr.publipostage.mailing.Recipient;
import fr.publipostage.mailing.RecipientFilter;
import fr.publipostage.selection.Scope;
import fr.publipostage.web.WebFixture.Who;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 in chromium: the "Suivi des activations" page after an import that activates part of a class
 * (figures, chart, sort, CSV, the link that opens the console on the class's pending accounts), the
 * super admin's one line per school, and the "unreached" letters of a campaign printed from the console
 * link the campaign view gives. axe-core finds nothing serious or critical on the pages.
 */
class ActivationFollowUpBrowserIT {
    private static final Path SHOTS = Paths.get("target", "browser-screenshots");
    private static final String CLASS = DemoDirectory.DEMO_TUTOR_CLASS;
    private static WebFixture web;
    private static long lycee;

    @BeforeAll
    static void start() {
        web = new WebFixture();
        lycee = web.app.structureByUai(WebFixture.OWN).id();
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    private static List<Account> pupilsOf(String className) {
        return web.app.selections().list(web.app.selections().parse(lycee,
                Map.of("profile", List.of("Student"), "class", List.of(className))), Scope.LOCAL_ADMIN);
    }

    /** Re-imports some pupils of the class without their code: the ENT says they activated. */
    private static void activate(List<Account> pupils) throws Exception {
        StringBuilder csv = new StringBuilder("uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;"
                + "email;level;classes;relatives;functions;created_at;language\n");
        for (Account a : pupils) {
            csv.append(WebFixture.OWN).append(";;Student;").append(a.lastName()).append(';').append(a.firstName()).append(';')
                    .append(a.login()).append(";;;").append(a.email() == null ? "" : a.email()).append(';')
                    .append(a.level() == null ? "" : a.level()).append(';').append(String.join("|", a.classes())).append(";;;;\n");
        }
        web.app.importer().importCsv(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), null);
    }

    @Test
    void theFollowUpPageShowsTheRatesAfterAnImportAndOpensTheConsoleOnAClassPendingAccounts() throws Exception {
        Files.createDirectories(SHOTS);
        List<Account> pupils = pupilsOf(CLASS);
        List<Account> pending = pupils.stream().filter(a -> !a.activated()).toList();
        assertThat(pending.size()).isGreaterThan(4);
        activate(pending.subList(0, 3));
        var figures = web.app.activationFollowUp().school(lycee, fr.publipostage.activation.ActivationFollowUp.SortKey.name, false,
                fr.publipostage.activation.ActivationFollowUp.SortKey.name, false);
        var row = figures.classes().stream().filter(l -> l.name().equals(CLASS)).findFirst().orElseThrow();
        // The class counts its pupils, their parents and its teachers: what the page must say, checked here too.
        int stillPending = web.app.selections().list(web.app.selections().parse(lycee,
                Map.of("class", List.of(CLASS), "activation", List.of("pending"))), Scope.LOCAL_ADMIN).size();
        assertThat(row.pending()).isEqualTo(stillPending);

        List<String> axe = new ArrayList<>();
        try (Playwright playwright = playwright(); Browser browser = launch(playwright)) {
            BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true)
                    .setViewportSize(1280, 900));
            Page page = context.newPage();
            List<String> errors = scriptErrors(page, text -> false);
            page.navigate("http://localhost:" + web.server.port() + "/");
            logIn(page, Who.LOCAL_OWN);

            // From the top bar: the admin's school, one line; then its page.
            page.locator("#nav-activations").click();
            page.locator("#followup-schools").waitFor();
            assertThat(page.locator("#followup-schools tbody tr").count()).isEqualTo(1);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(web.app.structureByUai(WebFixture.OWN).name())).click();
            Locator classRow = page.locator("#followup-classes tbody tr[data-name='" + CLASS + "']");
            classRow.waitFor();
            List<String> cells = classRow.locator("td").allTextContents();
            assertThat(cells.get(0).strip()).isEqualTo(String.valueOf(row.total()));
            assertThat(cells.get(1).strip()).isEqualTo(String.valueOf(stillPending));
            assertThat(cells.get(2).strip()).isEqualTo(row.rateText("fr") + " %");
            // The demo never distributed: "since" is empty, and the page says why.
            assertThat(cells.get(3).strip()).isEqualTo("—");
            assertThat(page.locator("#followup-last").textContent()).contains("Aucune distribution");
            // The chart: one bar per class, the class's activated share drawn.
            Locator bar = page.locator("#chart-classes g.bar[data-name='" + CLASS + "']");
            assertThat(bar.locator("text").last().textContent()).isEqualTo(row.rateText("fr") + " % · " + row.activated() + "/" + row.total());
            double width = Double.parseDouble(bar.locator("rect.activated").getAttribute("width"));
            assertThat(width).isCloseTo(340 * row.rate() / 100, org.assertj.core.data.Offset.offset(1.0));
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("20-followup.png")).setFullPage(true));
            axe.addAll(Axe.check(page, "20-followup"));

            // Sort the classes by pending accounts, most first: the header says so, the rows follow.
            page.locator("#followup-classes thead a", new Page.LocatorOptions().setHasText("En attente")).click();
            page.locator("#followup-classes thead th[aria-sort='ascending']").waitFor();
            page.locator("#followup-classes thead a", new Page.LocatorOptions().setHasText("En attente")).click();
            page.locator("#followup-classes thead th[aria-sort='descending']").waitFor();
            List<Integer> pendings = new ArrayList<>();
            for (String s : page.locator("#followup-classes tbody tr td:nth-of-type(2)").allTextContents()) pendings.add(Integer.parseInt(s.strip()));
            assertThat(pendings).isSortedAccordingTo((a, b) -> Integer.compare(b, a));

            // The CSV: French Excel's format, the class's figures.
            Download download = page.waitForDownload(() -> page.locator("#followup-csv").click());
            String csv = Files.readString(download.path(), StandardCharsets.UTF_8);
            assertThat(csv).startsWith("\uFEFF\"Regroupement\";\"Nom\"");
            assertThat(csv).contains("\"Classe\";\"" + CLASS + "\";");
            assertThat(csv).contains(";\"" + row.total() + "\";\"" + row.activated() + "\";\"" + stillPending + "\";\"" + row.rateText("fr") + "\";");

            // "Lancer le publipostage…" of the class: the console checks its pending accounts.
            page.locator("#followup-classes tbody tr[data-name='" + CLASS + "'] a.launch-class").click();
            page.locator("#accounts tbody tr").first().waitFor();
            String counts = page.locator("#counts").textContent();
            assertThat(Integer.parseInt(counts.replaceAll("^(\\d+).*$", "$1"))).isEqualTo(stillPending);
            assertThat(page.getByLabel("En attente d’activation").isChecked()).isTrue();
            Set<String> shown = new HashSet<>(page.locator("#accounts tbody td.login").allTextContents());
            for (Account a : pending.subList(0, 3)) assertThat(shown).doesNotContain(a.displayLogin());
            assertThat(errors).isEmpty();
        }

        // The super admin: every school, one line each.
        try (Playwright playwright = playwright(); Browser browser = launch(playwright)) {
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)).newPage();
            page.navigate("http://localhost:" + web.server.port() + "/");
            logIn(page, Who.SUPER);
            page.navigate("http://localhost:" + web.server.port() + "/activations");
            page.locator("#followup-schools").waitFor();
            assertThat(page.locator("#followup-schools tbody tr").count()).isEqualTo(web.app.access()
                    .structures(web.app.admins().findByLogin(Who.SUPER.login).orElseThrow()).size());
            assertThat(page.locator("#followup-schools tbody tr[data-uai='" + WebFixture.OTHER + "']").count()).isEqualTo(1);
            assertThat(page.locator("#chart-schools g.bar").count()).isEqualTo(page.locator("#followup-schools tbody tr").count());
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("21-followup-schools.png")).setFullPage(true));
            axe.addAll(Axe.check(page, "21-followup-schools"));
        }
        assertThat(axe).as("axe-core: serious or critical violations (target/axe-report.txt)").isEmpty();
    }

    @Test
    void theUnreachedLettersOfACampaignArePrintedFromTheConsole() throws Exception {
        // A teachers' campaign, sent into the sandbox; two of its sent rows bounce (the bounce path itself:
        // CloseTheLoopIT, with DSNs over IMAP).
        var teachers = web.app.selections().parse(lycee, Map.of("profile", List.of("Teacher")));
        Campaign c = web.app.campaigns().start(teachers, Scope.LOCAL_ADMIN, Who.LOCAL_OWN.login);
        while (!web.app.campaigns().progress(c.id()).campaign().isOver()) web.app.mailWorker().runOnce();
        List<Recipient> rows = web.app.campaigns().recipients(c.id(), RecipientFilter.all()).rows();
        List<Recipient> sent = rows.stream().filter(r -> r.status() == Recipient.Status.sent).toList();
        Set<String> expected = new HashSet<>();
        for (Recipient r : rows) if (r.status() == Recipient.Status.skipped && fr.publipostage.mailing.Reason.NO_EMAIL.equals(r.reason())) expected.add(r.login());
        try (Connection conn = web.db.database().dataSource().getConnection();
             PreparedStatement st = conn.prepareStatement("update mail_recipient set status = 'bounced', bounced_at = now(), "
                     + "bounce_status = '5.1.1', bounce_diagnostic = '550 5.1.1 User unknown' where id = ?")) {
            for (Recipient r : List.of(sent.get(1), sent.get(4))) {
                st.setLong(1, r.id());
                st.executeUpdate();
                expected.add(r.login());
            }
        }
        assertThat(expected.size()).isGreaterThan(2);

        try (Playwright playwright = playwright(); Browser browser = launch(playwright)) {
            BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true)
                    .setViewportSize(1280, 900));
            Page page = context.newPage();
            List<String> errors = scriptErrors(page, text -> false);
            page.navigate("http://localhost:" + web.server.port() + "/");
            logIn(page, Who.LOCAL_OWN);
            // The campaign view's link ("Imprimer les lettres des personnes non jointes") opens this.
            page.navigate("http://localhost:" + web.server.port() + "/?structure=" + WebFixture.OWN + "&campaign=" + c.id()
                    + "&outcome=unreached&sort=class&cover=yes");
            page.locator("#accounts tbody tr").first().waitFor();
            assertThat(page.locator("#check-outcome").isVisible()).isTrue();
            assertThat(Integer.parseInt(page.locator("#counts").textContent().replaceAll("^(\\d+).*$", "$1"))).isEqualTo(expected.size());
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("22-unreached-check.png")).setFullPage(true));
            List<String> axe = new ArrayList<>(Axe.check(page, "22-unreached-check"));
            page.locator("#step-2 [data-goto='3']").click();
            page.locator("#print-generate").waitFor();
            assertThat(page.locator("#print-generate").textContent()).isEqualTo("Générer le PDF (" + expected.size() + " lettre(s))");
            Download pdf = page.waitForDownload(() -> page.locator("#print-generate").click());
            LetterApiIT.Pdf read = LetterApiIT.read(Files.readAllBytes(pdf.path()));
            for (String login : expected) assertThat(read.text()).as(login + " printed").contains(login);
            for (Recipient r : rows) {
                if (!expected.contains(r.login())) {
                    assertThat(read.text()).as(r.login() + " was reached: no letter")
                            .doesNotContainPattern("(?<![\\w.-])" + java.util.regex.Pattern.quote(r.login()) + "(?![\\w.-])");
                }
            }
            assertThat(errors).isEmpty();
            assertThat(axe).as("axe-core: serious or critical violations").isEmpty();
        }
    }
}

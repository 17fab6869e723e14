package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.EntExport;
import fr.publipostage.directory.EntExport.Layout;
import fr.publipostage.directory.EntExport.Person;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.web.WebFixture.Who;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser (Debian's chromium, headless, Playwright) imports accounts as the lycée's local admin:
 * "Importer des comptes" from the top bar, the ENT's directory export chosen with the labelled file
 * field and checked with the keyboard, the dry run read (counts, the new accounts), "Appliquer"
 * confirmed in its dialog, the accounts in the database; then a refused file shows its problems by line
 * and column and writes nothing. Without a browser the test fails under CI (CI=true), else is skipped.
 */
class ImportBrowserIT {
    private static final Path SHOTS = Paths.get("target", "browser-screenshots");
    private static WebFixture web;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        web = new WebFixture();
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    private static List<Account> lycee() {
        long id = web.app.structureByUai(WebFixture.OWN).id();
        return web.app.selections().list(Selection.everyone(id), Scope.EVERYTHING);
    }

    @Test
    void aLocalAdminUploadsReadsTheDryRunAppliesAndIsShownTheProblemsOfABadFile() throws Exception {
        Files.createDirectories(SHOTS);
        Path good = dir.resolve("export-annuaire.csv");
        Files.write(good, new EntExport(Layout.DIRECTORY).add(
                Person.of("Élève", "Bérézina", "Léa", "lea.berezina.nav", "AB12CD34").structures("Lycée Montesquieu")
                        .classes("2nde 1"),
                Person.of("Parent", "Bérézina", "Marc", "marc.berezina.nav", "ZX78CV90").structures("Lycée Montesquieu")
                        .children("Léa Bérézina"))
                .bytes());
        Path bad = dir.resolve("mauvais.csv");
        Files.write(bad, new EntExport(Layout.DIRECTORY).add(
                Person.of("Sorcier", "Potter", "Harry", "harry.potter", "").structures("Lycée Montesquieu"),
                Person.of("Parent", "Inconnu", "Jean", "jean.inconnu", "").structures("Lycée Montesquieu").children("Nobody Here"))
                .bytes());
        int before = lycee().size();

        try (Playwright playwright = BrowserIT.playwright(); Browser browser = BrowserIT.launch(playwright)) {
            BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1300, 1000));
            Page page = context.newPage();
            // The refused file's 422 is logged by the browser itself: the answer expected there.
            List<String> errors = BrowserIT.scriptErrors(page, text -> text.contains("status of 422"));
            page.navigate("http://localhost:" + web.server.port() + "/");
            BrowserIT.logIn(page, Who.LOCAL_OWN);

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Importer des comptes")).click();
            page.locator("h1").filter(new Locator.FilterOptions().setHasText("Importer des comptes")).waitFor();
            assertThat(page.getByLabel("Établissement").inputValue()).isEqualTo(WebFixture.OWN);
            assertThat(page.locator("#im-file-hint").textContent()).contains("20 Mo au plus");

            // The file field has its label; the check is reached and pressed with the keyboard.
            page.getByLabel("Fichier CSV").setInputFiles(good);
            page.getByLabel("Fichier CSV").focus();
            page.keyboard().press("Tab");
            assertThat(page.evaluate("document.activeElement.id")).isEqualTo("im-check");
            page.keyboard().press("Enter");

            Locator plan = page.locator("#im-plan");
            plan.waitFor();
            assertThat(page.locator("#im-plan-title").textContent()).contains("export-annuaire.csv").contains("rien n’a encore été écrit");
            assertThat(page.evaluate("document.activeElement.id")).as("focus moves to the result").isEqualTo("im-plan-title");
            assertThat(page.locator("#im-summary li").allTextContents()).contains("2 compte(s) nouveau(x)",
                    "0 compte(s) modifié(s)", "Format : export ENT de l’annuaire ; 2 compte(s) dans le fichier");
            page.locator("#im-created summary").click();
            assertThat(page.locator("#im-created tbody tr").allTextContents()).hasSize(2);
            assertThat(page.locator("#im-created tbody").textContent()).contains("lea.berezina.nav").contains("marc.berezina.nav");
            assertThat(lycee()).as("nothing written before Appliquer").hasSize(before);
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("import-dry-run.png")).setFullPage(true));

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Appliquer : 2 création(s), 0 modification(s)")).click();
            Locator dialog = page.locator("#im-confirm");
            dialog.waitFor();
            assertThat(page.evaluate("document.activeElement.id")).as("the safe choice has the focus").isEqualTo("im-confirm-cancel");
            assertThat(dialog.textContent()).contains("Importer dans Lycée Montesquieu (0330001A) ?").contains("2 compte(s) nouveau(x)");
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Appliquer")).click();
            page.locator("#im-done").waitFor();
            assertThat(page.locator("#im-done-text").textContent())
                    .isEqualTo("Import terminé : 2 compte(s) créé(s), 0 mis à jour, 0 inchangé(s).");
            assertThat(lycee()).hasSize(before + 2);
            assertThat(lycee()).filteredOn(a -> a.login().equals("marc.berezina.nav")).singleElement()
                    .satisfies(a -> assertThat(a.children()).containsExactly("Léa Bérézina"));

            // A refused file: its problems by line and column, nothing written.
            page.getByLabel("Fichier CSV").setInputFiles(bad);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Vérifier le fichier")).click();
            page.locator("#im-problems").waitFor();
            assertThat(page.locator("#im-problems-title").textContent())
                    .isEqualTo("Fichier refusé, rien n’a été importé : 2 problème(s).");
            List<String> rows = page.locator("#im-problem-table tbody tr").allInnerTexts();
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0)).contains("2").contains("Type").contains("profil inconnu « Sorcier »");
            assertThat(rows.get(1)).contains("3").contains("Enfant(s)").contains("enfant inconnu « Nobody Here »");
            assertThat(page.locator("#im-plan").isHidden()).isTrue();
            assertThat(lycee()).hasSize(before + 2);
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("import-refused.png")).setFullPage(true));

            assertThat(errors).as("script errors").isEmpty();
        }
    }
}

package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import fr.publipostage.web.WebFixture.Who;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real browser (Debian's chromium, headless, driven by Playwright) does steps 1 and 2 as a
 * local admin: log in, pick a preset, change a filter, run the check, search the table, open a
 * card, download the CSV (its content checked), go to step 3, switch to English. Without a browser
 * the test fails under CI (CI=true) and is skipped elsewhere.
 */
class BrowserIT {
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run");
    private static final Path SHOTS = Paths.get("target", "browser-screenshots");

    private static WebFixture web;

    @BeforeAll
    static void start() {
        web = new WebFixture();
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    /** The chromium of Debian's package, found on PATH. */
    static Path chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Paths.get(dir, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        return null;
    }

    private static Browser launch(Playwright playwright) {
        Path chromium = chromium();
        if (chromium == null) {
            String why = "no chromium on PATH: install Debian's chromium (.ci/run does it)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why);
            Assumptions.abort(why);
        }
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium).setHeadless(true).setArgs(ARGS));
    }

    @Test
    void aLocalAdminSelectsChecksSearchesAndDownloadsTheCsv() throws Exception {
        Files.createDirectories(SHOTS);
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = launch(playwright)) {
            BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true)
                    .setViewportSize(1280, 900));
            Page page = context.newPage();
            List<String> consoleErrors = new java.util.ArrayList<>();
            page.onConsoleMessage(m -> {
                if (m.type().equals("error")) consoleErrors.add(m.text());
            });
            page.navigate("http://localhost:" + web.server.port() + "/");

            // Log in (French by default).
            assertThat(page.locator("html").getAttribute("lang")).isEqualTo("fr");
            page.getByLabel("Identifiant").fill(Who.LOCAL_OWN.login);
            page.getByLabel("Mot de passe").fill(WebFixture.PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Se connecter")).click();
            page.locator("#preset-buttons button").first().waitFor();
            assertThat(page.locator("#structure option").allTextContents()).hasSize(1).first().asString().contains("Lycée Montesquieu");

            // Step 1: a preset fills the form, then one more filter.
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Élèves par classe")).click();
            assertThat(page.getByLabel("Élève", new Page.GetByLabelOptions().setExact(true)).isChecked()).isTrue();
            assertThat(page.locator("#sort1").inputValue()).isEqualTo("class");
            assertThat(page.locator("#cover").isChecked()).isTrue();
            page.getByLabel("Seconde").check();
            page.waitForCondition(() -> page.locator("#classes input").count() == 8);
            assertThat(page.locator("#classes input").allInnerTexts()).isNotNull();
            assertThat(page.locator("#classes label").allTextContents()).allSatisfy(l -> assertThat(l.strip()).startsWith("2nde"));
            page.getByLabel("En attente d’activation").check();
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("1-selection.png")).setFullPage(true));

            // Step 2: the check.
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Lancer le prétraitement")).click();
            page.locator("#accounts tbody tr").first().waitFor();
            assertThat(page.locator("#step-2").isVisible()).isTrue();
            String counts = page.locator("#counts").textContent();
            int total = Integer.parseInt(counts.replaceAll("^(\\d+).*$", "$1"));
            assertThat(total).isBetween(50, 300);
            assertThat(page.locator("#accounts tbody tr").count()).as("one window, not the whole list").isEqualTo(50);
            assertThat(page.locator("#accounts tbody tr .lock").count()).as("every pending account shows the lock").isEqualTo(50);
            assertThat(page.locator("#page-info").textContent()).isEqualTo("Comptes 1 à 50 sur " + total);
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("2-check.png")).setFullPage(true));

            // Search the table by last name.
            String lastName = page.locator("#accounts tbody tr").nth(3).locator("td").first().textContent().strip();
            page.getByLabel("Nom contient", new Page.GetByLabelOptions().setExact(true)).fill(lastName);
            page.waitForCondition(() -> page.locator("#accounts tbody tr").count() < 50);
            Locator rows = page.locator("#accounts tbody tr");
            int found = rows.count();
            assertThat(found).isPositive();
            for (int i = 0; i < found; i++) {
                assertThat(rows.nth(i).locator("td").first().textContent()).containsIgnoringCase(lastName);
            }
            assertThat(page.locator("#counts").textContent()).startsWith(found + " compte(s)");

            // The account card opens on a row.
            rows.first().click();
            page.locator("#card-dialog[open]").waitFor();
            assertThat(page.locator("#card-title").textContent()).contains("Fiche du compte").contains(lastName);
            assertThat(page.locator("#card-body").textContent()).contains("2nde");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("3-card.png")));
            page.keyboard().press("Escape");
            page.locator("#card-dialog").waitFor(new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.HIDDEN));
            assertThat(page.evaluate("document.activeElement.classList.contains('open-card')")).as("focus back on the row").isEqualTo(true);

            // Download the CSV: exactly the searched list.
            Download download = page.waitForDownload(() -> page.locator("#csv").click());
            assertThat(download.suggestedFilename()).startsWith("publipostage-" + WebFixture.OWN).endsWith(".csv");
            byte[] bytes = Files.readAllBytes(download.path());
            assertThat(bytes[0] & 0xff).isEqualTo(0xEF);
            String csv = new String(bytes, StandardCharsets.UTF_8).substring(1);
            String[] lines = csv.split("\r\n");
            assertThat(lines[0]).startsWith("\"Nom\";\"Prénom\";\"Profil\"");
            assertThat(lines).hasSize(found + 1);
            for (int i = 1; i < lines.length; i++) {
                assertThat(lines[i]).contains("\"Élève\"").containsPattern(Pattern.compile("\"2nde \\d\"")).containsIgnoringCase(lastName);
                assertThat(lines[i].split("\";\"")[4]).as("pending: an activation code").hasSize(8);
            }
            page.locator("#csv-status").filter(new Locator.FilterOptions().setHasText("Liste téléchargée")).waitFor();

            // Step 3: the summary of the selection and the two panels.
            page.locator("#step-2 [data-goto='3']").click();
            page.locator("#step-3").waitFor();
            assertThat(page.locator("#summary-list").textContent()).contains("Lycée Montesquieu").contains(found + " compte(s)")
                    .contains("Élève").contains("Seconde").contains("page de garde");
            assertThat(page.locator("#panel-print h3").textContent()).isEqualTo("Imprimer");
            assertThat(page.locator("#panel-mail h3").textContent()).isEqualTo("Envoyer par courriel");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("4-publipostage.png")).setFullPage(true));

            // English is one click away.
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("English")).click();
            page.locator("#preset-buttons button").first().waitFor();
            assertThat(page.locator("html").getAttribute("lang")).isEqualTo("en");
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run the check")).isVisible()).isTrue();
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pupils by class")).isVisible()).isTrue();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Teachers")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run the check")).click();
            page.locator("#counts").filter(new Locator.FilterOptions().setHasText("account(s)")).waitFor();
            Download english = page.waitForDownload(() -> page.locator("#csv").click());
            assertThat(new String(Files.readAllBytes(english.path()), StandardCharsets.UTF_8)).startsWith("\uFEFF\"Last name\";\"First name\"")
                    .contains("\"Teacher\"");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("5-english.png")).setFullPage(true));

            assertThat(consoleErrors).as("no script error in the page").isEmpty();
        }
    }
}

package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.web.WebFixture.Who;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The school secretary's way (Debian's chromium, headless): the editor opens in simple mode; she
 * changes the activation letter's introduction in its labelled field, inserting the school's name from a
 * chip (never typing a variable), sees the preview redrawn from her draft as she types (nothing saved),
 * saves (version 1 of messages_fr.properties, in the history), prints her class's letters and finds her
 * words in the PDF's text. axe-core finds no serious or critical violation on any of these page states,
 * at 1366 and 1920 px wide.
 */
class SimpleModeBrowserIT {
    private static final Path SHOTS = Paths.get("target", "browser-screenshots");
    private static final String WORDS = "Bienvenue dans votre nouvel espace numérique";
    private static WebFixture web;
    private final List<String> axeViolations = new ArrayList<>();

    @BeforeAll
    static void start() {
        web = new WebFixture();
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    @AfterEach
    void axeFoundNothingSeriousOrCritical() {
        assertThat(axeViolations).as("axe-core: serious or critical violations (target/axe-report.txt)").isEmpty();
    }

    private static int savedVersion() {
        long lycee = web.app.structureByUai(WebFixture.OWN).id();
        return web.app.templateEditor().file(lycee, "messages_fr.properties").version();
    }

    @Test
    void theSecretaryRewordsTheIntroductionPreviewsSavesAndPrintsIt() throws Exception {
        Files.createDirectories(SHOTS);
        try (Playwright playwright = BrowserIT.playwright();
             Browser browser = BrowserIT.launch(playwright)) {
            BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 768));
            Page page = context.newPage();
            List<String> consoleErrors = BrowserIT.scriptErrors(page, text -> false);
            page.navigate("http://localhost:" + web.server.port() + "/");
            BrowserIT.logIn(page, Who.LOCAL_OWN);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Modèles")).click();

            // Simple mode by default: the activation letter's texts as labelled fields, each with its default.
            page.getByLabel("Introduction", new Page.GetByLabelOptions().setExact(true)).waitFor();
            Locator intro = page.locator("#tx-letter-activation-intro");
            assertThat(page.locator("#ed-mode-simple").getAttribute("aria-pressed")).isEqualTo("true");
            assertThat(page.locator("#ed-file-title").textContent()).contains("Lettre d’activation").contains("Français");
            assertThat(page.locator(".ed-doc").allTextContents()).contains("Lettre d’activation", "Lettre de rappel (compte déjà activé)",
                    "Cartes à découper (8 par page)", "Page de garde de classe", "Courriel d’activation");
            assertThat(intro.inputValue()).contains("{du / de l’ / de la + établissement}").doesNotContain("$");
            assertThat(page.locator("#tx-letter-activation-intro-default").textContent()).startsWith("Texte d’origine : L’espace numérique");
            assertThat(page.getByLabel("Titre", new Page.GetByLabelOptions().setExact(true)).inputValue())
                    .isEqualTo("Activation de votre compte ENT");
            // The first preview (the built-in texts) comes by itself.
            Locator image = page.locator("#ed-preview-image");
            page.waitForCondition(() -> image.getAttribute("src") != null && image.getAttribute("src").startsWith("data:image/png"),
                    new Page.WaitForConditionOptions().setTimeout(30_000));
            String before = image.getAttribute("src");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("simple-1-fields-1366.png")).setFullPage(true));
            axeViolations.addAll(Axe.check(page, "simple-1-fields-1366"));

            // She rewrites the introduction and inserts the school's name from a chip; the preview follows.
            Response previewed = page.waitForResponse(r -> r.url().endsWith("/messages_fr.properties/preview.png")
                    && r.request().postData() != null && r.request().postData().contains("Bienvenue"), () -> {
                intro.fill(WORDS + " ");
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions()
                        .setName("Insérer « du / de l’ / de la + établissement » dans « Introduction »")).click();
                intro.press("End");
                intro.pressSequentially(" : tout est prêt.");
            });
            assertThat(previewed.status()).isEqualTo(200);
            assertThat(previewed.request().postData()).contains("letter.activation.intro")
                    .contains(java.net.URLEncoder.encode(WORDS, java.nio.charset.StandardCharsets.UTF_8).replace("+", "+"));
            assertThat(intro.inputValue()).isEqualTo(WORDS + " {du / de l’ / de la + établissement} : tout est prêt.");
            page.waitForCondition(() -> !before.equals(image.getAttribute("src")), new Page.WaitForConditionOptions().setTimeout(30_000));
            assertThat(page.locator("#ed-unsaved").isVisible()).isTrue();
            assertThat(savedVersion()).as("a preview saves nothing").isZero();
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("simple-2-typed-1366.png")).setFullPage(true));
            axeViolations.addAll(Axe.check(page, "simple-2-typed-1366"));

            // She asks for the preview herself right after typing: the typing's own preview (0.6 s later)
            // supersedes hers while it renders (previews slowed to 1.5 s here), and the page must still
            // say the preview is done, not "Rendu en cours…" for ever.
            page.evaluate("() => { window.__realFetch = window.fetch; window.fetch = (u, o) => String(u).endsWith('/preview.png')"
                    + " ? new Promise((r) => setTimeout(r, 1500)).then(() => window.__realFetch(u, o)) : window.__realFetch(u, o); }");
            assertThat(page.locator("#ed-status").textContent()).doesNotContain("Aperçu à jour");
            intro.press("End");
            intro.press("Space");
            intro.press("Backspace");
            page.locator("#ed-preview").click();
            page.waitForCondition(() -> page.locator("#ed-status").textContent().contains("Aperçu à jour")
                    && "false".equals(page.locator("#ed-preview-out").getAttribute("aria-busy")),
                    new Page.WaitForConditionOptions().setTimeout(20_000));
            page.evaluate("() => { window.fetch = window.__realFetch; }");

            // An unknown placeholder typed by hand is refused before anything is sent.
            Locator title = page.getByLabel("Titre", new Page.GetByLabelOptions().setExact(true));
            title.fill("Bonjour {nom}");
            page.locator("#ed-save").click();
            page.locator("#ed-status").filter(new Locator.FilterOptions().setHasText("n’est pas une donnée connue")).waitFor();
            assertThat(savedVersion()).isZero();
            title.fill("Activation de votre compte ENT");

            // Save: version 1 of the school's French texts, in the history.
            page.getByLabel("Commentaire").fill("rentrée");
            page.locator("#ed-save").click();
            try {
                page.locator("#ed-status").filter(new Locator.FilterOptions().setHasText("version 1")).waitFor(
                        new Locator.WaitForOptions().setTimeout(150_000));
            } catch (RuntimeException e) {
                throw new AssertionError("the save's status: " + page.locator("#ed-status").textContent()
                        + " | problems: " + page.locator("#ed-problems").textContent(), e);
            }
            assertThat(savedVersion()).isEqualTo(1);
            page.locator("#ed-history-open").click();
            page.locator("#ed-history-table tbody tr").first().waitFor();
            assertThat(page.locator("#ed-history-table tbody tr").first().textContent()).contains("rentrée");
            // At 1366 px the restore button is on screen without scrolling the table sideways.
            Locator restore = page.locator(".ed-restore").first();
            restore.scrollIntoViewIfNeeded();
            double right = ((Number) restore.evaluate("b => b.getBoundingClientRect().right")).doubleValue();
            assertThat(right).as("restore button inside the 1366 px window").isLessThanOrEqualTo(1366);
            assertThat((Boolean) page.locator("#ed-history .table-wrap").evaluate("w => w.scrollWidth <= w.clientWidth"))
                    .as("the history table needs no sideways scroll").isTrue();
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("simple-3-saved-1366.png")).setFullPage(true));
            axeViolations.addAll(Axe.check(page, "simple-3-saved-1366"));

            // The same page at 1920 px.
            page.setViewportSize(1920, 1080);
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("simple-4-saved-1920.png")).setFullPage(true));
            axeViolations.addAll(Axe.check(page, "simple-4-saved-1920"));

            // Other documents: the cover sheet and a mail, previewed from their own fields.
            page.locator(".ed-doc[data-doc='mailActivation']").click();
            page.getByLabel("Objet du courriel", new Page.GetByLabelOptions().setExact(true)).waitFor();
            page.locator("#ed-mail-subject").filter(new Locator.FilterOptions().setHasText("activez votre compte")).waitFor(
                    new Locator.WaitForOptions().setTimeout(30_000));
            axeViolations.addAll(Axe.check(page, "simple-5-mail"));

            // Print the class's letters from this session: the new words are in the PDF.
            String csrf = page.locator("meta[name='csrf-token']").getAttribute("content");
            String pdf64 = (String) page.evaluate("async ([url, csrf, body]) => { const r = await fetch(url, { method: 'POST',"
                    + " headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded' }, body });"
                    + " if (!r.ok) return 'HTTP ' + r.status; const b = new Uint8Array(await r.arrayBuffer()); let s = '';"
                    + " for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]); return btoa(s); }",
                    List.of("/api/structures/" + WebFixture.OWN + "/letters", csrf,
                            "class=" + java.net.URLEncoder.encode(DemoDirectory.DEMO_TUTOR_CLASS, java.nio.charset.StandardCharsets.UTF_8)
                                    + "&activation=pending&layout=1"));
            assertThat(pdf64).doesNotStartWith("HTTP");
            try (PDDocument doc = Loader.loadPDF(Base64.getDecoder().decode(pdf64))) {
                String text = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
                assertThat(text).contains(WORDS + " du Lycée Montesquieu : tout est prêt.");
                assertThat(text).doesNotContain("L’espace numérique de travail (ENT) du Lycée");
            }
            assertThat(consoleErrors).as("no script error in the page").isEmpty();
        }
    }
}

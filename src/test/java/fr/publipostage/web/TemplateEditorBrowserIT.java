package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import fr.publipostage.web.WebFixture.Who;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real browser (Debian's chromium, headless, driven by Playwright) edits the lycée's activation
 * letter as its local admin: opens the editor, changes a sentence in CodeMirror, previews the real
 * page from the draft, saves with a comment (version 1), reads the history and a diff, is refused a
 * broken edit (the problem shown, the cursor on its line, nothing saved), goes back to the built-in
 * template and restores version 1, previews a mail, and switches to English. Without a browser the
 * test fails under CI (CI=true) and is skipped elsewhere, like {@link BrowserIT}.
 */
class TemplateEditorBrowserIT {
    /** axe-core's serious and critical violations of every page state this test screenshots: none allowed. */
    private final List<String> axeViolations = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void axeFoundNothingSeriousOrCritical() {
        assertThat(axeViolations).as("axe-core: serious or critical violations (target/axe-report.txt)").isEmpty();
    }

    private static final Path SHOTS = Paths.get("target", "browser-screenshots");
    private static final String INTRO = "<p>$msg.get('letter.activation.intro', $structure.name, $structure.ofName, $structure.nameWithArticle)</p>";
    private static final String NEW_INTRO = "<p>Bienvenue dans l’ENT du lycée : voici votre code.</p>";
    private static final String FILE = "print-activation.vm";

    private static WebFixture web;

    @BeforeAll
    static void start() {
        web = new WebFixture();
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }


    private static int savedVersion() {
        long lycee = web.app.structureByUai(WebFixture.OWN).id();
        return web.app.templateEditor().file(lycee, FILE).version();
    }

    private static void waitForStatus(Page page, String text) {
        try {
            page.locator("#ed-status").filter(new Locator.FilterOptions().setHasText(text))
                    .waitFor(new Locator.WaitForOptions().setTimeout(30_000));
        } catch (com.microsoft.playwright.TimeoutError e) {
            // Say what the page said instead, and whether a preview was still rendering.
            throw new AssertionError("waited 30 s for « " + text + " »; the status says « "
                    + page.locator("#ed-status").textContent() + " », preview busy: "
                    + page.locator("#ed-preview-out").getAttribute("aria-busy"), e);
        }
    }

    private static String editorText(Page page) {
        return (String) page.evaluate("window.publipostageEditor.getValue()");
    }

    @Test
    void aLocalAdminRewordsPreviewsSavesComparesRestoresAndResetsTheActivationLetter() throws Exception {
        Files.createDirectories(SHOTS);
        try (Playwright playwright = BrowserIT.playwright();
             Browser browser = BrowserIT.launch(playwright)) {
            BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 900));
            Page page = context.newPage();
            // The refused save's 422 is logged by the browser itself; it is the answer expected there.
            List<String> consoleErrors = BrowserIT.scriptErrors(page, text -> text.contains("status of 422"));
            page.navigate("http://localhost:" + web.server.port() + "/");
            BrowserIT.logIn(page, Who.LOCAL_OWN);

            // The editor is one link away in the top bar; the files are listed with their state.
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Modèles")).click();
            page.locator("h1").filter(new Locator.FilterOptions().setHasText("Modèles des courriers")).waitFor();
            // The simple mode is the default; the code editor is "Mode avancé".
            page.locator(".ed-doc").first().waitFor();
            assertThat(page.locator("#ed-mode-simple").getAttribute("aria-pressed")).isEqualTo("true");
            page.locator("#ed-mode-advanced").click();
            Locator file = page.locator(".ed-file[data-name='" + FILE + "']");
            file.waitFor();
            assertThat(file.textContent()).contains("Lettre d’activation").contains("modèle d’origine");
            assertThat(page.locator("#ed-file-list h3").allTextContents()).containsExactly("Courriers imprimés", "Courriels", "Textes");
            assertThat(page.locator(".ed-var").count()).isGreaterThan(20);

            // Open the activation letter: CodeMirror holds its text, the heading gets the focus.
            file.click();
            waitForStatus(page, "ouvert");
            assertThat(page.evaluate("document.activeElement.id")).isEqualTo("ed-file-title");
            assertThat(editorText(page)).contains(INTRO);
            assertThat(page.locator(".CodeMirror textarea").getAttribute("aria-labelledby")).isEqualTo("ed-code-label");

            // Change a sentence: select the intro line through CodeMirror, then type the new one.
            page.evaluate("([from]) => { const cm = window.publipostageEditor; const line = cm.getValue().split('\\n')"
                    + ".findIndex((l) => l === from); cm.focus(); cm.setSelection({line, ch: 0}, {line, ch: from.length}); }",
                    List.of(INTRO));
            page.keyboard().insertText(NEW_INTRO);
            assertThat(editorText(page)).contains(NEW_INTRO).doesNotContain(INTRO);
            assertThat(page.locator("#ed-unsaved").isVisible()).isTrue();
            // Tab leaves the editor (no keyboard trap): to the comment field.
            page.keyboard().press("Tab");
            assertThat(page.evaluate("document.activeElement.id")).isEqualTo("ed-comment");

            // Preview: the real page 1 from the draft, not saved.
            Locator image = page.locator("#ed-preview-image");
            page.locator("#ed-preview").click();
            waitForStatus(page, "Aperçu à jour");
            page.waitForCondition(() -> (Boolean) image.evaluate("img => img.complete && img.naturalWidth > 0"));
            String firstSrc = image.getAttribute("src");
            assertThat(firstSrc).startsWith("data:image/png;base64,");
            assertThat(image.getAttribute("alt")).contains(FILE).contains("Cas le plus long");
            assertThat((Double) image.evaluate("img => img.naturalHeight / img.naturalWidth")).isBetween(1.39, 1.43);
            assertThat(savedVersion()).as("a preview saves nothing").isZero();
            // The same preview asked again gives the same image (the same data: URL), which the browser
            // does not load again: the preview must still end, not wait for a load event forever.
            page.locator("#ed-preview").click();
            page.waitForCondition(() -> "false".equals(page.locator("#ed-preview-out").getAttribute("aria-busy"))
                    && page.locator("#ed-status").textContent().contains("Aperçu à jour"),
                    new Page.WaitForConditionOptions().setTimeout(30_000));
            assertThat(image.getAttribute("src")).isEqualTo(firstSrc);
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("editor-1-preview.png")).setFullPage(true));
            axeViolations.addAll(Axe.check(page, "editor-1-preview"));

            // Layout 2 and the activated worst case: the image changes.
            page.getByLabel("Mise en page").selectOption("2");
            page.getByLabel("Cas le plus long, compte déjà activé").check();
            page.locator("#ed-preview").click();
            page.waitForCondition(() -> !firstSrc.equals(image.getAttribute("src")));
            page.waitForCondition(() -> (Boolean) image.evaluate("img => img.complete && img.naturalWidth > 0"));
            assertThat(image.getAttribute("alt")).contains("mise en page 2");

            // A real account of the school, found by name: its page shows its own code.
            fr.publipostage.directory.Account pupil = web.app.selections().list(fr.publipostage.selection.Selection.everyone(
                    web.app.structureByUai(WebFixture.OWN).id()), fr.publipostage.selection.Scope.LOCAL_ADMIN).stream()
                    .filter(a -> !a.activated() && a.profile() == fr.publipostage.directory.Profile.Student).findFirst().orElseThrow();
            page.getByLabel("Un compte réel de l’établissement").check();
            page.getByLabel("Nom du compte").fill(pupil.lastName());
            page.locator("#ed-account-find").click();
            page.locator("#ed-account-status").filter(new Locator.FilterOptions().setHasText("trouvé")).waitFor();
            page.getByLabel("Compte choisi").selectOption(String.valueOf(pupil.id()));
            String secondSrc = image.getAttribute("src");
            page.locator("#ed-preview").click();
            page.waitForCondition(() -> !secondSrc.equals(image.getAttribute("src")));
            assertThat(image.getAttribute("alt")).contains(pupil.lastName());
            page.getByLabel("Mise en page").selectOption("1");

            // Save with a comment: version 1, the list says so.
            page.getByLabel("Commentaire de la version (facultatif)").fill("Nouvelle formule d’accueil");
            page.locator("#ed-save").click();
            waitForStatus(page, "Enregistré : version 1.");
            assertThat(savedVersion()).isEqualTo(1);
            assertThat(page.locator("#ed-unsaved").isVisible()).isFalse();
            page.waitForCondition(() -> file.textContent().contains("personnalisé, version 1"));
            assertThat(file.textContent()).contains(Who.LOCAL_OWN.login).contains("Nouvelle formule d’accueil");

            // History: the version with its author and comment; the diff from the built-in template.
            page.locator("#ed-history-open").click();
            Locator rows = page.locator("#ed-history-table tbody tr");
            rows.first().waitFor();
            assertThat(rows.count()).isEqualTo(1);
            assertThat(rows.first().textContent()).contains("1").contains(Who.LOCAL_OWN.login).contains("enregistrement")
                    .contains("Nouvelle formule d’accueil");
            assertThat(rows.first().locator("td").nth(2).textContent()).as("the history's date, the one French format")
                    .matches("\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}");
            page.getByLabel("Comparer la version").selectOption("0");
            page.getByLabel("avec la version").selectOption("1");
            page.locator("#ed-compare-run").click();
            Locator added = page.locator("#ed-diff li.added");
            added.first().waitFor();
            assertThat(added.allTextContents()).anySatisfy(l -> assertThat(l).contains("ajouté").contains(NEW_INTRO));
            assertThat(page.locator("#ed-diff li.removed").allTextContents()).anySatisfy(l -> assertThat(l).contains(INTRO));
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("editor-2-history.png")).setFullPage(true));
            axeViolations.addAll(Axe.check(page, "editor-2-history"));

            // A broken edit: refused, the problem shown with its line, the cursor there, nothing saved.
            page.evaluate("() => { const cm = window.publipostageEditor; cm.replaceRange('#if(\\n', {line: 2, ch: 0}); }");
            page.locator("#ed-save").click();
            waitForStatus(page, "n’a pas été enregistré");
            Locator problems = page.locator("#ed-problems");
            assertThat(problems.isVisible()).isTrue();
            assertThat(problems.getAttribute("role")).isEqualTo("alert");
            String problem = page.locator("#ed-problem-list li").first().textContent();
            assertThat(problem).containsPattern("Ligne [34], colonne \\d+ : ");
            int cursorLine = ((Number) page.evaluate("window.publipostageEditor.getCursor().line")).intValue() + 1;
            assertThat(cursorLine).isBetween(3, 4);
            assertThat(savedVersion()).isEqualTo(1);
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("editor-3-refused.png")).setFullPage(true));
            axeViolations.addAll(Axe.check(page, "editor-3-refused"));

            // Back to the built-in template (after a confirmation): the editor shows it, the list too.
            page.locator("#ed-reset").click();
            page.locator("#ed-confirm[open]").waitFor();
            assertThat(page.evaluate("document.activeElement.id")).as("focus on the safe choice").isEqualTo("ed-confirm-cancel");
            page.locator("#ed-confirm-ok").click();
            waitForStatus(page, "Le modèle d’origine s’applique de nouveau");
            assertThat(editorText(page)).contains(INTRO).doesNotContain(NEW_INTRO).doesNotContain("#if(\n");
            page.waitForCondition(() -> file.textContent().contains("modèle d’origine"));
            assertThat(savedVersion()).isEqualTo(2);

            // Restore version 1 from the history (after a confirmation).
            page.waitForCondition(() -> rows.count() == 2);
            // Issue 13: at 1366 px the advanced mode's history shows its restore buttons without a sideways scroll.
            Locator restoreOne = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Restaurer la version 1"));
            restoreOne.scrollIntoViewIfNeeded();
            assertThat(((Number) restoreOne.evaluate("b => b.getBoundingClientRect().right")).doubleValue())
                    .as("restore button inside the 1366 px window").isLessThanOrEqualTo(1366.0);
            assertThat((Boolean) page.locator("#ed-history .table-wrap").evaluate("w => w.scrollWidth <= w.clientWidth"))
                    .as("the history table needs no sideways scroll").isTrue();
            restoreOne.click();
            page.locator("#ed-confirm[open]").waitFor();
            page.locator("#ed-confirm-ok").click();
            waitForStatus(page, "c’est maintenant la version 3");
            assertThat(editorText(page)).contains(NEW_INTRO);
            page.waitForCondition(() -> rows.count() == 3);
            assertThat(rows.first().textContent()).contains("restauration").contains("version 1");
            assertThat(savedVersion()).isEqualTo(3);

            // A mail file previews as its subject, HTML (sandboxed frame) and text.
            page.locator(".ed-file[data-name='mail-activation.html.vm']").click();
            waitForStatus(page, "ouvert");
            page.getByLabel("Cas le plus long, compte à activer").check();
            page.locator("#ed-preview").click();
            waitForStatus(page, "Aperçu à jour");
            assertThat(page.locator("#ed-mail-subject").textContent()).startsWith("Objet : ").contains("Lycée Montesquieu");
            assertThat(page.locator("#ed-mail-html").getAttribute("sandbox")).isEmpty();
            assertThat(page.locator("#ed-mail-text").textContent()).contains("MWQMWQMW");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("editor-4-mail.png")).setFullPage(true));
            axeViolations.addAll(Axe.check(page, "editor-4-mail"));

            // The school's logo: upload a PNG, it shows; remove it (after a confirmation).
            Path logo = Files.createTempFile("logo", ".png");
            Files.write(logo, LogoApiIT.png(300, 120));
            assertThat(page.locator("#ed-logo-none").isVisible()).isTrue();
            page.getByLabel("Fichier du logo (PNG, JPEG ou SVG)").setInputFiles(logo);
            page.locator("#ed-logo-upload").click();
            page.locator("#ed-logo-status").filter(new Locator.FilterOptions().setHasText("Logo enregistré")).waitFor();
            Locator current = page.locator("#ed-logo-image");
            page.waitForCondition(() -> (Boolean) current.evaluate("img => img.complete && img.naturalWidth > 0"));
            assertThat(current.getAttribute("alt")).isEqualTo("Logo actuel de l’établissement");
            assertThat(page.locator("#ed-logo-caption").textContent()).contains("300 × 120");
            assertThat(web.app.logos().current(web.app.structureByUai(WebFixture.OWN).id())).isPresent();
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("editor-5-logo.png")).setFullPage(true));
            axeViolations.addAll(Axe.check(page, "editor-5-logo"));
            page.locator("#ed-logo-remove").click();
            page.locator("#ed-confirm[open]").waitFor();
            page.locator("#ed-confirm-ok").click();
            page.locator("#ed-logo-status").filter(new Locator.FilterOptions().setHasText("Logo retiré")).waitFor();
            assertThat(page.locator("#ed-logo-none").isVisible()).isTrue();
            assertThat(web.app.logos().current(web.app.structureByUai(WebFixture.OWN).id())).isEmpty();
            Files.delete(logo);

            // English is one click away.
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("English")).click();
            page.locator("h1").filter(new Locator.FilterOptions().setHasText("Letter and e-mail templates")).waitFor();
            assertThat(page.locator("html").getAttribute("lang")).isEqualTo("en");
            page.locator(".ed-doc").first().waitFor();
            page.locator("#ed-mode-advanced").click();
            page.locator(".ed-file[data-name='" + FILE + "']").filter(new Locator.FilterOptions()
                    .setHasText("customised, version 3")).waitFor();

            assertThat(consoleErrors).as("no script error in the page").isEmpty();
        }
    }
}

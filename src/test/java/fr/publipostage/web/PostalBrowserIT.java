package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import fr.publipostage.directory.Account;
import fr.publipostage.letters.PostalGeometry;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.web.WebFixture.Who;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's "done when", in chromium: a local admin picks "Parents par courrier", one class, runs the
 * check (the count without a postal address beside the one without e-mail), opens a card (its postal
 * address), goes to step 3 where "Courrier postal (enveloppe à fenêtre)" is chosen, is refused with the
 * list of parents without an address, chooses to hand them over, downloads the PDF: one letter per
 * parent with the address in the window (read back with PDFBox), the hand-over list, then the others.
 */
class PostalBrowserIT {
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

    /** A class whose parents include some without a postal address (the demo leaves one in ten without). */
    private static String classWithParentsWithoutAddress(long lycee) {
        for (var c : web.app.selections().classes(lycee, List.of(), Scope.LOCAL_ADMIN)) {
            Selection s = web.app.selections().parse(lycee, Map.of("profile", List.of("Relative"), "class", List.of(c.name())));
            var counts = web.app.selections().count(s, Scope.LOCAL_ADMIN);
            if (counts.withoutPostal() > 0 && counts.withoutPostal() < counts.total()) return c.name();
        }
        throw new IllegalStateException("no such class in the demo");
    }

    @Test
    void aLocalAdminSendsTheParentsOfAClassTheirLettersByPost() throws Exception {
        Files.createDirectories(SHOTS);
        long lycee = web.app.structureByUai(WebFixture.OWN).id();
        String className = classWithParentsWithoutAddress(lycee);
        List<Account> parents = web.app.selections().list(web.app.selections().parse(lycee,
                Map.of("profile", List.of("Relative"), "class", List.of(className))), Scope.LOCAL_ADMIN);
        List<Account> without = parents.stream().filter(a -> !a.hasPostalAddress()).toList();
        try (Playwright playwright = BrowserIT.playwright();
             Browser browser = BrowserIT.launch(playwright)) {
            BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true)
                    .setViewportSize(1280, 900));
            Page page = context.newPage();
            List<String> consoleErrors = BrowserIT.scriptErrors(page, text -> text.contains("422"));
            page.navigate("http://localhost:" + web.server.port() + "/");
            BrowserIT.logIn(page, Who.LOCAL_OWN);

            // Step 1: the preset fills profile and layout; one class.
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Parents par courrier")).click();
            assertThat(page.getByLabel("Parent", new Page.GetByLabelOptions().setExact(true)).isChecked()).isTrue();
            assertThat(page.getByLabel("Courrier postal (enveloppe à fenêtre)").first().isChecked()).isTrue();
            page.locator("#classes input[value='" + className + "']").check();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Lancer le prétraitement")).click();
            page.locator("#accounts tbody tr").first().waitFor();
            assertThat(page.locator("#counts").textContent()).startsWith(parents.size() + " compte(s)")
                    .contains("sans adresse électronique").contains("dont " + without.size() + " sans adresse postale");

            // A card shows the postal address as the envelope prints it.
            Account withAddress = parents.stream().filter(Account::hasPostalAddress).findFirst().orElseThrow();
            page.locator("#accounts tbody tr[data-login='" + withAddress.displayLogin() + "'] button.open-card").click();
            page.locator("#card-dialog[open]").waitFor();
            Locator address = page.locator("#card-body dd.postal-address .line");
            assertThat(address.count()).isGreaterThanOrEqualTo(2);
            assertThat(address.last().textContent()).matches("[0-9A-Z ]+");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("p1-card-postal.png")));
            page.locator("#card-close").click();

            // Step 3: the window envelope, the count without an address, no cover sheet.
            page.locator("#step-2 [data-goto='3']").click();
            page.locator("#print-generate").waitFor();
            assertThat(page.locator("#print-layout-postal").isChecked()).isTrue();
            assertThat(page.locator("#print-postal").isVisible()).isTrue();
            assertThat(page.locator("#print-postal-count").textContent()).isEqualTo(without.size() + " compte(s) de la sélection sans adresse postale.");
            assertThat(page.locator("#print-cover").isDisabled()).isTrue();
            assertThat(page.locator("#print-without-address-refuse").isChecked()).isTrue();

            // Refused by default, with the list of parents without an address.
            page.locator("#print-generate").click();
            page.locator("#print-error").filter(new Locator.FilterOptions().setHasText("sans adresse postale")).waitFor();
            page.locator("#print-postal-list li").first().waitFor();
            assertThat(page.locator("#print-postal-list li").count()).isEqualTo(without.size());
            assertThat(page.locator("#print-postal-list").textContent()).contains(without.get(0).displayLogin());
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("p2-postal-refused.png")).setFullPage(true));

            // The sample page: the first letter by post.
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Voir un exemple")).click();
            Locator sample = page.locator("#print-sample-image");
            sample.waitFor();
            assertThat(sample.getAttribute("alt")).contains("Courrier postal");

            // Handed over at the end: the PDF.
            page.getByLabel("Les imprimer à la fin, « à remettre en main propre »").check();
            assertThat(page.locator("#without-address").inputValue()).isEqualTo("hand");
            Download pdf = page.waitForDownload(() -> page.locator("#print-generate").click());
            byte[] bytes = Files.readAllBytes(pdf.path());
            LetterApiIT.Pdf read = LetterApiIT.read(bytes);
            assertThat(read.pages()).isEqualTo(parents.size() + (without.size() + 27) / 28);
            assertThat(read.text()).contains("À remettre en main propre");
            List<List<PostalGeometry.Run>> pages = PostalGeometry.runs(bytes);
            int byPost = parents.size() - without.size();
            for (int p = 0; p < byPost; p++) {
                List<PostalGeometry.Run> inFrame = pages.get(p).stream().filter(r -> r.box().intersects(PostalGeometry.FRAME)).toList();
                assertThat(inFrame).as("page " + (p + 1)).hasSizeGreaterThanOrEqualTo(2)
                        .allSatisfy(r -> assertThat(r.box().inside(PostalGeometry.FRAME)).isTrue());
            }
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("p3-postal-printed.png")).setFullPage(true));
            assertThat(consoleErrors).as("no script error in the page").isEmpty();
        }
    }
}

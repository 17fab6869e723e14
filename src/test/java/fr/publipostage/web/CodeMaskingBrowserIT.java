package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import fr.publipostage.Setting;
import fr.publipostage.security.SecondFactor;
import fr.publipostage.web.WebFixture.Who;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leak 4 of issue 10 in a real browser: with the second factor required and no code typed, the check
 * table shows masked codes and "Afficher les codes"; the button asks the code, then the codes appear.
 */
class CodeMaskingBrowserIT {
    private static WebFixture web;
    private static String secret;

    @BeforeAll
    static void start() {
        web = new WebFixture(Map.of(Setting.TOTP_REQUIRED, "true"));
        WebFixture.Client admin = web.as(Who.LOCAL_OWN);
        Matcher m = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<").matcher(admin.get("/account/totp").body());
        assertThat(m.find()).isTrue();
        secret = m.group(1);
        HttpResponse<String> enrolled = admin.postForm("/account/totp", Map.of("code", SecondFactor.codeAt(secret, Instant.now())));
        assertThat(enrolled.statusCode()).isEqualTo(303);
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    @Test
    void codesAreMaskedUntilTheAdminTypesACode() throws Exception {
        try (Playwright playwright = BrowserIT.playwright(); Browser browser = BrowserIT.launch(playwright)) {
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)).newPage();
            List<String> errors = BrowserIT.scriptErrors(page, text -> text.contains("400"));
            page.navigate("http://localhost:" + web.server.port() + "/");
            BrowserIT.logIn(page, Who.LOCAL_OWN);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Enseignants")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Lancer le prétraitement")).click();
            page.locator("#accounts tbody tr").first().waitFor();
            assertThat(page.locator("#codes-masked").isVisible()).isTrue();
            String masked = page.locator("#accounts tbody tr.pending td.code").first().innerText();
            assertThat(masked).contains("••••••••").contains("code masqué");

            // The code asked, then the real codes.
            try (Connection c = web.db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("update admin set totp_last_step = null");
            }
            page.locator("#show-codes").click();
            page.locator("#totp-code").fill(SecondFactor.codeAt(secret, Instant.now()));
            page.locator("#totp-form button[type=submit]").click();
            page.waitForCondition(() -> !page.locator("#codes-masked").isVisible());
            String shown = page.locator("#accounts tbody tr.pending td.code").first().innerText();
            assertThat(shown).doesNotContain("•").matches("(?s).*[A-Z0-9]{8}.*");
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void savingATemplateAsksTheCodeThenSaves() throws Exception {
        // Changing what every letter says asks the second factor: the editor asks the code and sends again.
        try (Playwright playwright = BrowserIT.playwright(); Browser browser = BrowserIT.launch(playwright)) {
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 900)).newPage();
            // The first answer is the 403 that asks for the code; the browser logs it itself.
            List<String> errors = BrowserIT.scriptErrors(page, text -> text.contains("403"));
            page.navigate("http://localhost:" + web.server.port() + "/");
            BrowserIT.logIn(page, Who.LOCAL_OWN);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Modèles")).click();
            page.locator(".ed-doc").first().waitFor();
            page.locator("#ed-mode-advanced").click();
            com.microsoft.playwright.Locator file = page.locator(".ed-file[data-name='print-activation.vm']");
            file.waitFor();
            file.click();
            page.locator("#ed-status").filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("ouvert")).waitFor();
            page.evaluate("() => { const cm = window.publipostageEditor; cm.setValue(cm.getValue() + '\\n<p>Relu.</p>'); }");
            try (Connection c = web.db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("update admin set totp_last_step = null");
            }
            page.locator("#ed-save").click();
            page.locator("#totp-code").waitFor();
            page.locator("#totp-code").fill(SecondFactor.codeAt(secret, Instant.now()));
            page.locator("#totp-form button[type=submit]").click();
            page.locator("#ed-status").filter(new com.microsoft.playwright.Locator.FilterOptions()
                    .setHasText("Enregistré : version 1.")).waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(30_000));
            long lycee = web.app.structureByUai(WebFixture.OWN).id();
            assertThat(web.app.templateEditor().file(lycee, "print-activation.vm").version()).isEqualTo(1);
            assertThat(errors).isEmpty();
        }
    }
}

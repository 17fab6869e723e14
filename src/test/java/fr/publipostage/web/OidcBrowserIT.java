package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import fr.publipostage.Setting;
import fr.publipostage.testing.TestProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on in a real browser (Debian's chromium) through a real provider's login page
 * (mock-oauth2-server, interactive): the ENT button, the provider's sign-in form, back to the console
 * as local admin of the school the directory says; the CSV without a TOTP code when the provider
 * asserted MFA; the step-up ("Reconfirmer avec l'ENT") when it did not; a person without rights
 * refused with the sentence; logout at the provider back to the login page.
 */
class OidcBrowserIT {
    private static final Path SHOTS = Paths.get("target", "browser-screenshots");
    private static TestProvider provider;
    private static WebFixture web;

    @BeforeAll
    static void start() {
        provider = new TestProvider(true);
        // The provider's first answer (class loading, key generation) can take longer than the
        // application's 5 s timeout on a busy machine: warm it up so the tests measure the flow.
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(provider.issuer() + "/.well-known/openid-configuration")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("test provider not answering", e);
        }
        Map<Setting, String> settings = new HashMap<>(provider.settings());
        settings.put(Setting.TOTP_REQUIRED, "true");
        // The provider's login page names the subject: the login claim here is "sub".
        settings.put(Setting.OIDC_LOGIN_CLAIM, "sub");
        web = new WebFixture(settings);
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
        if (provider != null) provider.close();
    }

    private static String firstLogin(String sql) {
        try (var c = web.db.database().dataSource().getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A browser context that reaches only this machine: the provider's login page links a web font
     * on the internet, which must not be fetched (nor looked up) from here.
     */
    private static BrowserContext localOnly(Browser browser) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true)
                .setViewportSize(1280, 900));
        context.route(url -> !(url.startsWith("http://localhost:") || url.startsWith("http://127.0.0.1:")), route -> route.abort());
        return context;
    }

    /** On the provider's page: the user name and the claims it asserts, then "Sign-in". */
    private static void signInAtProvider(Page page, String login, String claimsJson) {
        page.locator("input[name=username]").waitFor();
        assertThat(page.url()).startsWith(provider.issuer() + "/authorize");
        page.locator("input[name=username]").fill(login);
        page.locator("textarea[name=claims]").fill(claimsJson);
        page.locator("input[type=submit]").click();
    }

    @Test
    void anAdminLocalOfTheDirectoryLogsInThroughTheProviderAndWorks() throws Exception {
        Files.createDirectories(SHOTS);
        String admin = firstLogin("select a.login from account a join structure s on s.id = a.structure_id where s.uai = '"
                + WebFixture.OWN + "' and 'ADMIN_LOCAL' = any (a.functions) order by a.login");
        String name = firstLogin("select a.first_name || ' ' || a.last_name from account a where a.login = '" + admin + "'");
        try (Playwright playwright = BrowserIT.playwright();
             Browser browser = BrowserIT.launch(playwright)) {
            Page page = localOnly(browser).newPage();
            // The provider's page asks a web font that localOnly refuses: not ours.
            List<String> errors = BrowserIT.scriptErrors(page, text -> text.contains("net::ERR_FAILED"));
            page.navigate("http://localhost:" + web.server.port() + "/");

            // The login page offers the ENT beside the password form.
            Locator ent = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Se connecter avec l’ENT"));
            assertThat(ent.isVisible()).isTrue();
            assertThat(page.getByLabel("Mot de passe").isVisible()).isTrue();
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("oidc-1-login.png")));
            ent.click();

            // The provider's own sign-in page; it asserts a second factor.
            signInAtProvider(page, admin, "{\"amr\": [\"pwd\", \"mfa\"]}");

            // Back in the console, as local admin of the school of his ADMIN_LOCAL account.
            page.locator("#preset-buttons button").first().waitFor();
            assertThat(page.url()).isEqualTo("http://localhost:" + web.server.port() + "/");
            assertThat(page.locator(".topbar .who").textContent()).contains(name);
            assertThat(page.locator("#structure option").allTextContents()).hasSize(1).first().asString().contains("Lycée Montesquieu");

            // The provider's MFA is the step-up: the CSV downloads without a TOTP code.
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Invités")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Lancer le prétraitement")).click();
            page.locator("#accounts tbody tr").first().waitFor();
            Download csv = page.waitForDownload(() -> page.locator("#csv").click());
            assertThat(csv.suggestedFilename()).endsWith(".csv");
            assertThat(page.locator("#totp-dialog").isVisible()).isFalse();
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("oidc-2-console.png")));

            // Logout ends the provider's session too, and comes back to the login page.
            page.locator("#logout").click();
            page.locator("#logged-out").waitFor();
            assertThat(page.url()).contains("/login?logged-out");
            assertThat(page.locator("#logged-out").textContent()).contains("Vous êtes déconnecté");
            assertThat(errors).isEmpty();
            page.navigate("http://localhost:" + web.server.port() + "/api/me");
            assertThat(page.content()).contains("auth.loginRequired");
        }
    }

    @Test
    void withoutTheProvidersMfaTheStepUpIsAFreshLoginAtTheProvider() {
        String admin = firstLogin("select a.login from account a join structure s on s.id = a.structure_id where s.uai = '"
                + WebFixture.OTHER + "' and 'ADMIN_LOCAL' = any (a.functions) order by a.login");
        try (Playwright playwright = BrowserIT.playwright();
             Browser browser = BrowserIT.launch(playwright)) {
            Page page = localOnly(browser).newPage();
            page.navigate("http://localhost:" + web.server.port() + "/login");
            page.locator("#oidc-login").click();
            signInAtProvider(page, admin, "{\"amr\": [\"pwd\"]}");
            page.locator("#preset-buttons button").first().waitFor();

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Invités")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Lancer le prétraitement")).click();
            page.locator("#accounts tbody tr").first().waitFor();
            page.locator("#csv").click();
            Locator error = page.locator("#check-error");
            error.filter(new Locator.FilterOptions().setHasText("Reconfirmer avec l’ENT")).waitFor();
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("oidc-3-step-up-needed.png")));

            // "Reconfirmer avec l'ENT": the provider asks again (prompt=login), this time with MFA.
            page.locator("#oidc-reauth").click();
            signInAtProvider(page, admin, "{\"amr\": [\"pwd\", \"otp\"]}");
            page.locator("#preset-buttons button").first().waitFor();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Invités")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Lancer le prétraitement")).click();
            page.locator("#accounts tbody tr").first().waitFor();
            Download csv = page.waitForDownload(() -> page.locator("#csv").click());
            assertThat(csv.suggestedFilename()).contains(WebFixture.OTHER);
        }
    }

    @Test
    void aPersonWithoutRightsIsRefusedWithASentence() {
        String pupil = firstLogin("select a.login from account a where a.profile = 'Student' order by a.login");
        try (Playwright playwright = BrowserIT.playwright();
             Browser browser = BrowserIT.launch(playwright)) {
            Page page = localOnly(browser).newPage();
            page.navigate("http://localhost:" + web.server.port() + "/login?lang=en");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Log in with the ENT")).click();
            signInAtProvider(page, pupil, "");
            page.locator("#login-error").waitFor();
            assertThat(page.locator("#login-error").textContent())
                    .contains("Your ENT account gives no access to Publipostage");
            assertThat(page.url()).contains("/oidc/callback");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("oidc-4-refused.png")));
        }
    }
}

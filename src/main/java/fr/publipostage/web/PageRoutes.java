package fr.publipostage.web;

import fr.publipostage.security.AccessDenied;
import fr.publipostage.security.AdminService;
import fr.publipostage.security.LoginService;
import fr.publipostage.security.SecondFactor;
import fr.publipostage.security.TotpThrottled;
import fr.publipostage.security.WebSession;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import fr.publipostage.sso.OidcLogin;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pages: login, logout, password change (forced after a one-time password), TOTP enrolment,
 * and the three-step console itself ({@code /}). Forms post with the CSRF token in {@code _csrf}.
 */
public final class PageRoutes implements RouteGroup {
    /** Shortest password an admin may choose. */
    public static final int MIN_PASSWORD = 10;

    private final Auth auth;
    private final Views views;
    private final LoginService logins;
    private final AdminService admins;
    private final SecondFactor secondFactor;
    private final LoginPage loginPage;
    private final OidcLogin oidc;

    public PageRoutes(Auth auth, Views views, LoginService logins, AdminService admins, SecondFactor secondFactor,
               LoginPage loginPage, OidcLogin oidc) {
        this.auth = auth;
        this.views = views;
        this.logins = logins;
        this.admins = admins;
        this.secondFactor = secondFactor;
        this.loginPage = loginPage;
        this.oidc = oidc;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/", this::home);
        routes.get("/login", this::loginPage);
        routes.post("/login", this::login);
        routes.post("/logout", this::logout);
        routes.get("/password", this::passwordPage);
        routes.post("/password", this::changePassword);
        routes.get("/account/totp", this::totpPage);
        routes.post("/account/totp", this::totpConfirm);
        routes.post("/account/totp/reset", this::totpReset);
    }

    /** The console when logged in; the login page otherwise. */
    private void home(Context ctx) {
        Optional<WebSession> session = auth.session(ctx);
        if (session.isEmpty()) {
            renderLogin(ctx, HttpStatus.OK, null);
            return;
        }
        WebSession web = auth.admin(ctx);
        Map<String, Object> values = new HashMap<>();
        values.put("csrf", web.csrfToken());
        values.put("admin", web.admin());
        values.put("customises", auth.customises(web.admin()));
        values.put("texts", views.scriptTexts(Lang.of(ctx)));
        values.put("totpRequired", secondFactor.required());
        values.put("totpEnrolled", web.admin().totpSecret() != null);
        views.render(ctx, 200, "app", values);
    }

    private void loginPage(Context ctx) {
        if (auth.session(ctx).isPresent()) {
            ctx.redirect("/", HttpStatus.SEE_OTHER);
            return;
        }
        renderLogin(ctx, HttpStatus.OK, null);
    }

    private void renderLogin(Context ctx, HttpStatus status, String errorKey) {
        loginPage.render(ctx, status, errorKey);
    }

    private void login(Context ctx) {
        if (!loginPage.passwordForm()) {
            // PUBLIPOSTAGE_OIDC_ONLY: the provider is the only way in.
            renderLogin(ctx, HttpStatus.FORBIDDEN, "login.passwordOff");
            return;
        }
        LoginService.Result result = logins.login(ctx.formParam("login"), ctx.formParam("password"), ClientAddress.of(ctx));
        if (result instanceof LoginService.LoggedIn in) {
            auth.startSession(ctx, in.opened());
            ctx.redirect(in.opened().session().admin().oneTimePassword() ? "/password" : "/", HttpStatus.SEE_OTHER);
        } else if (result instanceof LoginService.Throttled) {
            renderLogin(ctx, HttpStatus.TOO_MANY_REQUESTS, "login.throttled");
        } else {
            renderLogin(ctx, HttpStatus.UNAUTHORIZED, "login.failed");
        }
    }

    private void logout(Context ctx) {
        Optional<WebSession> session = auth.session(ctx);
        String idToken = session.filter(WebSession::viaProvider).map(auth.sessions()::idToken).orElse(null);
        auth.endSession(ctx);
        // After a single sign-on, the provider's session ends too when it offers an end_session_endpoint
        // (through a page: the form's CSP, form-action 'self', would stop a redirect to the provider).
        Optional<URI> atProvider = oidc.logoutUri(idToken, URI.create(OidcRoutes.base(ctx, oidc.settings()) + "/login?logged-out"));
        if (atProvider.isPresent()) {
            views.render(ctx, 200, "continue", Map.of("target", atProvider.get().toString()));
            return;
        }
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private void passwordPage(Context ctx) {
        renderPassword(ctx, withPassword(auth.anyAdmin(ctx)), HttpStatus.OK, null);
    }

    /** An admin of the provider has no password here: his is the ENT's. */
    private static WebSession withPassword(WebSession web) {
        if (web.admin().fromProvider()) throw new NotFound("login.passwordAtProvider");
        return web;
    }

    private void renderPassword(Context ctx, WebSession web, HttpStatus status, String errorKey) {
        Map<String, Object> values = new HashMap<>();
        values.put("csrf", web.csrfToken());
        values.put("admin", web.admin());
        values.put("customises", auth.customises(web.admin()));
        values.put("forced", web.admin().oneTimePassword());
        values.put("error", errorKey == null ? "" : errorKey);
        values.put("minLength", MIN_PASSWORD);
        views.render(ctx, status.getCode(), "password", values);
    }

    private void changePassword(Context ctx) {
        WebSession web = withPassword(auth.anyAdmin(ctx));
        String current = ctx.formParam("current");
        String next = ctx.formParam("password");
        String confirm = ctx.formParam("confirm");
        String error = null;
        if (admins.authenticate(web.admin().login(), current).isEmpty()) error = "login.currentWrong";
        else if (next == null || next.length() < MIN_PASSWORD) error = "login.tooShort";
        else if (!AdminService.fitsBcrypt(next)) error = "login.tooLong";
        else if (!next.equals(confirm)) error = "login.mismatch";
        else if (next.equals(current)) error = "login.samePassword";
        if (error != null) {
            renderPassword(ctx, web, HttpStatus.BAD_REQUEST, error);
            return;
        }
        admins.changePassword(web.admin(), next);
        auth.sessions().closeOthers(web);
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    /**
     * "Sécurité": enrol a first authenticator; replace an enrolled one only after a fresh code of it
     * (never with the password alone); a super admin also removes another admin's lost authenticator.
     */
    private void totpPage(Context ctx) {
        WebSession web = auth.admin(ctx);
        renderTotp(ctx, web, HttpStatus.OK, null, null, enrolmentOrNull(web));
    }

    /** The secret to show: the one being enrolled, a new one, or none while a code of the current app is due. */
    private SecondFactor.Enrolment enrolmentOrNull(WebSession web) {
        if (!secondFactor.mayEnrol(web)) return null;
        // The same pending secret again, so that a QR code already scanned still works.
        return web.totpPending() != null ? secondFactor.enrolment(web.admin(), web.totpPending())
                : secondFactor.startEnrolment(web);
    }

    private void renderTotp(Context ctx, WebSession web, HttpStatus status, String error, String notice,
                            SecondFactor.Enrolment enrolment) {
        Map<String, Object> values = new HashMap<>();
        values.put("csrf", web.csrfToken());
        values.put("admin", web.admin());
        values.put("customises", auth.customises(web.admin()));
        values.put("enrolled", web.admin().totpSecret() != null);
        values.put("required", secondFactor.required());
        values.put("error", error == null ? "" : error);
        values.put("notice", notice == null ? "" : notice);
        values.put("secret", enrolment == null ? "" : enrolment.secret());
        values.put("uri", enrolment == null ? "" : enrolment.uri());
        values.put("qr", enrolment == null ? "" : enrolment.qrSvg());
        values.put("superAdmin", web.admin().superAdmin());
        values.put("resetNeedsCode", secondFactor.freshCodeNeeded(web.admin()));
        views.render(ctx, status.getCode(), "totp", values);
    }

    private String text(Context ctx, String key, Object... args) {
        return views.text(Lang.of(ctx), key, args);
    }

    private void totpConfirm(Context ctx) {
        WebSession web = auth.admin(ctx);
        String current = ctx.formParam("current");
        if (current != null) {
            // A code of the enrolled app: the session is fresh, a new secret may be shown.
            boolean ok;
            try {
                ok = secondFactor.confirmCode(web, current);
            } catch (TotpThrottled e) {
                ctx.header("Retry-After", String.valueOf(e.waitSeconds()));
                renderTotp(ctx, web, HttpStatus.TOO_MANY_REQUESTS, text(ctx, "auth.totpThrottled", e.waitMinutes()), null, null);
                return;
            }
            if (!ok) {
                renderTotp(ctx, web, HttpStatus.BAD_REQUEST, text(ctx, "auth.totpBadCode"), null, null);
                return;
            }
            WebSession fresh = withFreshCode(web);
            renderTotp(ctx, fresh, HttpStatus.OK, null, null, secondFactor.startEnrolment(fresh));
            return;
        }
        if (secondFactor.finishEnrolment(web, ctx.formParam("code"))) {
            ctx.redirect("/?totp=enrolled", HttpStatus.SEE_OTHER);
            return;
        }
        if (!secondFactor.mayEnrol(web)) {
            renderTotp(ctx, web, HttpStatus.FORBIDDEN, text(ctx, "auth.totpReplaceNeedsCurrent"), null, null);
            return;
        }
        renderTotp(ctx, web, HttpStatus.BAD_REQUEST, text(ctx, "auth.totpBadCode"), null, enrolmentOrNull(web));
    }

    /** The same session as it is now that a code was confirmed in this request. */
    private static WebSession withFreshCode(WebSession web) {
        return new WebSession(web.tokenHash(), web.admin(), web.csrfToken(), true, web.totpPending(), web.viaProvider(),
                "totp");
    }

    /**
     * A super admin removes another admin's authenticator (lost phone): after a fresh code of his own
     * when he has one or the platform asks for codes; audited ({@code totp-reset}).
     */
    private void totpReset(Context ctx) {
        WebSession web = auth.admin(ctx);
        if (!web.admin().superAdmin()) throw AccessDenied.forbidden();
        String code = ctx.formParam("code");
        if (code != null && !code.isBlank()) {
            try {
                if (!secondFactor.confirmCode(web, code)) {
                    renderTotp(ctx, web, HttpStatus.BAD_REQUEST, text(ctx, "auth.totpBadCode"), null, enrolmentOrNull(web));
                    return;
                }
            } catch (TotpThrottled e) {
                ctx.header("Retry-After", String.valueOf(e.waitSeconds()));
                renderTotp(ctx, web, HttpStatus.TOO_MANY_REQUESTS, text(ctx, "auth.totpThrottled", e.waitMinutes()), null,
                        enrolmentOrNull(web));
                return;
            }
            web = withFreshCode(web);
        }
        if (secondFactor.freshCodeNeeded(web.admin()) && !web.totpFresh()) {
            String key = web.admin().totpSecret() == null ? "auth.totpEnrolRequired" : "auth.totpRequired";
            renderTotp(ctx, web, HttpStatus.FORBIDDEN, text(ctx, key), null, enrolmentOrNull(web));
            return;
        }
        String login = ctx.formParam("login") == null ? "" : ctx.formParam("login").strip();
        if (!secondFactor.reset(login, web.admin().login())) {
            renderTotp(ctx, web, HttpStatus.NOT_FOUND, text(ctx, "auth.totpResetUnknown", login), null, enrolmentOrNull(web));
            return;
        }
        renderTotp(ctx, web, HttpStatus.OK, null, text(ctx, "auth.totpResetDone", login), enrolmentOrNull(web));
    }
}

package fr.publipostage.web;

import fr.publipostage.security.WebSession;
import fr.publipostage.sso.OidcFailure;
import fr.publipostage.sso.OidcLogin;
import fr.publipostage.sso.OidcSettings;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single sign-on with the OpenID Connect provider: {@code GET /oidc/login} (the button; {@code ?fresh=1}
 * re-authenticates at the provider now, the step-up) and {@code GET /oidc/callback} (the redirect URI
 * registered at the provider). Both answer 404 when no provider is configured. Errors are a sentence
 * on the login page, the detail in the log.
 */
public final class OidcRoutes implements RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger(OidcRoutes.class);
    /** Binds a login started here to this browser; SameSite=Lax so that it comes back with the provider's redirect. */
    static final String BINDING_COOKIE = "publipostage_oidc";
    public static final String CALLBACK_PATH = "/oidc/callback";

    private final Auth auth;
    private final Views views;
    private final LoginPage loginPage;
    private final OidcLogin oidc;
    private final boolean secureCookie;

    public OidcRoutes(Auth auth, Views views, LoginPage loginPage, OidcLogin oidc, boolean secureCookie) {
        this.auth = auth;
        this.views = views;
        this.loginPage = loginPage;
        this.oidc = oidc;
        this.secureCookie = secureCookie;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/oidc/login", this::start);
        routes.get(CALLBACK_PATH, this::callback);
    }

    private void start(Context ctx) {
        if (!oidc.settings().enabled()) throw new NotFound("error.notFound");
        boolean fresh = ctx.queryParam("fresh") != null;
        Optional<WebSession> current = auth.session(ctx);
        if (current.isPresent() && !fresh) {
            ctx.redirect("/", HttpStatus.SEE_OTHER);
            return;
        }
        OidcLogin.Started started;
        try {
            started = oidc.start(redirectUri(ctx), fresh, current.map(WebSession::tokenHash).orElse(null));
        } catch (OidcFailure e) {
            refused(ctx, e);
            return;
        }
        ctx.cookie(bindingCookie(started.bindingToken(), OidcLogin.PENDING_MINUTES * 60));
        ctx.redirect(started.authorizationUri().toString(), HttpStatus.SEE_OTHER);
    }

    private void callback(Context ctx) {
        if (!oidc.settings().enabled()) throw new NotFound("error.notFound");
        String binding = ctx.cookie(BINDING_COOKIE);
        ctx.cookie(bindingCookie("", 0));
        OidcLogin.LoggedIn in;
        try {
            in = oidc.finish(redirectUri(ctx), binding, new OidcLogin.Callback(ctx.queryParam("state"), ctx.queryParam("code"),
                    ctx.queryParam("error"), ctx.queryParam("error_description")));
        } catch (OidcFailure e) {
            refused(ctx, e);
            return;
        }
        auth.startSession(ctx, in.opened());
        // A page, not a redirect: this request came from the provider's site, and the browser would not
        // send the new SameSite=Strict session cookie along a redirect that started there.
        views.render(ctx, 200, "continue", Map.of("target", "/"));
    }

    private void refused(Context ctx, OidcFailure e) {
        LOG.warn("single sign-on refused ({}): {}", e.reason(), e.getMessage());
        loginPage.render(ctx, HttpStatus.forStatus(e.reason().status), e.reason().key());
    }

    private Cookie bindingCookie(String value, int maxAge) {
        return new Cookie(BINDING_COOKIE, value, "/oidc", maxAge, secureCookie, true, null, SameSite.LAX);
    }

    /** The redirect URI registered at the provider: PUBLIPOSTAGE_PUBLIC_URL, else this request's scheme and host. */
    static URI redirectUri(Context ctx, OidcSettings settings) {
        return URI.create(base(ctx, settings) + CALLBACK_PATH);
    }

    private URI redirectUri(Context ctx) {
        return redirectUri(ctx, oidc.settings());
    }

    static String base(Context ctx, OidcSettings settings) {
        return settings.publicUrl().isEmpty() ? ctx.scheme() + "://" + ctx.host() : settings.publicUrl();
    }
}

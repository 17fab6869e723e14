package fr.publipostage.web;

import fr.publipostage.sso.OidcSettings;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The login page, shown by the password form's routes and by the single sign-on's (whose errors it
 * shows too): the password form (with its pre-session CSRF cookie) unless {@code PUBLIPOSTAGE_OIDC_ONLY},
 * and the provider's button when single sign-on is configured.
 */
public final class LoginPage {
    private final Auth auth;
    private final Views views;
    private final OidcSettings oidc;
    private final SecureRandom random;

    public LoginPage(Auth auth, Views views, OidcSettings oidc, SecureRandom random) {
        this.auth = auth;
        this.views = views;
        this.oidc = oidc;
        this.random = random;
    }

    /** Whether the password form is offered (and POST /login accepted). */
    boolean passwordForm() {
        return !(oidc.enabled() && oidc.only());
    }

    void render(Context ctx, HttpStatus status, String errorKey) {
        String csrf = ctx.cookie(Auth.PRE_SESSION_CSRF_COOKIE);
        if (csrf == null || csrf.length() < 20) {
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            csrf = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            ctx.cookie(auth.cookie(Auth.PRE_SESSION_CSRF_COOKIE, csrf, -1));
        }
        Map<String, Object> values = new HashMap<>();
        values.put("csrf", csrf);
        values.put("error", errorKey == null ? "" : errorKey);
        values.put("login", errorKey == null ? "" : Optional.ofNullable(ctx.formParam("login")).orElse(""));
        values.put("passwordForm", passwordForm());
        values.put("oidc", oidc.enabled());
        values.put("oidcLabel", oidc.label());
        values.put("loggedOut", ctx.queryParam("logged-out") != null);
        views.render(ctx, status.getCode(), "login", values);
    }
}

package fr.publipostage.web;

import fr.publipostage.security.AccessControl;
import fr.publipostage.security.AccessDenied;
import fr.publipostage.security.Admin;
import fr.publipostage.security.Role;
import fr.publipostage.security.SecondFactor;
import fr.publipostage.security.SessionService;
import fr.publipostage.security.StructureAccess;
import fr.publipostage.security.WebSession;
import fr.publipostage.selection.Scope;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.List;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The one authorization helper every handler calls first: who is asking ({@link #session},
 * {@link #admin}), on which structure and seeing what ({@link #structure}), and whether he may now
 * output credentials ({@link #credentialOutput}). Failures are exceptions that {@link WebServer}
 * turns into 401 / 403 / 404 (JSON under /api, a page or a redirect elsewhere).
 */
public final class Auth {
    public static final String SESSION_COOKIE = "publipostage_session";
    /** Double-submit CSRF token for the forms shown before login. */
    public static final String PRE_SESSION_CSRF_COOKIE = "publipostage_csrf";
    private static final String SESSION_ATTRIBUTE = Lang.SESSION_ATTRIBUTE;

    private final SessionService sessions;
    private final AccessControl access;
    private final SecondFactor secondFactor;
    private final boolean secureCookie;

    public Auth(SessionService sessions, AccessControl access, SecondFactor secondFactor, boolean secureCookie) {
        this.sessions = sessions;
        this.access = access;
        this.secondFactor = secondFactor;
        this.secureCookie = secureCookie;
    }

    /** No live session: 401 for the API, the login page for pages. */
    public static final class NotLoggedIn extends RuntimeException {
        NotLoggedIn() {
            super("not logged in", null, false, false);
        }
    }

    /** Logged in on a one-time password: nothing but the password page until it is changed. */
    public static final class PasswordChangeRequired extends RuntimeException {
        PasswordChangeRequired() {
            super("password change required", null, false, false);
        }
    }

    /** A structure-bound request the admin may make: his session, his right there, and the scope of every query. */
    public record Allowed(WebSession session, StructureAccess access, Scope scope) {
        public Admin admin() {
            return session.admin();
        }

        public long structureId() {
            return access.structure().id();
        }
    }

    /** The session of the request's cookie, if any (loaded once per request). */
    public Optional<WebSession> session(Context ctx) {
        Optional<WebSession> cached = ctx.attribute(SESSION_ATTRIBUTE);
        if (cached != null) return cached;
        Optional<WebSession> found = sessions.find(ctx.cookie(SESSION_COOKIE));
        ctx.attribute(SESSION_ATTRIBUTE, found);
        // The request's log lines name the admin (never his password or a code).
        found.ifPresent(s -> MDC.put("admin", s.admin().login()));
        return found;
    }

    /** A logged-in admin who may use the application (his one-time password already changed). */
    public WebSession admin(Context ctx) {
        WebSession session = anyAdmin(ctx);
        if (session.admin().oneTimePassword()) throw new PasswordChangeRequired();
        return session;
    }

    /** A logged-in admin, even one who must still change his one-time password (password page, logout). */
    public WebSession anyAdmin(Context ctx) {
        return session(ctx).orElseThrow(NotLoggedIn::new);
    }

    /** The schools whose letters this admin may customise: his, except where he is only a class teacher. */
    public List<StructureAccess> customisable(Admin admin) {
        return access.structures(admin).stream().filter(a -> a.role() != Role.CLASS_TEACHER).toList();
    }

    /** Whether this admin may customise the letters of at least one school (the top bar's link). */
    public boolean customises(Admin admin) {
        return !customisable(admin).isEmpty();
    }

    /**
     * The admin's right on the structure named by the path parameter {@code uai}.
     *
     * @throws fr.publipostage.security.AccessDenied 404 unknown structure, 403 not his
     */
    public Allowed structure(Context ctx) {
        WebSession session = admin(ctx);
        StructureAccess right = access.forStructure(session.admin(), ctx.pathParam("uai"));
        return new Allowed(session, right, Scope.of(right));
    }

    /**
     * The structure check, then the template set and the logo are the school's administrators' (a class
     * teacher gets 403).
     */
    public Allowed customisation(Context ctx) {
        Allowed allowed = structure(ctx);
        if (allowed.access().role() == Role.CLASS_TEACHER) throw AccessDenied.forbidden();
        return allowed;
    }

    /**
     * Importing accounts into the school of the path: its administrators (the structure check, then 403
     * for a class teacher); an import that writes also asks for a fresh second factor when the platform
     * requires one (it may change where activation codes are sent).
     */
    public Allowed accountImport(Context ctx, boolean writes) {
        Allowed allowed = customisation(ctx);
        if (writes) secondFactor.requireFreshCode(allowed.session());
        return allowed;
    }

    /**
     * The customisation check, then a fresh second-factor code when the platform asks for one: a
     * template, the school's wording or its logo decide what every letter and mail says (its address,
     * its QR code), so changing them weighs like an output carrying codes.
     */
    public Allowed customisationChange(Context ctx) {
        Allowed allowed = customisation(ctx);
        secondFactor.requireFreshCode(allowed.session());
        return allowed;
    }

    /**
     * Call before any response carrying credentials (CSV, PDF, e-mail campaign): the structure
     * check, then the second factor when the platform requires a fresh TOTP code.
     */
    public Allowed credentialOutput(Context ctx) {
        Allowed allowed = structure(ctx);
        secondFactor.requireFreshCode(allowed.session());
        return allowed;
    }

    /**
     * Whether activation codes may be shown to this session now (table, card, sandbox mailbox): always
     * when the platform asks for no second factor, else only after a fresh code — otherwise they are
     * masked, and "show codes" asks for the code.
     */
    public boolean showsCodes(WebSession session) {
        return secondFactor.codesVisible(session);
    }

    void startSession(Context ctx, SessionService.Opened opened) {
        ctx.attribute(SESSION_ATTRIBUTE, Optional.of(opened.session()));
        MDC.put("admin", opened.session().admin().login());
        ctx.cookie(cookie(SESSION_COOKIE, opened.token(), -1));
    }

    void endSession(Context ctx) {
        session(ctx).ifPresent(sessions::close);
        ctx.attribute(SESSION_ATTRIBUTE, Optional.empty());
        ctx.cookie(cookie(SESSION_COOKIE, "", 0));
    }

    Cookie cookie(String name, String value, int maxAge) {
        return new Cookie(name, value, "/", maxAge, secureCookie, true, null, SameSite.STRICT);
    }

    SessionService sessions() {
        return sessions;
    }
}

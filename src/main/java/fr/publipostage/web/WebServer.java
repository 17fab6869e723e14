package fr.publipostage.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.db.Database;
import fr.publipostage.db.DatabaseErrors;
import fr.publipostage.metrics.Metrics;
import fr.publipostage.security.AccessDenied;
import fr.publipostage.security.SecondFactorRequired;
import fr.publipostage.security.TotpThrottled;
import fr.publipostage.security.WebSession;
import fr.publipostage.selection.InvalidSelection;
import fr.publipostage.templates.Messages;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: security headers, CSRF check on every state-changing request, the route groups
 * (all registered here, in the order given by {@code App}), and one mapping of failures to statuses
 * and messages in the admin's language — JSON under {@code /api/}, pages elsewhere.
 */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final Set<HandlerType> STATE_CHANGING = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
            HandlerType.DELETE);
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private final Database database;
    private final BooleanSupplier stopping;
    private final Messages messages;
    private final ObjectMapper json;
    private final Auth auth;
    private final Views views;
    private final List<RouteGroup> groups;
    private final RequestObserver observer;

    /** @param stopping true once this instance has begun to shut down (then {@code /ready} answers 503) */
    public WebServer(Database database, BooleanSupplier stopping, Messages messages, ObjectMapper json, Auth auth, Views views,
                     List<RouteGroup> groups, Metrics metrics, ClientAddress clients) {
        this.observer = new RequestObserver(metrics, clients);
        this.database = database;
        this.stopping = stopping;
        this.messages = messages;
        this.json = json;
        this.auth = auth;
        this.views = views;
        this.groups = List.copyOf(groups);
    }

    public Javalin create() {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            // What Jetty refuses before any handler (414, 431, 400) is answered as our handlers answer.
            MalformedRequestAnswer malformed = new MalformedRequestAnswer(messages, json);
            config.jetty.modifyServer(server -> server.setErrorHandler(malformed));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(malformed));
            config.staticFiles.add(s -> {
                s.hostedPath = "/assets";
                s.directory = "/web/assets";
                s.location = Location.CLASSPATH;
                s.headers = Map.of("Cache-Control", "no-cache");
            });
            // CodeMirror (the template editor) from its webjar in the jar, under /webjars/: no CDN.
            config.staticFiles.enableWebjars();
            // Uploads (the school's logo) are small: anything larger is refused before it reaches a disk.
            config.jetty.multipartConfig.maxTotalRequestSize(2, io.javalin.config.SizeUnit.MB);
            config.jetty.multipartConfig.maxFileSize(1, io.javalin.config.SizeUnit.MB);
            // First: request id, client address, MDC; last: one log line and the timing by route.
            config.routes.before(observer::begin);
            config.requestLogger.http(observer::end);
            config.routes.before(this::headers);
            config.routes.before(this::databaseAvailable);
            config.routes.before(this::refuseNulCharacters);
            config.routes.beforeMatched(this::checkCsrf);
            config.routes.get("/health", this::health);
            config.routes.get("/ready", this::ready);
            for (RouteGroup group : groups) group.register(config.routes);

            config.routes.exception(Auth.NotLoggedIn.class, (e, ctx) -> {
                if (isApi(ctx) || ctx.method() != HandlerType.GET) {
                    fail(ctx, HttpStatus.UNAUTHORIZED, "auth.loginRequired");
                } else {
                    ctx.redirect("/login", HttpStatus.FOUND);
                }
            });
            config.routes.exception(Auth.PasswordChangeRequired.class, (e, ctx) -> {
                if (isApi(ctx) || ctx.method() != HandlerType.GET) {
                    fail(ctx, HttpStatus.FORBIDDEN, "auth.mustChangePassword");
                } else {
                    ctx.redirect("/password", HttpStatus.FOUND);
                }
            });
            config.routes.exception(AccessDenied.class, (e, ctx) -> {
                if (e.kind() == AccessDenied.Kind.NOT_FOUND) fail(ctx, HttpStatus.NOT_FOUND, "auth.unknownStructure");
                else fail(ctx, HttpStatus.FORBIDDEN, "auth.forbidden");
            });
            config.routes.exception(CsrfRefused.class, (e, ctx) -> fail(ctx, HttpStatus.FORBIDDEN, "auth.csrf"));
            config.routes.exception(SecondFactorRequired.class, (e, ctx) -> fail(ctx, HttpStatus.FORBIDDEN, e.key()));
            config.routes.exception(TotpThrottled.class, (e, ctx) -> {
                ctx.header("Retry-After", String.valueOf(e.waitSeconds()));
                fail(ctx, HttpStatus.TOO_MANY_REQUESTS, "auth.totpThrottled", e.waitMinutes());
            });
            config.routes.exception(InvalidSelection.class, (e, ctx) -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", messages.get(Lang.of(ctx), e.key(), e.value()));
                body.put("code", e.key());
                body.put("parameter", e.parameter());
                ctx.status(HttpStatus.BAD_REQUEST).json(body);
            });
            config.routes.exception(BadRequest.class, (e, ctx) -> fail(ctx, HttpStatus.BAD_REQUEST, e.key(), e.args()));
            // A body that is not the JSON a handler reads is the sender's mistake, not a server error.
            config.routes.exception(com.fasterxml.jackson.core.JsonProcessingException.class,
                    (e, ctx) -> fail(ctx, HttpStatus.BAD_REQUEST, "error.malformedJson"));
            config.routes.exception(NotFound.class, (e, ctx) -> fail(ctx, HttpStatus.NOT_FOUND, e.key()));
            config.routes.exception(DatabaseDown.class, (e, ctx) -> unavailable(ctx));
            // A body Jetty cannot read (a multipart without its boundary, cut short) is the sender's mistake.
            config.routes.exception(org.eclipse.jetty.http.BadMessageException.class,
                    (e, ctx) -> fail(ctx, HttpStatus.BAD_REQUEST, "error.malformedBody"));
            config.routes.exception(jakarta.servlet.ServletException.class, (e, ctx) -> {
                if (e.getCause() instanceof org.eclipse.jetty.http.BadMessageException) {
                    fail(ctx, HttpStatus.BAD_REQUEST, "error.malformedBody");
                } else {
                    unexpected(e, ctx);
                }
            });
            // Javalin's own refusals (a form body over config.http.maxRequestSize, 1 MB: 413) get a sentence
            // in the admin's language rather than its English text; our handlers never throw these.
            long maxBodyMegabytes = Math.max(1, config.http.maxRequestSize / 1_000_000);
            config.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> {
                HttpStatus status = HttpStatus.forStatus(e.getStatus());
                if (status == HttpStatus.CONTENT_TOO_LARGE) fail(ctx, status, "error.bodyTooLarge", maxBodyMegabytes);
                else if (status == HttpStatus.NOT_FOUND) fail(ctx, status, "error.notFound");
                else if (e.getStatus() >= 400 && e.getStatus() < 500) fail(ctx, status, "error.malformedBody");
                else unexpected(e, ctx);
            });
            config.routes.exception(Exception.class, this::unexpected);
            config.routes.error(HttpStatus.NOT_FOUND, ctx -> {
                // Our handlers answer 404 themselves; replace only Javalin's plain-text default.
                String type = ctx.res().getContentType();
                if (type == null || !(type.startsWith("application/json") || type.startsWith("text/html"))) {
                    fail(ctx, HttpStatus.NOT_FOUND, "error.notFound");
                }
            });
        });
    }

    private void unexpected(Exception e, Context ctx) {
        if (DatabaseErrors.isConnectionFailure(e)) {
            // The database went away during this request: the same answer as when it is known to be down.
            LOG.warn("database unavailable during {} {}: {}", ctx.method(), ctx.path(), DatabaseErrors.describe(e));
            database.connectionBroke(e);
            unavailable(ctx);
            return;
        }
        if (DatabaseErrors.isCharacterRefused(e)) {
            // A NUL (or a byte PostgreSQL cannot store) that came some way the guard above does not read.
            fail(ctx, HttpStatus.BAD_REQUEST, "error.controlCharacter");
            return;
        }
        // Logged for the maintainer; the user gets a sentence, never a stack trace.
        LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
        fail(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "error.internal");
    }

    /**
     * A NUL character in a parameter is nobody's typing, and PostgreSQL refuses it in text: 400 before
     * any handler reads it (query string, url-encoded and multipart forms). The import upload's body is
     * a file read as a stream, whatever its label ({@code curl --data-binary} calls it a form): reading
     * it here as a form would consume it.
     */
    private void refuseNulCharacters(Context ctx) {
        refuseNul(ctx.queryParamMap());
        String type = ctx.contentType();
        if (type == null || ImportApi.isUpload(ctx.path())) return;
        if (type.startsWith("application/x-www-form-urlencoded")) {
            refuseNul(ctx.formParamMap());
        } else if (type.startsWith("multipart/form-data")) {
            // The text fields of what a browser's FormData sends; its files are not read here.
            Map<String, List<String>> fields;
            try {
                fields = ctx.formParamMap();
            } catch (RuntimeException unreadable) {
                return;  // a body over the limits or broken: the handler reads it and says which
            }
            refuseNul(fields);
        }
    }

    private static void refuseNul(Map<String, List<String>> params) {
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            if (param.getKey().indexOf('\0') >= 0) throw new BadRequest("error.controlCharacter");
            for (String value : param.getValue()) {
                if (value.indexOf('\0') >= 0) throw new BadRequest("error.controlCharacter");
            }
        }
    }

    /** Errors: JSON {error, code} under /api, else a small page with the same sentence. */
    private void fail(Context ctx, HttpStatus status, String key, Object... args) {
        String text = messages.get(Lang.of(ctx), key, args);
        if (isApi(ctx) || !acceptsHtml(ctx)) {
            ctx.status(status).json(Map.of("error", text, "code", key));
        } else {
            views.render(ctx, status.getCode(), "error", Map.of("message", text));
        }
    }

    static boolean isApi(Context ctx) {
        return ctx.path().startsWith("/api/");
    }

    private static boolean acceptsHtml(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/html");
    }

    private void headers(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Content-Security-Policy", CSP);
        if (!ctx.path().startsWith("/assets/")) ctx.header("Cache-Control", "no-store");
        String lang = ctx.queryParam("lang");
        if (lang != null && ctx.method() == HandlerType.GET) {
            // The language chosen by one click stays for the next pages.
            ctx.cookie(new io.javalin.http.Cookie("lang", Messages.language(lang), "/", 365 * 24 * 3600, false, false, null,
                    io.javalin.http.SameSite.LAX));
        }
    }

    /**
     * Every POST, PUT, PATCH, DELETE must carry the CSRF token of its session (or, before login,
     * the one of the pre-session cookie) in the X-CSRF-Token header or the _csrf form field, and
     * must not come from another origin.
     */
    private void checkCsrf(Context ctx) {
        if (!STATE_CHANGING.contains(ctx.method())) return;
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("null") && !sameOrigin(origin, ctx.host())) throw new CsrfRefused();
        String sent = ctx.header("X-CSRF-Token");
        if (sent == null) {
            String type = ctx.contentType();
            if (type != null && type.startsWith("application/x-www-form-urlencoded")) sent = ctx.formParam("_csrf");
        }
        Optional<WebSession> session = auth.session(ctx);
        String expected = session.isPresent() ? session.get().csrfToken() : ctx.cookie(Auth.PRE_SESSION_CSRF_COOKIE);
        if (sent == null || expected == null || expected.isEmpty()
                || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw new CsrfRefused();
        }
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getAuthority();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * While the database is known to be unavailable (the embedded server is being started again, an
     * external server does not answer), every page and API call answers 503 at once with the time of
     * the next attempt, instead of waiting for the pool and failing with 500. Static files, /health
     * and /ready still answer.
     */
    private void databaseAvailable(Context ctx) {
        if (database.status().available()) return;
        String path = ctx.path();
        if (path.equals("/health") || path.equals("/ready") || path.startsWith("/assets/") || path.startsWith("/webjars/")) return;
        throw new DatabaseDown();
    }

    private void unavailable(Context ctx) {
        int seconds = database.status().available() ? 1 : database.status().retryInSeconds();
        ctx.header("Retry-After", String.valueOf(seconds));
        fail(ctx, HttpStatus.SERVICE_UNAVAILABLE, "db.unavailable", seconds);
    }

    /** Readiness: the database answers, its migrations are applied, and this instance is not shutting down. */
    private void ready(Context ctx) {
        boolean shuttingDown = stopping.getAsBoolean();
        boolean available = database.status().available();
        boolean up = available && database.isUp();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up && !shuttingDown && database.migrated() ? "ready" : "not ready");
        body.put("database", up ? "up" : "down");
        if (!available) body.put("retryInSeconds", database.status().retryInSeconds());
        body.put("migrations", database.migrated() ? "done" : "pending");
        body.put("shuttingDown", shuttingDown);
        ctx.status(up && !shuttingDown && database.migrated() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
    }

    /** Thrown before a request while the database is known to be unavailable. */
    private static final class DatabaseDown extends RuntimeException {
        DatabaseDown() {
            super(null, null, false, false);
        }
    }

    private void health(Context ctx) {
        boolean up = database.isUp();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.put("database", up ? "up" : "down");
        ctx.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
    }
}

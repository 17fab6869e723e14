package fr.publipostage.web;

import fr.publipostage.metrics.Metrics;
import fr.publipostage.security.WebSession;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code GET /metrics}: Prometheus text, for a scraper holding {@code PUBLIPOSTAGE_METRICS_TOKEN}
 * ({@code Authorization: Bearer …}) or a super admin's session; 401 otherwise (403 for other admins).
 */
public final class OperationsRoutes implements RouteGroup {
    private final Auth auth;
    private final Metrics metrics;
    private final String token;

    public OperationsRoutes(Auth auth, Metrics metrics, String token) {
        this.auth = auth;
        this.metrics = metrics;
        this.token = token == null ? "" : token.strip();
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/metrics", this::metrics);
    }

    private void metrics(Context ctx) {
        if (!bearerMatches(ctx.header("Authorization"))) {
            Optional<WebSession> session = auth.session(ctx);
            if (session.isEmpty()) {
                // A scraper, not a browser: 401 with the scheme to use, never the login page.
                ctx.header("WWW-Authenticate", "Bearer realm=\"publipostage metrics\"");
                ctx.status(HttpStatus.UNAUTHORIZED).contentType("text/plain; charset=utf-8").result("unauthorized\n");
                return;
            }
            if (!auth.admin(ctx).admin().superAdmin()) throw fr.publipostage.security.AccessDenied.forbidden();
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    private boolean bearerMatches(String header) {
        if (token.isEmpty() || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return MessageDigest.isEqual(header.substring(7).strip().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }
}

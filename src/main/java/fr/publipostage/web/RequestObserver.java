package fr.publipostage.web;

import fr.publipostage.metrics.Metrics;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Every request: a request id (the proxy's {@code X-Request-Id} when it is a plain token, else a new
 * one; sent back in the response), the client's address ({@link ClientAddress}), the MDC of its log
 * lines ({@code requestId}, {@code client}; {@link Auth} adds {@code admin}), then one log line and one
 * timing by route template and status. Query strings and bodies are never logged.
 */
final class RequestObserver {
    private static final Logger LOG = LoggerFactory.getLogger("fr.publipostage.web.requests");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{8,64}");
    private static final String STARTED = "publipostage.requestStarted";

    private final Metrics metrics;
    private final ClientAddress clients;
    private final SecureRandom random = new SecureRandom();

    RequestObserver(Metrics metrics, ClientAddress clients) {
        this.metrics = metrics;
        this.clients = clients;
    }

    void begin(Context ctx) {
        MDC.clear();
        ctx.attribute(STARTED, System.nanoTime());
        String id = ctx.header("X-Request-Id");
        if (id == null || !REQUEST_ID.matcher(id).matches()) {
            byte[] b = new byte[8];
            random.nextBytes(b);
            id = HexFormat.of().formatHex(b);
        }
        ctx.header("X-Request-Id", id);
        clients.resolve(ctx);
        MDC.put("requestId", id);
        MDC.put("client", ClientAddress.of(ctx));
    }

    void end(Context ctx, Float ms) {
        try {
            Long started = ctx.attribute(STARTED);
            long nanos = started == null ? (long) (ms * 1_000_000) : System.nanoTime() - started;
            String route = route(ctx);
            int status = ctx.statusCode();
            metrics.httpRequest(ctx.method().name(), route, status, nanos);
            if (route.equals("/health") || route.equals("/ready") || route.equals("/metrics") || route.equals("static")) {
                LOG.debug("{} {} {} {} ms", ctx.method(), ctx.path(), status, nanos / 1_000_000);
            } else {
                LOG.info("{} {} {} {} ms", ctx.method(), ctx.path(), status, nanos / 1_000_000);
            }
        } finally {
            MDC.clear();
        }
    }

    /** The matched route's template ("/api/structures/{uai}/campaigns"), bounded for unmatched paths. */
    static String route(Context ctx) {
        Endpoint e = ctx.endpoints().lastHttpEndpoint();
        if (e != null) return e.path;
        String path = ctx.path();
        return path.startsWith("/assets/") || path.startsWith("/webjars/") ? "static" : "unmatched";
    }
}

package fr.publipostage.web;

import fr.publipostage.db.Database;
import fr.publipostage.templates.Messages;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes and error handling. Handlers parse, authorise, call one service and respond. */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final Database database;
    private final Messages messages;

    public WebServer(Database database, Messages messages) {
        this.database = database;
        this.messages = messages;
    }

    public Javalin create() {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/", this::home);
            config.routes.get("/health", this::health);
            config.routes.exception(Exception.class, (e, ctx) -> {
                // Logged for the maintainer; the user gets a sentence, never a stack trace.
                LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR);
                ctx.json(Map.of("error", messages.get(Lang.of(ctx), "error.internal")));
            });
            config.routes.error(HttpStatus.NOT_FOUND, ctx -> {
                // Our handlers answer 404 in JSON themselves; replace only Javalin's plain-text default.
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith("application/json")) {
                    ctx.json(Map.of("error", messages.get(Lang.of(ctx), "error.notFound")));
                }
            });
        });
    }

    private void health(Context ctx) {
        boolean up = database.isUp();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.put("database", up ? "up" : "down");
        ctx.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
    }

    private void home(Context ctx) {
        String lang = Lang.of(ctx);
        String other = lang.equals("fr") ? "en" : "fr";
        ctx.contentType("text/html; charset=utf-8").result("""
                <!DOCTYPE html>
                <html lang="%s"><head><meta charset="utf-8"><title>%s</title>
                <meta name="viewport" content="width=device-width, initial-scale=1"></head>
                <body><main><h1>%s</h1><p>%s</p><p>%s</p>
                <p><a href="/health">%s</a> · <a href="/?lang=%s" lang="%s">%s</a></p></main></body></html>
                """.formatted(lang, Html.escape(messages.get(lang, "app.name")), Html.escape(messages.get(lang, "home.title")),
                Html.escape(messages.get(lang, "home.lead")), Html.escape(messages.get(lang, "home.steps")),
                Html.escape(messages.get(lang, "home.health")), other, other, Html.escape(messages.get(lang, "home.language"))));
    }
}

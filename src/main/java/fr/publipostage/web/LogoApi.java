package fr.publipostage.web;

import fr.publipostage.customisation.Logo;
import fr.publipostage.customisation.LogoRejected;
import fr.publipostage.customisation.LogoService;
import fr.publipostage.templates.Messages;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The school's logo on the template editor's page: the current one, an upload (multipart field
 * {@code file}: PNG, JPEG or SVG, checked and sanitised by {@link LogoService}; a refusal is a 422 with
 * the reason in the admin's language and stores nothing), and its removal. The school's
 * administrators only, like the templates (class teachers get 403).
 */
public final class LogoApi implements RouteGroup {
    private final Auth auth;
    private final LogoService logos;
    private final Messages messages;

    public LogoApi(Auth auth, LogoService logos, Messages messages) {
        this.auth = auth;
        this.logos = logos;
        this.messages = messages;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        String path = "/api/structures/{uai}/logo";
        routes.get(path, this::current);
        routes.post(path, this::upload);
        routes.delete(path, this::remove);
        routes.exception(LogoRejected.class, (e, ctx) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", messages.get(Lang.of(ctx), e.key(), e.args().toArray()));
            body.put("code", e.key());
            ctx.status(HttpStatus.UNPROCESSABLE_CONTENT).json(body);
        });
    }

    private void current(Context ctx) {
        Auth.Allowed allowed = auth.customisation(ctx);
        ctx.json(body(logos.current(allowed.structureId()), Lang.of(ctx), null));
    }

    private void upload(Context ctx) throws IOException {
        Auth.Allowed allowed = auth.customisationChange(ctx);
        String type = ctx.contentType();
        int max = logos.limits().maxBytes();
        UploadedFile file;
        try {
            file = type != null && type.startsWith("multipart/form-data") ? ctx.uploadedFile("file") : null;
        } catch (Exception e) {
            // Jetty refuses a body over the server's upload limits (WebServer), or a broken multipart body.
            if (ctx.contentLength() > max) throw new LogoRejected("logo.tooBig", ctx.contentLength() / 1024, max / 1024);
            throw new LogoRejected("logo.unreadable");
        }
        if (file == null) throw new LogoRejected("logo.empty");
        byte[] bytes;
        // At most one byte over the limit is read: a huge upload is refused without being held in memory.
        try (InputStream in = file.content()) {
            bytes = in.readNBytes(max + 1);
        }
        if (bytes.length > max) throw new LogoRejected("logo.tooBig", Math.max(file.size(), bytes.length) / 1024, max / 1024);
        Logo saved = logos.upload(allowed.structureId(), bytes, allowed.admin().login());
        ctx.json(body(Optional.of(saved), Lang.of(ctx), "editorweb.logo.saved"));
    }

    private void remove(Context ctx) {
        Auth.Allowed allowed = auth.customisationChange(ctx);
        boolean removed = logos.remove(allowed.structureId(), allowed.admin().login());
        ctx.json(body(Optional.empty(), Lang.of(ctx), removed ? "editorweb.logo.removed" : "editorweb.logo.none"));
    }

    private Map<String, Object> body(Optional<Logo> logo, String lang, String messageKey) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("present", logo.isPresent());
        logo.ifPresent(l -> {
            m.put("dataUri", l.dataUri());
            m.put("type", l.originalType());
            m.put("width", l.originalWidth());
            m.put("height", l.originalHeight());
            m.put("uploadedBy", l.uploadedBy());
            m.put("uploadedAt", l.uploadedAt() == null ? null : l.uploadedAt().toString());
            m.put("removed", l.removed());
            if (!l.removed().isEmpty()) m.put("removedMessage", messages.get(lang, "logo.removed", String.join(", ", l.removed())));
        });
        if (messageKey != null) m.put("message", messages.get(lang, messageKey));
        return m;
    }
}

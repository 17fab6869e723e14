package fr.publipostage.web;

import fr.publipostage.customisation.NoSuchTemplate;
import fr.publipostage.customisation.Problem;
import fr.publipostage.customisation.Sample;
import fr.publipostage.customisation.TemplateEditor;
import fr.publipostage.customisation.TemplateRejected;
import fr.publipostage.customisation.TextDiff;
import fr.publipostage.security.StructureAccess;
import fr.publipostage.security.WebSession;
import fr.publipostage.templates.Messages;
import fr.publipostage.templates.StructureTemplates;
import fr.publipostage.templates.TemplateCatalog;
import fr.publipostage.templates.TemplateVersion;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The template editor ("Modèles"): its page, and under {@code /api/structures/{uai}/templates} the
 * files of the school's template set with their state, one file's text, its history, a diff of two
 * versions, save (after the checks: 422 with the problems, 409 when someone saved meanwhile),
 * rollback, reset to the built-in file, and the preview of the real page (PNG) or mail of a draft.
 * For the school's administrators only (class teachers get 403). A preview of a real account shows
 * his activation code: it goes through {@link Auth#credentialOutput}; the synthetic worst case does not.
 */
public final class TemplateApi implements RouteGroup {
    /**
     * The page's policy is the console's but for inline styles: the mail preview's {@code <iframe
     * sandbox srcdoc>} inherits it, and e-mail HTML is styled inline. Scripts stay 'self' only, and the
     * frame's sandbox (no allow-scripts) runs none of the mail's.
     */
    static final String PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    private static final int MAX_COMMENT = 500;

    private final Auth auth;
    private final TemplateEditor editor;
    private final fr.publipostage.customisation.SchoolNameService schoolNames;
    private final Views views;
    private final Messages messages;

    public TemplateApi(Auth auth, TemplateEditor editor, fr.publipostage.customisation.SchoolNameService schoolNames,
                       Views views, Messages messages) {
        this.auth = auth;
        this.editor = editor;
        this.schoolNames = schoolNames;
        this.views = views;
        this.messages = messages;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/templates", this::page);
        String base = "/api/structures/{uai}/templates";
        routes.get(base, this::files);
        routes.get(base + "/{name}", this::file);
        routes.post(base + "/{name}", this::save);
        routes.get(base + "/{name}/fields", this::fields);
        routes.get(base + "/{name}/history", this::history);
        routes.get(base + "/{name}/diff", this::diff);
        routes.post(base + "/{name}/rollback", this::rollback);
        routes.post(base + "/{name}/reset", this::reset);
        routes.post(base + "/{name}/preview.png", this::previewPage);
        routes.post(base + "/{name}/preview-mail", this::previewMail);

        routes.get("/api/structures/{uai}/name-with-article", this::nameWithArticle);
        routes.post("/api/structures/{uai}/name-with-article", this::saveNameWithArticle);

        routes.exception(TemplateRejected.class, (e, ctx) -> rejected(ctx, e.problems()));
        // The service names what was not found: a file or version, or the sample's account.
        routes.exception(NoSuchTemplate.class, (e, ctx) -> refuse(ctx, HttpStatus.NOT_FOUND,
                String.valueOf(e.getMessage()).startsWith("account ") ? "editorweb.noAccount" : "editorweb.notFound"));
        routes.exception(StructureTemplates.ConcurrentEdit.class, (e, ctx) -> {
            String lang = Lang.of(ctx);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", messages.get(lang, "editorweb.concurrent", e.latest()));
            body.put("code", "editorweb.concurrent");
            body.put("latest", e.latest());
            ctx.status(HttpStatus.CONFLICT).json(body);
        });
    }

    private void refuse(Context ctx, HttpStatus status, String key, Object... args) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", messages.get(Lang.of(ctx), key, args));
        body.put("code", key);
        body.put("problems", List.of());
        ctx.status(status).json(body);
    }

    /**
     * 422 with every problem in the admin's language, each with its line and column in the text sent
     * (0: unknown, or in another file of the set).
     */
    private void rejected(Context ctx, List<Problem> problems) {
        String lang = Lang.of(ctx);
        String file = ctx.pathParamMap().get("name");
        String text = ctx.formParam("text");
        List<Map<String, Object>> list = new ArrayList<>();
        for (Problem p : problems) {
            ProblemPositions.Located at = ProblemPositions.locate(p, file,
                    text == null ? null : text.replace("\r\n", "\n").replace('\r', '\n'));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("message", messages.get(lang, p.key(), p.args().toArray()));
            m.put("code", p.key());
            m.put("line", at.line());
            m.put("column", at.column());
            list.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", messages.get(lang, "editorweb.rejected", problems.size()));
        body.put("code", "editorweb.rejected");
        body.put("problems", list);
        ctx.status(HttpStatus.UNPROCESSABLE_CONTENT).json(body);
    }

    /**
     * The page: the schools the admin may customise. None (a class teacher only): a 403 page with the
     * top bar, saying why and where his work is, not a bare error.
     */
    private void page(Context ctx) {
        WebSession web = auth.admin(ctx);
        String lang = Lang.of(ctx);
        List<Map<String, Object>> structures = new ArrayList<>();
        for (StructureAccess a : auth.customisable(web.admin())) {
            structures.add(Map.of("uai", a.structure().uai(), "name", a.structure().name()));
        }
        if (structures.isEmpty()) {
            views.render(ctx, HttpStatus.FORBIDDEN.getCode(), "error", Map.of("csrf", web.csrfToken(), "admin", web.admin(),
                    "customises", false, "notice", true, "heading", messages.get(lang, "editorweb.title"),
                    "message", messages.get(lang, "editorweb.notForClassTeachers")));
            return;
        }
        List<Map<String, Object>> variables = new ArrayList<>();
        for (TemplateCatalog.Variable v : TemplateCatalog.VARIABLES) {
            variables.add(Map.of("name", v.name(), "description", messages.get(lang, v.descriptionKey())));
        }
        Map<String, Object> values = new HashMap<>();
        values.put("csrf", web.csrfToken());
        values.put("admin", web.admin());
        values.put("customises", true);
        values.put("texts", views.scriptTexts(lang));
        values.put("structures", structures);
        values.put("variables", variables);
        ctx.header("Content-Security-Policy", PAGE_CSP);
        views.render(ctx, 200, "templates", values);
    }

    private void files(Context ctx) {
        Auth.Allowed allowed = auth.customisation(ctx);
        String lang = Lang.of(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (TemplateEditor.FileState f : editor.files(allowed.structureId())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("kind", f.kind().name());
            m.put("language", f.language());
            m.put("label", messages.get(lang, TemplateCatalog.entry(f.name()).orElseThrow().descriptionKey()));
            m.put("overridden", f.overridden());
            m.put("version", f.version());
            m.put("author", f.author());
            m.put("savedAt", time(f.savedAt()));
            m.put("comment", f.comment());
            out.add(m);
        }
        ctx.json(out);
    }

    private void file(Context ctx) {
        Auth.Allowed allowed = auth.customisation(ctx);
        TemplateEditor.FileText f = editor.file(allowed.structureId(), ctx.pathParam("name"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("kind", f.kind().name());
        m.put("language", f.language());
        m.put("text", f.text());
        m.put("overridden", f.overridden());
        m.put("version", f.version());
        ctx.json(m);
    }

    /** Saves the text (form fields text, comment, version = the version the admin started from). */
    private void save(Context ctx) {
        Auth.Allowed allowed = auth.customisationChange(ctx);
        String text = ctx.formParam("text");
        if (text == null) throw new BadRequest("editorweb.textMissing");
        Integer expected = optionalInt(ctx.formParam("version"), "version");
        TemplateEditor.Saved saved = editor.save(allowed.structureId(), ctx.pathParam("name"), text, comment(ctx),
                allowed.admin().login(), expected);
        ctx.json(savedBody(saved, Lang.of(ctx), "editorweb.saved"));
    }

    /** The school's name with its article (French texts: "du Lycée Montesquieu"). */
    private void nameWithArticle(Context ctx) {
        Auth.Allowed allowed = auth.customisation(ctx);
        ctx.json(schoolNames.get(allowed.structureId()));
    }

    /** Saves the admin's wording (form field value; empty: derived from the name again). */
    private void saveNameWithArticle(Context ctx) {
        Auth.Allowed allowed = auth.customisationChange(ctx);
        String value = ctx.formParam("value");
        if (value == null) throw new BadRequest("editorweb.article.missing");
        try {
            ctx.json(schoolNames.set(allowed.structureId(), value, allowed.admin().login()));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("editorweb.article.tooLong");
        }
    }

    /** A texts file as the simple mode's documents and fields (the same file, versions and checks). */
    private void fields(Context ctx) {
        Auth.Allowed allowed = auth.customisation(ctx);
        ctx.json(editor.textFields(allowed.structureId(), ctx.pathParam("name")));
    }

    private void history(Context ctx) {
        Auth.Allowed allowed = auth.customisation(ctx);
        String lang = Lang.of(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (TemplateVersion v : editor.history(allowed.structureId(), ctx.pathParam("name"))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", v.version());
            m.put("author", v.author());
            m.put("savedAt", time(v.createdAt()));
            m.put("comment", v.comment());
            m.put("action", v.action());
            m.put("actionLabel", messages.get(lang, "editorweb.action." + v.action()));
            m.put("restoredFrom", v.restoredFrom());
            m.put("overrides", v.overrides());
            out.add(m);
        }
        ctx.json(out);
    }

    /** Line diff {@code from} → {@code to} (0: the built-in file; by default the built-in → the current version). */
    private void diff(Context ctx) {
        Auth.Allowed allowed = auth.customisation(ctx);
        String name = ctx.pathParam("name");
        Integer from = optionalInt(ctx.queryParam("from"), "from");
        Integer to = optionalInt(ctx.queryParam("to"), "to");
        int latest = editor.file(allowed.structureId(), name).version();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (TextDiff.Line l : editor.diff(allowed.structureId(), name, from == null ? 0 : from, to == null ? latest : to)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("op", String.valueOf(l.op()));
            m.put("text", l.text());
            m.put("oldLine", l.oldLine());
            m.put("newLine", l.newLine());
            lines.add(m);
        }
        ctx.json(Map.of("from", from == null ? 0 : from, "to", to == null ? latest : to, "lines", lines));
    }

    private void rollback(Context ctx) {
        Auth.Allowed allowed = auth.customisationChange(ctx);
        Integer version = optionalInt(ctx.formParam("version"), "version");
        if (version == null) throw new BadRequest("editorweb.badNumber", "version");
        TemplateEditor.Saved saved = editor.rollback(allowed.structureId(), ctx.pathParam("name"), version, comment(ctx),
                allowed.admin().login());
        ctx.json(savedBody(saved, Lang.of(ctx), "editorweb.restored"));
    }

    private void reset(Context ctx) {
        Auth.Allowed allowed = auth.customisationChange(ctx);
        TemplateEditor.Saved saved = editor.reset(allowed.structureId(), ctx.pathParam("name"), allowed.admin().login());
        ctx.json(savedBody(saved, Lang.of(ctx), "editorweb.resetDone"));
    }

    /** The page 1 of the PDF the engine prints for the sample, with the draft (form field text; absent: the saved set). */
    private void previewPage(Context ctx) throws IOException {
        Auth.Allowed allowed = auth.customisation(ctx);
        previewable(ctx.pathParam("name"), TemplateCatalog.Kind.PRINT);
        Sample sample = sample(ctx);
        if (sample.kind() == Sample.Kind.ACCOUNT) allowed = auth.credentialOutput(ctx);
        Integer asked = optionalInt(ctx.formParam("layout"), "layout");
        int layout = asked == null ? 1 : asked;
        if (layout != 1 && layout != 2 && layout != 8) throw new BadRequest("editorweb.badLayout");
        byte[] png = editor.previewPage(allowed.structureId(), ctx.pathParam("name"), ctx.formParam("text"), sample,
                layout, language(ctx), allowed.scope(), allowed.admin().login(), document(ctx));
        ctx.contentType("image/png").result(png);
    }

    /** The mail the sample would receive with the draft: subject, HTML and text parts. */
    private void previewMail(Context ctx) {
        Auth.Allowed allowed = auth.customisation(ctx);
        previewable(ctx.pathParam("name"), TemplateCatalog.Kind.MAIL);
        Sample sample = sample(ctx);
        if (sample.kind() == Sample.Kind.ACCOUNT) allowed = auth.credentialOutput(ctx);
        TemplateEditor.MailPreview mail = editor.previewMail(allowed.structureId(), ctx.pathParam("name"),
                ctx.formParam("text"), sample, language(ctx), allowed.scope(), allowed.admin().login());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", mail.subject());
        m.put("html", mail.html());
        m.put("text", mail.text());
        ctx.json(m);
    }

    private Map<String, Object> savedBody(TemplateEditor.Saved saved, String lang, String key) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", saved.name());
        m.put("version", saved.version());
        m.put("overridden", saved.overridden());
        m.put("message", messages.get(lang, key, saved.version()));
        List<Map<String, Object>> warnings = new ArrayList<>();
        for (fr.publipostage.customisation.Problem w : saved.warnings()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("message", messages.get(lang, w.key(), w.args().toArray()));
            one.put("line", w.line());
            one.put("column", w.column());
            warnings.add(one);
        }
        m.put("warnings", warnings);
        return m;
    }

    /** A letter file previews as a page, a mail file as a mail; the texts files as either. */
    private static void previewable(String name, TemplateCatalog.Kind as) {
        TemplateCatalog.Entry entry = TemplateCatalog.entry(name).orElseThrow(() -> new NoSuchTemplate(name));
        if (entry.kind() != as && entry.kind() != TemplateCatalog.Kind.TEXTS) throw new BadRequest("editorweb.wrongPreview");
    }

    private static Sample sample(Context ctx) {
        try {
            return Sample.parse(ctx.formParam("sample"));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("editorweb.badSample");
        }
    }

    /** The sample's language (fr or en); anything else is refused rather than silently replaced. */
    private static String language(Context ctx) {
        String lang = ctx.formParam("language");
        if (lang == null || lang.isBlank()) return null;
        if (!Messages.LANGUAGES.contains(lang)) throw new BadRequest("editorweb.badLanguage");
        return lang;
    }

    /** What a texts file's sample page shows: letter (default), card or cover. */
    private static TemplateEditor.PreviewDocument document(Context ctx) {
        String d = ctx.formParam("document");
        if (d == null || d.isBlank()) return TemplateEditor.PreviewDocument.LETTER;
        return switch (d) {
            case "letter" -> TemplateEditor.PreviewDocument.LETTER;
            case "card" -> TemplateEditor.PreviewDocument.CARD;
            case "cover" -> TemplateEditor.PreviewDocument.COVER;
            default -> throw new BadRequest("editorweb.badDocument");
        };
    }

    private static String comment(Context ctx) {
        String comment = ctx.formParam("comment");
        if (comment != null && comment.length() > MAX_COMMENT) throw new BadRequest("editorweb.commentTooLong", MAX_COMMENT);
        return comment;
    }

    private static Integer optionalInt(String value, String name) {
        if (value == null || value.isBlank()) return null;
        if (!value.matches("[0-9]{1,9}")) throw new BadRequest("editorweb.badNumber", name);
        return Integer.parseInt(value);
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }
}

package fr.publipostage.web;

import fr.publipostage.directory.ImportProblem;
import fr.publipostage.directory.ImportRejected;
import fr.publipostage.directory.ImportReport;
import fr.publipostage.directory.Profile;
import fr.publipostage.imports.AccountImports;
import fr.publipostage.imports.NoSuchUpload;
import fr.publipostage.security.AccessDenied;
import fr.publipostage.security.StructureAccess;
import fr.publipostage.security.WebSession;
import fr.publipostage.templates.Messages;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Importer des comptes": the page, and under {@code /api/structures/{uai}/imports} the upload of a file
 * (the request's body, at most {@code PUBLIPOSTAGE_IMPORT_MAX_MB}) answered by its dry run — new,
 * updated with the fields, unchanged, absent accounts, or every problem by line and column (422) — then
 * "Appliquer" (one transaction, audited) or its discarding. For the school's administrators (a local
 * admin his schools, a super admin any; class teachers get 403), with the same importer as the command
 * line. A local admin's import never touches, gives or lists the platform's super-admin accounts.
 */
public final class ImportApi implements RouteGroup {
    private final Auth auth;
    private final AccountImports imports;
    private final Views views;
    private final Messages messages;

    public ImportApi(Auth auth, AccountImports imports, Views views, Messages messages) {
        this.auth = auth;
        this.imports = imports;
        this.views = views;
        this.messages = messages;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/import", this::page);
        String base = "/api/structures/{uai}/imports";
        routes.post(base, this::check);
        routes.post(base + "/{upload}/apply", this::apply);
        routes.delete(base + "/{upload}", this::discard);
        routes.exception(ImportRejected.class, (e, ctx) -> rejected(ctx, e));
        routes.exception(NoSuchUpload.class, (e, ctx) -> refuse(ctx, HttpStatus.NOT_FOUND, "importweb.noUpload"));
    }

    private void page(Context ctx) {
        WebSession web = auth.admin(ctx);
        List<Map<String, Object>> structures = new ArrayList<>();
        for (StructureAccess a : auth.customisable(web.admin())) {
            structures.add(Map.of("uai", a.structure().uai(), "name", a.structure().name()));
        }
        if (structures.isEmpty()) throw AccessDenied.forbidden();
        Map<String, Object> values = new HashMap<>();
        values.put("csrf", web.csrfToken());
        values.put("admin", web.admin());
        values.put("customises", true);
        values.put("texts", views.scriptTexts(Lang.of(ctx)));
        values.put("structures", structures);
        values.put("maxMb", Math.max(1, imports.maxBytes() / (1024 * 1024)));
        values.put("maxBytes", imports.maxBytes());
        views.render(ctx, 200, "import", values);
    }

    /** Whether {@code path} is the upload route, whose body is the file itself ({@code /api/structures/UAI/imports}). */
    static boolean isUpload(String path) {
        return path.startsWith("/api/structures/") && path.endsWith("/imports")
                && path.chars().filter(c -> c == '/').count() == 4;
    }

    /** The file is the request's body; {@code ?name=} its name. Answers the dry run, or 422 with the problems. */
    private void check(Context ctx) throws IOException, ImportRejected {
        Auth.Allowed allowed = auth.accountImport(ctx, false);
        int max = imports.maxBytes();
        if (ctx.contentLength() > max) {
            refuse(ctx, HttpStatus.CONTENT_TOO_LARGE, "import.tooBig", ctx.contentLength() / 1024, max / 1024);
            return;
        }
        byte[] content;
        // At most one byte over the limit is read: a huge upload is refused without being held in memory.
        try (InputStream in = ctx.bodyInputStream()) {
            content = in.readNBytes(max + 1);
        }
        if (content.length > max) {
            refuse(ctx, HttpStatus.CONTENT_TOO_LARGE, "import.tooBig", content.length / 1024, max / 1024);
            return;
        }
        String name = fileName(ctx.queryParam("name"));
        AccountImports.Checked checked = imports.check(allowed.access().structure(), allowed.scope().hideSuperAdmins(),
                allowed.admin().login(), name, content);
        Map<String, Object> body = report(checked.report(), Lang.of(ctx));
        body.put("id", checked.uploadId());
        body.put("fileName", name);
        ctx.json(body);
    }

    private void apply(Context ctx) throws IOException, ImportRejected, NoSuchUpload {
        Auth.Allowed allowed = auth.accountImport(ctx, true);
        ImportReport report = imports.apply(ctx.pathParam("upload"), allowed.access().structure(),
                allowed.scope().hideSuperAdmins(), allowed.admin().login());
        String lang = Lang.of(ctx);
        Map<String, Object> body = report(report, lang);
        body.put("message", messages.get(lang, "importweb.applied", report.created(), report.updated(), report.unchanged()));
        ctx.json(body);
    }

    private void discard(Context ctx) throws NoSuchUpload {
        Auth.Allowed allowed = auth.accountImport(ctx, false);
        String id = ctx.pathParam("upload");
        if (!imports.discard(id, allowed.access().structure(), allowed.admin().login())) throw new NoSuchUpload(id);
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /** The name the browser gave, kept short and printable (it is shown and audited, never used as a path). */
    private static String fileName(String name) {
        if (name == null || name.isBlank()) return "import.csv";
        String clean = name.replaceAll("[\\p{Cntrl}/\\\\]", "_").strip();
        return clean.length() > 200 ? clean.substring(0, 200) : clean;
    }

    private Map<String, Object> report(ImportReport r, String lang) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", r.format());
        m.put("formatLabel", messages.get(lang, "importweb.format." + r.format()));
        m.put("lines", r.lines());
        m.put("created", r.created());
        m.put("updated", r.updated());
        m.put("unchanged", r.unchanged());
        m.put("absent", r.absent());
        m.put("newClasses", r.newClasses());
        m.put("applied", r.applied());
        m.put("listLimit", AccountImports.WEB_LIST_LIMIT);
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Map.Entry<String, Integer> f : r.changedFields().entrySet()) {
            fields.add(Map.of("field", f.getKey(), "label", messages.get(lang, "import.field." + f.getKey()), "count", f.getValue()));
        }
        m.put("changedFields", fields);
        m.put("createdAccounts", entries(r.createdAccounts(), lang));
        m.put("updatedAccounts", entries(r.updatedAccounts(), lang));
        m.put("absentAccounts", entries(r.absentAccounts(), lang));
        return m;
    }

    private List<Map<String, Object>> entries(List<ImportReport.Entry> entries, String lang) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ImportReport.Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", e.line());
            m.put("login", e.login());
            m.put("lastName", e.lastName());
            m.put("firstName", e.firstName());
            m.put("profile", e.profile());
            m.put("profileLabel", Profile.parse(e.profile()).map(p -> messages.get(lang, "ui.profile." + p.name())).orElse(""));
            m.put("fields", e.fields().stream().map(f -> messages.get(lang, "import.field." + f)).toList());
            out.add(m);
        }
        return out;
    }

    /** 422: the file is refused, nothing written; every problem (the first 1,000) with its line and column. */
    private void rejected(Context ctx, ImportRejected e) {
        String lang = Lang.of(ctx);
        List<Map<String, Object>> problems = new ArrayList<>();
        for (ImportProblem p : e.problems()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", p.line());
            m.put("column", p.column());
            m.put("message", messages.get(lang, p.reason(), p.args().toArray()));
            m.put("code", p.reason());
            problems.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", messages.get(lang, "import.rejected", e.total()));
        body.put("code", "import.rejected");
        body.put("total", e.total());
        body.put("problems", problems);
        ctx.status(HttpStatus.UNPROCESSABLE_CONTENT).json(body);
    }

    private void refuse(Context ctx, HttpStatus status, String key, Object... args) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", messages.get(Lang.of(ctx), key, args));
        body.put("code", key);
        body.put("problems", List.of());
        ctx.status(status).json(body);
    }
}

package fr.publipostage.web;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.PostalRules;
import fr.publipostage.directory.SchoolClass;
import fr.publipostage.security.AccessControl;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.security.AuditLog;
import fr.publipostage.security.Role;
import fr.publipostage.security.SecondFactor;
import fr.publipostage.security.StructureAccess;
import fr.publipostage.security.WebSession;
import fr.publipostage.selection.AccountCard;
import fr.publipostage.selection.CsvExport;
import fr.publipostage.selection.Presets;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionMapper;
import fr.publipostage.selection.SelectionService;
import fr.publipostage.templates.Messages;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON API of steps 1 and 2, structure by UAI in the path: what the admin may use, the
 * selection's counts and one window of its rows, the account card, the CSV export. Every
 * structure route starts with {@link Auth#structure} (or {@link Auth#credentialOutput}).
 */
public final class SelectionApi implements RouteGroup {
    public static final int DEFAULT_LIMIT = 50;
    /** Presets that make sense for a class teacher (pupils and parents of his classes). */
    private static final Set<String> CLASS_TEACHER_PRESETS = Set.of("pupils", "parents", "newcomers");

    private final Auth auth;
    private final AccessControl access;
    private final SelectionService selections;
    private final Presets presets;
    private final CsvExport csv;
    private final AuditLog audit;
    private final SecondFactor secondFactor;
    private final Messages messages;
    private final DownloadNames names;
    private final Clock clock;

    public SelectionApi(Auth auth, AccessControl access, SelectionService selections, Presets presets, CsvExport csv,
                        AuditLog audit, SecondFactor secondFactor, Messages messages, Clock clock) {
        this.auth = auth;
        this.access = access;
        this.selections = selections;
        this.presets = presets;
        this.csv = csv;
        this.audit = audit;
        this.secondFactor = secondFactor;
        this.messages = messages;
        this.names = new DownloadNames(messages);
        this.clock = clock;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/me", this::me);
        routes.post("/api/totp/verify", this::verifyTotp);
        routes.get("/api/structures", this::structures);
        routes.get("/api/structures/{uai}/levels", this::levels);
        routes.get("/api/structures/{uai}/classes", this::classes);
        routes.get("/api/structures/{uai}/presets", this::presets);
        routes.get("/api/structures/{uai}/selection", this::selection);
        routes.get("/api/structures/{uai}/accounts/{id}", this::card);
        routes.get("/api/structures/{uai}/export.csv", this::exportCsv);
    }

    private void me(Context ctx) {
        WebSession web = auth.admin(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("login", web.admin().login());
        body.put("displayName", web.admin().displayName());
        body.put("superAdmin", web.admin().superAdmin());
        body.put("viaProvider", web.viaProvider());
        body.put("language", Lang.of(ctx));
        body.put("totpEnrolled", web.admin().totpSecret() != null);
        body.put("totpRequired", secondFactor.required());
        body.put("totpFresh", web.totpFresh());
        ctx.json(body);
    }

    /**
     * A code from the admin's authenticator, typed before an output that carries credentials (form field
     * or JSON {@code {"code": "123456"}}). Wrong codes are limited: {@code 429} with the wait (WebServer).
     */
    private void verifyTotp(Context ctx) {
        WebSession web = auth.admin(ctx);
        String code = ctx.isJson() ? jsonCode(ctx) : ctx.formParam("code");
        if (web.admin().totpSecret() == null) throw new BadRequest("auth.totpEnrolRequired");
        if (!secondFactor.confirmCode(web, code)) throw new BadRequest("auth.totpBadCode");
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /** The {@code code} of a JSON body; anything else (not JSON, not an object, a code that is not text) is a 400. */
    private static String jsonCode(Context ctx) {
        Object sent;
        try {
            Object body = ctx.bodyAsClass(Object.class);
            if (!(body instanceof Map<?, ?> map)) throw new BadRequest("auth.totpMalformed");
            sent = map.get("code");
        } catch (BadRequest e) {
            throw e;
        } catch (Exception e) {
            // Jackson's parse errors arrive unchecked from Kotlin code but are checked IOExceptions.
            throw new BadRequest("auth.totpMalformed");
        }
        if (sent == null) return null;
        if (!(sent instanceof String) && !(sent instanceof Number)) throw new BadRequest("auth.totpMalformed");
        return String.valueOf(sent);
    }

    private void structures(Context ctx) {
        WebSession web = auth.admin(ctx);
        String lang = Lang.of(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (StructureAccess a : access.structures(web.admin())) out.add(structure(a, lang));
        ctx.json(out);
    }

    private Map<String, Object> structure(StructureAccess a, String lang) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uai", a.structure().uai());
        m.put("name", a.structure().name());
        m.put("role", a.role().name());
        m.put("roleLabel", messages.get(lang, "ui.role." + a.role().name()));
        // The profiles the form offers: those this admin can ever see in the school.
        m.put("profiles", Scope.of(a).profiles().stream().map(Enum::name).toList());
        return m;
    }

    private void levels(Context ctx) {
        Auth.Allowed allowed = auth.structure(ctx);
        ctx.json(selections.levels(allowed.structureId(), allowed.scope()));
    }

    private void classes(Context ctx) {
        Auth.Allowed allowed = auth.structure(ctx);
        List<String> levels = new ArrayList<>();
        for (String v : ctx.queryParams("level")) {
            for (String l : v.split(",")) if (!l.isBlank()) levels.add(l.strip());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (SchoolClass c : selections.classes(allowed.structureId(), levels, allowed.scope())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("level", c.level());
            out.add(m);
        }
        ctx.json(out);
    }

    private void presets(Context ctx) {
        Auth.Allowed allowed = auth.structure(ctx);
        String lang = Lang.of(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Presets.Preset p : presets.all()) {
            if (allowed.access().role() == Role.CLASS_TEACHER && !CLASS_TEACHER_PRESETS.contains(p.id())) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("label", messages.get(lang, "preset." + p.id()));
            m.put("hint", messages.get(lang, "preset." + p.id() + ".hint"));
            m.put("parameters", p.parameters());
            out.add(m);
        }
        ctx.json(out);
    }

    /** Counts and one window of rows of the selection: {@code offset} (0…) and {@code limit} (1…500, default 50). */
    private void selection(Context ctx) {
        Auth.Allowed allowed = auth.structure(ctx);
        Selection selection = selections.parse(allowed.structureId(), ctx.queryParamMap());
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE / 2);
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, SelectionService.MAX_PAGE);
        String lang = Lang.of(ctx);
        SelectionMapper.Counts counts = selections.count(selection, allowed.scope());
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean codes = auth.showsCodes(allowed.session());
        if (!codes && selection.order() != null && selection.order().column() == Selection.Column.activationCode) {
            // Ordered by codes it does not show, the table would tell how they compare: its usual order instead.
            selection = selection.withOrder(null);
        }
        for (Account a : selections.page(selection, allowed.scope(), offset, limit)) rows.add(row(a, lang, codes));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", counts.total());
        body.put("withoutEmail", counts.withoutEmail());
        body.put("withoutPostal", counts.withoutPostal());
        body.put("offset", offset);
        body.put("limit", limit);
        body.put("selection", selection.toParameters());
        body.put("codesMasked", !codes);
        body.put("rows", rows);
        ctx.json(body);
    }

    /** The mask shown instead of an activation code until a fresh TOTP code (leak 4 of issue 10). */
    static final String MASKED_CODE = "••••••••";

    /**
     * One row of the table. {@code codes} false (the platform asks for a second factor and none was typed
     * lately): a pending account shows the mask, never its code.
     */
    private Map<String, Object> row(Account a, String lang, boolean codes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("lastName", a.lastName());
        m.put("firstName", a.firstName());
        m.put("profile", a.profile().name());
        m.put("profileLabel", messages.get(lang, "ui.profile." + a.profile().name()));
        m.put("login", a.displayLogin());
        boolean masked = !codes && a.activationCode() != null;
        m.put("activationCode", masked ? MASKED_CODE : a.activationCode());
        m.put("codeMasked", masked);
        m.put("pending", !a.activated());
        m.put("email", a.email());
        // The address bounced for good (bounces/): shown until an import brings another one.
        m.put("emailBounce", a.emailBounce());
        m.put("classes", a.classes());
        m.put("createdAt", a.createdAt() == null ? null : a.createdAt().toString());
        return m;
    }

    private void card(Context ctx) {
        Auth.Allowed allowed = auth.structure(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFound("card.notFound");
        }
        AccountCard card = selections.card(allowed.structureId(), id, allowed.scope())
                .orElseThrow(() -> new NotFound("card.notFound"));
        String lang = Lang.of(ctx);
        Account a = card.account();
        boolean codes = auth.showsCodes(allowed.session());
        Map<String, Object> body = row(a, lang, codes);
        body.put("loginName", a.login());
        body.put("loginAlias", a.loginAlias());
        body.put("level", a.level());
        body.put("functions", a.functions());
        body.put("blocked", a.blocked());
        body.put("language", a.language());
        body.put("postalAddress", a.postalAddress());
        body.put("postalLines", PostalRules.shown(a.postalAddress()));
        List<Map<String, Object>> relatives = new ArrayList<>();
        for (Account r : card.relatives()) relatives.add(row(r, lang, codes));
        body.put("relatives", relatives);
        ctx.json(body);
    }

    /** The list as CSV, streamed; recorded in the audit log since it carries activation codes. */
    private void exportCsv(Context ctx) {
        Auth.Allowed allowed = auth.credentialOutput(ctx);
        Selection selection = selections.parse(allowed.structureId(), ctx.queryParamMap());
        String lang = Lang.of(ctx);
        String uai = allowed.access().structure().uai();
        String file = names.accounts(uai, selection, lang, LocalDate.now(clock));
        // Recorded before the first byte leaves, so an interrupted download is recorded too.
        int count = selections.count(selection, allowed.scope()).total();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("uai", uai);
        details.put("role", allowed.access().role().name());
        details.put("selection", selection.toParameters());
        details.put("language", lang);
        details.put("file", file);
        audit.record(allowed.admin().login(), AuditEvent.CSV_EXPORT, allowed.structureId(), count, details);
        ctx.status(HttpStatus.OK);
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        csv.write(selection, allowed.scope(), lang, ctx.outputStream());
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) throw new BadRequest("check.badWindow", name, v);
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest("check.badWindow", name, v);
        }
    }
}

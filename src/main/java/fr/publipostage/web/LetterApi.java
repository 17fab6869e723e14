package fr.publipostage.web;

import fr.publipostage.customisation.PrintDefaults;
import fr.publipostage.directory.Account;
import fr.publipostage.letters.LetterEngine;
import fr.publipostage.letters.LetterFailure;
import fr.publipostage.letters.LetterService;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionService;
import fr.publipostage.templates.Messages;
import fr.publipostage.templates.TemplateError;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 3, print: the sample page (PNG of the real page 1), printing the check step's selection —
 * directly in the response when it is small, else as a background job whose progress, cancel and
 * one-time download live here too — and one person's letter from the account card. Everything is
 * under the school's UAI ({@link Auth#structure}: 404 unknown school, 403 not his); a job must be one
 * of that school's (404 otherwise) and its admin's (403). Anything showing an activation code (the
 * PDFs and the sample page) goes through {@link Auth#credentialOutput}.
 */
public final class LetterApi implements RouteGroup {
    private final Auth auth;
    private final SelectionService selections;
    private final LetterService letters;
    private final Messages messages;
    private final DownloadNames names;
    /** Response header of the sample page: what page 1 holds ({@link LetterService.PageHolds}). */
    static final String SAMPLE_HOLDS = "X-Sample-Holds";

    private final PrintDefaults printDefaults;

    public LetterApi(Auth auth, SelectionService selections, LetterService letters, PrintDefaults printDefaults,
                     Messages messages) {
        this.printDefaults = printDefaults;
        this.auth = auth;
        this.selections = selections;
        this.letters = letters;
        this.messages = messages;
        this.names = new DownloadNames(messages);
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        String base = "/api/structures/{uai}/letters";
        routes.get(base + "/preview.png", this::preview);
        routes.post(base, this::print);
        routes.get(base + "/jobs/{job}", this::progress);
        routes.post(base + "/jobs/{job}/cancel", this::cancel);
        routes.get(base + "/jobs/{job}/pdf", this::download);
        routes.get(base + "/accounts/{id}", this::account);
        routes.get("/api/structures/{uai}/print-defaults", this::printDefaults);
        routes.post("/api/structures/{uai}/print-defaults", this::savePrintDefaults);

        routes.exception(LetterService.JobUnavailable.class, (e, ctx) -> refuse(ctx, switch (e.key()) {
            case "job.notYours" -> HttpStatus.FORBIDDEN;
            case "job.notDone" -> HttpStatus.CONFLICT;
            case "render.empty" -> HttpStatus.BAD_REQUEST;
            default -> HttpStatus.NOT_FOUND;
        }, e.key()));
        // A letter that does not fit its page names the account and the template: the admin can act on it.
        routes.exception(LetterFailure.class, (e, ctx) -> refuse(ctx, HttpStatus.UNPROCESSABLE_CONTENT, e.key(),
                e.args().toArray()));
        // A window-envelope print refusing accounts without a postal address: the count and the first of them.
        routes.exception(LetterService.WithoutPostalAddress.class, (e, ctx) -> {
            String lang = Lang.of(ctx);
            List<Map<String, Object>> listed = new java.util.ArrayList<>();
            for (fr.publipostage.directory.Account a : e.listed()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", a.id());
                m.put("lastName", a.lastName());
                m.put("firstName", a.firstName());
                m.put("login", a.displayLogin());
                m.put("classes", a.classes());
                listed.add(m);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", messages.get(lang, "render.noPostalAddress", e.count(), names(e.listed(), 10)));
            body.put("code", "render.noPostalAddress");
            body.put("withoutAddress", e.count());
            body.put("withoutAddressListed", listed);
            ctx.status(HttpStatus.UNPROCESSABLE_CONTENT).json(body);
        });
        // The sandbox's sentence in the admin's language (file, line, what), as the template editor says it.
        routes.exception(TemplateError.class, (e, ctx) -> refuse(ctx, HttpStatus.UNPROCESSABLE_CONTENT, "job.failed",
                messages.get(Lang.of(ctx), e.messageKey(), e.messageArgs())));
    }

    /** "Prénom Nom (login), …" for the first {@code max} accounts, and "…" when there are more. */
    static String names(List<fr.publipostage.directory.Account> accounts, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(max, accounts.size()); i++) {
            if (i > 0) b.append(", ");
            b.append(accounts.get(i).displayName()).append(" (").append(accounts.get(i).displayLogin()).append(')');
        }
        if (accounts.size() > max) b.append(", …");
        return b.toString();
    }

    private void refuse(Context ctx, HttpStatus status, String key, Object... args) {
        ctx.status(status).json(Map.of("error", messages.get(Lang.of(ctx), key, args), "code", key));
    }

    /** The check step's selection, from the query string and (for POST) the form body. */
    private Selection selection(Context ctx, Auth.Allowed allowed) {
        Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
        String type = ctx.contentType();
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) params.putAll(ctx.formParamMap());
        params.remove("_csrf");
        params.remove("pdfa");
        return selections.parse(allowed.structureId(), params);
    }

    /** {@code pdfa=yes|no} of the request (query or form), else the school's default. */
    private boolean archive(Context ctx, Auth.Allowed allowed) {
        String value = ctx.queryParam("pdfa");
        if (value == null) value = ctx.formParam("pdfa");
        if (value == null || value.isEmpty()) return printDefaults.archive(allowed.structureId());
        return yesNo(value, "pdfa");
    }

    private static boolean yesNo(String value, String name) {
        return switch (value) {
            case "yes", "true", "on" -> true;
            case "no", "false", "off" -> false;
            default -> throw new BadRequest("printweb.badYesNo", name, value);
        };
    }

    /** The school's print defaults; {@code editable}: whether this admin may change them. */
    private void printDefaults(Context ctx) {
        Auth.Allowed allowed = auth.structure(ctx);
        ctx.json(new PrintDefaultsBody(printDefaults.archive(allowed.structureId()),
                allowed.access().role() != fr.publipostage.security.Role.CLASS_TEACHER));
    }

    /** A school admin sets the default ({@code archive=yes|no}, form field). */
    private void savePrintDefaults(Context ctx) {
        Auth.Allowed allowed = auth.customisation(ctx);
        String value = ctx.formParam("archive");
        if (value == null) throw new BadRequest("printweb.badYesNo", "archive", "");
        boolean archive = printDefaults.setArchive(allowed.structureId(), yesNo(value, "archive"), allowed.admin().login());
        ctx.json(new PrintDefaultsBody(archive, true));
    }

    record PrintDefaultsBody(boolean archive, boolean editable) {
    }

    /** The real page 1 of this selection's print, as it will print (it shows a real activation code). */
    private void preview(Context ctx) throws IOException {
        Auth.Allowed allowed = auth.credentialOutput(ctx);
        LetterService.SamplePage page = letters.sample(selection(ctx, allowed), allowed.scope(), allowed.admin().login());
        // What the page shows (cover, code, noCode): the page's caption says it, and only it.
        ctx.header(SAMPLE_HOLDS, page.holds().name());
        ctx.contentType("image/png").result(page.png());
    }

    /**
     * Prints the selection: a small one at once (200, the PDF), a large one as a job (202, its status).
     * The direct PDF is made in memory first (a few hundred pages at most), so a letter that overflows
     * is a clear 422, never a half-sent file.
     */
    private void print(Context ctx) throws IOException {
        Auth.Allowed allowed = auth.credentialOutput(ctx);
        Selection selection = selection(ctx, allowed);
        String login = allowed.admin().login();
        if (!letters.printsDirectly(selection, allowed.scope())) {
            long id = letters.submit(selection, allowed.scope(), login, archive(ctx, allowed));
            ctx.status(HttpStatus.ACCEPTED).json(statusBody(letters.status(id, login), allowed, Lang.of(ctx)));
            return;
        }
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        LetterEngine.Result r = letters.print(selection, allowed.scope(), login, "web", pdf, LetterEngine.Progress.NONE,
                archive(ctx, allowed));
        if (r.accounts() == 0) throw new LetterService.JobUnavailable("render.empty");
        sendPdf(ctx, names.letters(allowed.access().structure().uai(), selection, Lang.of(ctx)), pdf.toByteArray());
    }

    private static void sendPdf(Context ctx, String file, byte[] pdf) {
        ctx.contentType("application/pdf");
        ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        ctx.result(pdf);
    }

    /** The job of the path: it must exist, be the school's (404 otherwise) and the admin's (403). */
    private LetterService.JobStatus job(Context ctx, Auth.Allowed allowed) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("job"));
        } catch (NumberFormatException e) {
            throw new LetterService.JobUnavailable("job.notFound");
        }
        // Another school's job is as unknown as a missing one; another admin's job of the school is his.
        if (letters.structureOfJob(id) != allowed.structureId()) throw new LetterService.JobUnavailable("job.notFound");
        return letters.status(id, allowed.admin().login());
    }

    private void progress(Context ctx) {
        Auth.Allowed allowed = auth.structure(ctx);
        ctx.json(statusBody(job(ctx, allowed), allowed, Lang.of(ctx)));
    }

    private void cancel(Context ctx) {
        Auth.Allowed allowed = auth.structure(ctx);
        LetterService.JobStatus status = job(ctx, allowed);
        letters.cancel(status.id(), allowed.admin().login());
        ctx.json(statusBody(letters.status(status.id(), allowed.admin().login()), allowed, Lang.of(ctx)));
    }

    /** The finished PDF, once: it holds credentials and is deleted as soon as it has been sent. */
    private void download(Context ctx) throws IOException {
        Auth.Allowed allowed = auth.credentialOutput(ctx);
        LetterService.JobStatus status = job(ctx, allowed);
        if (!status.state().equals("done")) {
            throw new LetterService.JobUnavailable(status.state().equals("expired") ? "job.notFound" : "job.notDone");
        }
        ctx.contentType("application/pdf");
        String file = names.letters(allowed.access().structure().uai(), letters.jobSelection(status.id()), Lang.of(ctx));
        ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        letters.download(status.id(), allowed.admin().login(), ctx.outputStream());
    }

    /** "Print this person's letter" from the card: one account the admin may see, in the chosen layout. */
    private void account(Context ctx) throws IOException {
        Auth.Allowed allowed = auth.credentialOutput(ctx);
        long accountId;
        try {
            accountId = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFound("card.notFound");
        }
        Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
        params.remove("pdfa");
        Selection options = selections.parse(allowed.structureId(), params);
        int layout = options.layout();
        Account account = selections.account(allowed.structureId(), accountId, allowed.scope())
                .orElseThrow(() -> new NotFound("card.notFound"));
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        try {
            letters.printAccount(allowed.structureId(), accountId, options, allowed.scope(), allowed.admin().login(), pdf,
                    archive(ctx, allowed));
        } catch (LetterService.JobUnavailable e) {
            if (e.key().equals("render.empty")) throw new NotFound("card.notFound");
            throw e;
        }
        sendPdf(ctx, names.letter(account, layout, Lang.of(ctx)), pdf.toByteArray());
    }

    private Map<String, Object> statusBody(LetterService.JobStatus s, Auth.Allowed allowed, String lang) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("state", s.state());
        m.put("stateLabel", messages.get(lang, "printweb.state." + s.state()));
        m.put("finished", !s.state().equals("queued") && !s.state().equals("running"));
        m.put("pagesDone", s.pagesDone());
        m.put("pagesTotal", s.pagesTotal());
        m.put("percent", s.percent());
        m.put("secondsLeft", s.secondsLeft());
        m.put("accounts", s.accounts());
        m.put("bytes", s.bytes());
        m.put("error", s.errorKey() == null ? null : messages.get(lang, s.errorKey(), s.errorArgs().toArray()));
        String url = "/api/structures/" + allowed.access().structure().uai() + "/letters/jobs/" + s.id();
        m.put("url", url);
        m.put("downloadUrl", s.state().equals("done") ? url + "/pdf" : null);
        return m;
    }
}

package fr.publipostage.web;

import fr.publipostage.directory.Account;
import fr.publipostage.mailing.Campaign;
import fr.publipostage.mailing.CampaignPreview;
import fr.publipostage.mailing.CampaignProgress;
import fr.publipostage.mailing.CampaignRefused;
import fr.publipostage.mailing.CampaignService;
import fr.publipostage.mailing.SmtpProblem;
import fr.publipostage.mailing.MailKind;
import fr.publipostage.mailing.Recipient;
import fr.publipostage.mailing.RecipientFilter;
import fr.publipostage.mailing.SandboxMailbox;
import fr.publipostage.security.Role;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionService;
import fr.publipostage.templates.Messages;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Step 3, e-mail: the confirmation counts, starting a campaign from the check step's selection, its
 * progress, the per-recipient table, the ledger CSV, pause / resume / cancel / resend to failed, and
 * the sandbox mailbox (JSON, a page, each message's HTML for a sandboxed iframe). Everything is
 * under the school's UAI: {@link Auth#structure} first (404 unknown school, 403 not his), then the
 * campaign must be one of that school's (404 otherwise). Class teachers hand out printed letters
 * only: every route here answers them 403 ({@code mailweb.printOnly}).
 */
public final class CampaignApi implements RouteGroup {
    public static final int DEFAULT_RECIPIENTS = 50;
    public static final int MAX_RECIPIENTS = 200;
    /** People without an address listed in the confirmation (all are in the CSV). */
    public static final int LISTED_WITHOUT_ADDRESS = 100;
    public static final int SANDBOX_PAGE = 20;
    /** The HTML of a captured message: nothing but inline styles and data: images, no script, no network. */
    private static final String MAIL_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
            + "frame-ancestors 'self'; sandbox";
    private static final int CAMPAIGNS_LISTED = 20;
    private static final int ALL_CAMPAIGNS = 100_000;

    private final Auth auth;
    private final SelectionService selections;
    private final CampaignService campaigns;
    private final Supplier<SandboxMailbox> sandbox;
    private final Views views;
    private final Messages messages;

    /** {@code sandbox} gives the running sandbox mailbox, or null when a real SMTP server is configured. */
    public CampaignApi(Auth auth, SelectionService selections, CampaignService campaigns, Supplier<SandboxMailbox> sandbox,
                       Views views, Messages messages) {
        this.auth = auth;
        this.selections = selections;
        this.campaigns = campaigns;
        this.sandbox = sandbox;
        this.views = views;
        this.messages = messages;
    }

    /** A class teacher asked for e-mail: he hands out printed letters only. */
    static final class PrintOnly extends RuntimeException {
        PrintOnly() {
            super("print only", null, false, false);
        }
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        String base = "/api/structures/{uai}/campaigns";
        routes.get(base + "/preview", this::preview);
        routes.post(base, this::start);
        routes.get(base, this::list);
        routes.get(base + "/{campaign}", this::progress);
        routes.get(base + "/{campaign}/recipients", this::recipients);
        routes.get(base + "/{campaign}/ledger.csv", this::ledger);
        routes.post(base + "/{campaign}/pause", ctx -> act(ctx, "pause"));
        routes.post(base + "/{campaign}/resume", ctx -> act(ctx, "resume"));
        routes.post(base + "/{campaign}/cancel", ctx -> act(ctx, "cancel"));
        routes.post(base + "/{campaign}/resend-failed", ctx -> act(ctx, "resend-failed"));
        routes.get("/api/structures/{uai}/sandbox", this::sandboxList);
        routes.get("/api/structures/{uai}/sandbox/{message}/html", this::sandboxHtml);
        routes.get("/sandbox/{uai}", this::sandboxPage);

        routes.exception(PrintOnly.class, (e, ctx) -> refuse(ctx, HttpStatus.FORBIDDEN, "mailweb.printOnly"));
        routes.exception(CampaignRefused.class, (e, ctx) -> refuse(ctx, switch (e.key()) {
            case "campaign.refused.notFound" -> HttpStatus.NOT_FOUND;
            case "campaign.refused.nothingToSend" -> HttpStatus.BAD_REQUEST;
            default -> HttpStatus.CONFLICT;
        }, e.key()));
    }

    private void refuse(Context ctx, HttpStatus status, String key) {
        String text = messages.get(Lang.of(ctx), key);
        if (WebServer.isApi(ctx)) ctx.status(status).json(Map.of("error", text, "code", key));
        else views.render(ctx, status.getCode(), "error", Map.of("message", text));
    }

    /** The structure check, then e-mail is for the school's administrators only. */
    private Auth.Allowed mailer(Context ctx) {
        Auth.Allowed allowed = auth.structure(ctx);
        if (allowed.access().role() == Role.CLASS_TEACHER) throw new PrintOnly();
        return allowed;
    }

    /** A school administrator with a fresh second factor when the platform asks for one. */
    private Auth.Allowed sender(Context ctx) {
        Auth.Allowed allowed = auth.credentialOutput(ctx);
        if (allowed.access().role() == Role.CLASS_TEACHER) throw new PrintOnly();
        return allowed;
    }

    /** The campaign of the path, which must be one of the school's (404 otherwise, as if unknown). */
    private Campaign campaign(Context ctx, Auth.Allowed allowed) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("campaign"));
        } catch (NumberFormatException e) {
            throw new CampaignRefused("campaign.refused.notFound");
        }
        Campaign c = campaigns.find(id);
        if (c.structureId() != allowed.structureId()) throw new CampaignRefused("campaign.refused.notFound");
        return c;
    }

    // ------------------------------------------------------------------ confirmation and start

    private void preview(Context ctx) {
        Auth.Allowed allowed = mailer(ctx);
        Selection selection = selections.parse(allowed.structureId(), ctx.queryParamMap());
        CampaignPreview p = campaigns.preview(selection, allowed.scope());
        String lang = Lang.of(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("selected", p.selected());
        body.put("toMail", p.toMail());
        body.put("activations", p.activations());
        body.put("reminders", p.reminders());
        body.put("withoutAddress", p.withoutAddress().size());
        body.put("blocked", p.blocked().size());
        body.put("sandbox", p.sandbox());
        body.put("withoutAddressListed", people(p.withoutAddress(), LISTED_WITHOUT_ADDRESS, lang));
        body.put("blockedListed", people(p.blocked(), LISTED_WITHOUT_ADDRESS, lang));
        ctx.json(body);
    }

    private List<Map<String, Object>> people(List<Account> accounts, int max, String lang) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Account a : accounts.subList(0, Math.min(max, accounts.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lastName", a.lastName());
            m.put("firstName", a.firstName());
            m.put("profileLabel", messages.get(lang, "ui.profile." + a.profile().name()));
            m.put("login", a.displayLogin());
            m.put("classes", a.classes());
            out.add(m);
        }
        return out;
    }

    /**
     * Starts a campaign on the selection sent in the body (or the query string), parsed exactly like
     * the check step's. The mails carry activation codes: a fresh TOTP code when the platform wants one.
     */
    private void start(Context ctx) {
        Auth.Allowed allowed = sender(ctx);
        Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
        String type = ctx.contentType();
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) params.putAll(ctx.formParamMap());
        params.remove("_csrf");
        Selection selection = selections.parse(allowed.structureId(), params);
        Campaign c = campaigns.start(selection, allowed.scope(), allowed.admin().login());
        ctx.status(HttpStatus.CREATED).json(progressBody(campaigns.progress(c.id(), allowed.scope()), Lang.of(ctx)));
    }

    // ------------------------------------------------------------------ following a campaign

    private void list(Context ctx) {
        Auth.Allowed allowed = mailer(ctx);
        String lang = Lang.of(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Campaign c : campaigns.list(allowed.structureId(), CAMPAIGNS_LISTED)) {
            out.add(progressBody(campaigns.progress(c.id(), allowed.scope()), lang));
        }
        ctx.json(out);
    }

    private void progress(Context ctx) {
        Auth.Allowed allowed = mailer(ctx);
        Campaign c = campaign(ctx, allowed);
        ctx.json(progressBody(campaigns.progress(c.id(), allowed.scope()), Lang.of(ctx)));
    }

    private Map<String, Object> progressBody(CampaignProgress p, String lang) {
        Campaign c = p.campaign();
        CampaignProgress.Counts n = p.counts();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("total", n.total());
        counts.put("toSend", n.toSend());
        counts.put("sent", n.sent());
        counts.put("failed", n.failed());
        counts.put("pending", n.pending());
        counts.put("sending", n.sending());
        counts.put("skipped", n.skipped());
        counts.put("cancelled", n.cancelled());
        counts.put("bounced", n.bounced());
        counts.put("delayed", n.delayed());
        counts.put("unreached", n.unreached());
        counts.put("percentDone", n.percentDone());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("status", c.status().name());
        m.put("statusLabel", messages.get(lang, "campaign.status." + c.status().name()));
        m.put("over", c.isOver());
        m.put("createdAt", c.createdAt());
        m.put("createdBy", c.createdBy());
        m.put("finishedAt", c.finishedAt());
        m.put("sandbox", c.sandbox());
        m.put("route", c.mailRouteLabel());
        // A running campaign that no running instance can send (none has its mail route): said, not waited on.
        m.put("sendable", p.sendable());
        m.put("stalled", p.stalled());
        m.put("stalledLabel", p.stalled() ? messages.get(lang, "campaign.unsendable",
                c.mailRouteLabel() == null ? "?" : c.mailRouteLabel()) : null);
        SmtpProblem problem = c.pauseProblem();
        if (problem != null) {
            // Paused by a worker: this instance's SMTP settings must be fixed (issue 17 §2).
            Map<String, Object> pause = new LinkedHashMap<>();
            pause.put("code", problem.code);
            pause.put("message", campaigns.pauseSentence(c, lang));
            pause.put("settings", problem.settings.stream().map(s -> s.envName).toList());
            pause.put("detail", c.pauseReason());
            m.put("pause", pause);
        }
        m.put("counts", counts);
        return m;
    }

    /** One page of the per-recipient table: {@code status} (comma list), {@code kind}, {@code search}, {@code offset}, {@code limit}. */
    private void recipients(Context ctx) {
        Auth.Allowed allowed = mailer(ctx);
        Campaign c = campaign(ctx, allowed);
        RecipientFilter filter = new RecipientFilter(statuses(ctx), kind(ctx), ctx.queryParam("search"),
                intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE / 2),
                intParam(ctx, "limit", DEFAULT_RECIPIENTS, 1, MAX_RECIPIENTS));
        CampaignService.RecipientPage page = campaigns.recipients(c.id(), filter, allowed.scope());
        String lang = Lang.of(ctx);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Recipient r : page.rows()) rows.add(recipient(r, lang));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", page.total());
        body.put("offset", filter.offset());
        body.put("limit", filter.limit());
        body.put("rows", rows);
        ctx.json(body);
    }

    private Map<String, Object> recipient(Recipient r, String lang) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("lastName", r.lastName());
        m.put("firstName", r.firstName());
        m.put("profileLabel", messages.get(lang, "ui.profile." + r.profile()));
        m.put("login", r.login());
        m.put("classes", r.classes());
        m.put("kind", r.kind().name());
        m.put("kindLabel", messages.get(lang, "campaign.kind." + r.kind().name()));
        m.put("status", r.status().name());
        m.put("statusLabel", messages.get(lang, "campaign.recipient." + r.status().name()));
        m.put("address", r.address());
        OffsetDateTime time = r.sentAt() != null ? r.sentAt() : r.lastAttemptAt();
        m.put("time", time);
        m.put("attempts", r.attempts());
        m.put("reason", r.reasonCode() == null ? null : messages.get(lang, "campaign.reason." + r.reasonCode())
                + (r.reasonDetail().isEmpty() ? "" : " — " + r.reasonDetail()));
        // What the recipient's server reported after accepting nothing or delaying it (bounces/).
        m.put("bouncedAt", r.bouncedAt());
        m.put("bounce", r.bounceStatus() == null ? null : messages.get(lang, "mailweb.bounceReason", r.bounceStatus(),
                r.bounceDiagnostic() == null ? "" : r.bounceDiagnostic()));
        m.put("delayedAt", r.delayedAt());
        m.put("delay", r.delayStatus() == null ? null : messages.get(lang, "mailweb.delayReason", r.delayStatus(),
                r.delayDiagnostic() == null ? "" : r.delayDiagnostic()));
        return m;
    }

    private static Set<Recipient.Status> statuses(Context ctx) {
        Set<Recipient.Status> out = EnumSet.noneOf(Recipient.Status.class);
        for (String v : ctx.queryParams("status")) {
            for (String s : v.split(",")) {
                if (s.isBlank()) continue;
                try {
                    out.add(Recipient.Status.valueOf(s.strip().toLowerCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new BadRequest("mailweb.badStatus", s.strip());
                }
            }
        }
        return out;
    }

    private static MailKind kind(Context ctx) {
        String v = ctx.queryParam("kind");
        if (v == null || v.isBlank()) return null;
        try {
            return MailKind.valueOf(v.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("mailweb.badKind", v.strip());
        }
    }

    /** The ledger as CSV (no activation code in it). */
    private void ledger(Context ctx) {
        Auth.Allowed allowed = mailer(ctx);
        Campaign c = campaign(ctx, allowed);
        String file = "campagne-" + c.id() + "-" + allowed.access().structure().uai() + ".csv";
        ctx.status(HttpStatus.OK);
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        campaigns.writeLedgerCsv(c.id(), allowed.scope(), Lang.of(ctx), ctx.outputStream());
    }

    private void act(Context ctx, String action) {
        // Resuming and resending send mails carrying codes, as a start does: the same fresh second factor.
        boolean sendsCodes = action.equals("resume") || action.equals("resend-failed");
        Auth.Allowed allowed = sendsCodes ? sender(ctx) : mailer(ctx);
        Campaign c = campaign(ctx, allowed);
        String login = allowed.admin().login();
        Map<String, Object> body;
        switch (action) {
            case "pause" -> campaigns.pause(c.id(), login);
            case "resume" -> campaigns.resume(c.id(), login);
            case "cancel" -> campaigns.cancel(c.id(), login);
            default -> {
                int rows = campaigns.resendFailed(c.id(), login);
                body = progressBody(campaigns.progress(c.id(), allowed.scope()), Lang.of(ctx));
                body.put("resent", rows);
                ctx.json(body);
                return;
            }
        }
        ctx.json(progressBody(campaigns.progress(c.id(), allowed.scope()), Lang.of(ctx)));
    }

    // ------------------------------------------------------------------ sandbox mailbox

    /** The running sandbox, or 404 when mails go to a real server. */
    private SandboxMailbox box() {
        SandboxMailbox box = sandbox.get();
        if (box == null) throw new NotFound("mailweb.noSandbox");
        return box;
    }

    /**
     * Messages the viewer may see: those of the school's campaigns (their Message-ID starts with a
     * campaign's token), except those of ledger rows his scope hides (a local admin never sees the mail
     * of a SUPER_ADMIN account, whoever started the campaign). The row is the Message-ID's second part.
     */
    private Predicate<String> visibleTo(Auth.Allowed allowed) {
        Set<String> prefixes = campaigns.list(allowed.structureId(), ALL_CAMPAIGNS).stream().map(c -> "<" + c.token() + ".")
                .collect(Collectors.toSet());
        Set<Long> hidden = campaigns.hiddenRecipients(allowed.structureId(), allowed.scope());
        return id -> {
            int dot = id.indexOf('.');
            if (dot <= 0 || !prefixes.contains(id.substring(0, dot + 1))) return false;
            Long row = recipientOf(id);
            return row != null && !hidden.contains(row);
        };
    }

    /** The ledger row of a Message-ID {@code <campaign-token.row@domain>}, or null. */
    static Long recipientOf(String messageId) {
        int dot = messageId.indexOf('.');
        int at = messageId.indexOf('@', dot + 1);
        if (dot < 0 || at < 0) return null;
        try {
            return Long.parseLong(messageId.substring(dot + 1, at));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private SandboxMailbox.Page sandboxPage(Context ctx, Auth.Allowed allowed) {
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE / 2);
        int limit = intParam(ctx, "limit", SANDBOX_PAGE, 1, MAX_RECIPIENTS);
        SandboxMailbox.Page page = box().messages(visibleTo(allowed), offset, limit);
        if (auth.showsCodes(allowed.session())) return page;
        return new SandboxMailbox.Page(masked(page.messages()), page.total());
    }

    /**
     * Without a fresh second-factor code (when the platform asks for one), a captured mail shows its
     * envelope only (date, sender, recipient): its subject, text and HTML are masked whole. Replacing the
     * code where it appears is not enough: a template may print it in any form (in pieces, in lower
     * case, as a QR code).
     */
    private static List<SandboxMailbox.CapturedMail> masked(List<SandboxMailbox.CapturedMail> mails) {
        List<SandboxMailbox.CapturedMail> out = new ArrayList<>();
        for (SandboxMailbox.CapturedMail m : mails) {
            out.add(new SandboxMailbox.CapturedMail(m.index(), m.date(), m.messageId(), m.from(), m.to(), MASK,
                    m.html() == null ? null : "", MASK));
        }
        return out;
    }

    static final String MASK = "••••••••";

    private void sandboxList(Context ctx) {
        Auth.Allowed allowed = mailer(ctx);
        SandboxMailbox.Page page = sandboxPage(ctx, allowed);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SandboxMailbox.CapturedMail m : page.messages()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", m.index());
            row.put("date", m.date());
            row.put("from", m.from());
            row.put("to", m.to());
            row.put("subject", m.subject());
            row.put("text", m.text());
            row.put("htmlUrl", "/api/structures/" + allowed.access().structure().uai() + "/sandbox/" + m.index() + "/html");
            rows.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("notDelivered", messages.get(Lang.of(ctx), "sandbox.notDelivered"));
        body.put("codesMasked", !auth.showsCodes(allowed.session()));
        body.put("total", page.total());
        body.put("messages", rows);
        ctx.json(body);
    }

    /** One message's HTML, for the page's {@code <iframe sandbox="">}: its own strict policy, framable by us only. */
    private void sandboxHtml(Context ctx) {
        Auth.Allowed allowed = mailer(ctx);
        SandboxMailbox box = box();
        int index;
        try {
            index = Integer.parseInt(ctx.pathParam("message"));
        } catch (NumberFormatException e) {
            throw new NotFound("mailweb.noMessage");
        }
        String id = box.messageId(index);
        if (id == null || !visibleTo(allowed).test(id)) throw new NotFound("mailweb.noMessage");
        SandboxMailbox.CapturedMail mail = box.message(index);
        if (!auth.showsCodes(allowed.session())) mail = masked(List.of(mail)).get(0);
        ctx.header("Content-Security-Policy", MAIL_CSP);
        ctx.header("X-Frame-Options", "SAMEORIGIN");
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(mail.html() == null ? "" : mail.html());
    }

    /** The sandbox mailbox page: captured mails of the school, each labelled "not delivered". */
    private void sandboxPage(Context ctx) {
        Auth.Allowed allowed = mailer(ctx);
        SandboxMailbox.Page page = sandboxPage(ctx, allowed);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE / 2);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("csrf", allowed.session().csrfToken());
        values.put("admin", allowed.admin());
        values.put("customises", auth.customises(allowed.admin()));
        values.put("uai", allowed.access().structure().uai());
        values.put("structureName", allowed.access().structure().name());
        values.put("mails", page.messages());
        values.put("codesMasked", !auth.showsCodes(allowed.session()));
        values.put("total", page.total());
        values.put("offset", offset);
        values.put("previous", offset > 0 ? Math.max(0, offset - SANDBOX_PAGE) : -1);
        values.put("next", offset + page.messages().size() < page.total() ? offset + SANDBOX_PAGE : -1);
        values.put("from", page.total() == 0 ? 0 : offset + 1);
        values.put("to", offset + page.messages().size());
        views.render(ctx, 200, "sandbox", values);
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

package fr.publipostage.mailing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.Structure;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.security.AuditLog;
import fr.publipostage.selection.ExcelCsv;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionService;
import fr.publipostage.templates.Messages;
import fr.publipostage.templates.TemplateVariables;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * E-mail campaigns for the web handlers and the command line: the confirmation counts, starting a
 * campaign (campaign + one ledger row per selected account, in one transaction), progress, the
 * per-recipient table, the ledger CSV, pause / resume / cancel / resend to failed. Authorisation
 * (may this admin act on this structure?) is the caller's: {@link Campaign#structureId()} says which.
 */
public final class CampaignService {
    private static final DateTimeFormatter CSV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final SqlSessionFactory sessions;
    private final SelectionService selections;
    private final MailComposer composer;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final MailSettings settings;
    private final Messages messages;

    public CampaignService(SqlSessionFactory sessions, SelectionService selections, MailComposer composer,
                           AuditLog audit, ObjectMapper json, MailSettings settings, Messages messages) {
        this.sessions = sessions;
        this.selections = selections;
        this.composer = composer;
        this.audit = audit;
        this.json = json;
        this.settings = settings;
        this.messages = messages;
    }

    /** The structure with this UAI, or null (for the command line). */
    public Structure structureByUai(String uai) {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(DirectoryMapper.class).findStructureByUai(uai);
        }
    }

    /** The structure a campaign was sent for, or null when there is no such campaign (for the command line). */
    public Structure structureOfCampaign(long campaignId) {
        try (SqlSession s = sessions.openSession(true)) {
            Campaign c = s.getMapper(CampaignMapper.class).findCampaign(campaignId);
            return c == null ? null : s.getMapper(DirectoryMapper.class).findStructureById(c.structureId());
        }
    }

    /** The confirmation step: the same accounts {@link #start} will write, counted and sorted out. */
    public CampaignPreview preview(Selection selection, Scope scope) {
        int[] counts = new int[4];
        List<Account> withoutAddress = new ArrayList<>();
        List<Account> blocked = new ArrayList<>();
        selections.forEach(selection, scope, a -> {
            counts[0]++;
            String skip = skipReason(a);
            if (Reason.BLOCKED.equals(skip)) blocked.add(a);
            else if (Reason.NO_EMAIL.equals(skip)) withoutAddress.add(a);
            else {
                counts[1]++;
                counts[MailKind.of(a) == MailKind.activation ? 2 : 3]++;
            }
        });
        return new CampaignPreview(counts[0], counts[1], counts[2], counts[3], withoutAddress, blocked, settings.sandbox());
    }

    /** The selection of the people without an address, e.g. for the check step's CSV export. */
    public static Selection withoutAddress(Selection s) {
        return new Selection(s.structureId(), s.profiles(), s.levels(), s.classes(), s.activation(),
                Selection.EmailFilter.without, s.localAdmin(), s.createdAfter(), s.createdBefore(), s.sort(),
                s.layout(), s.cover(), Selection.Search.NONE, null, s.outcome(), s.postal(), null);
    }

    private static String skipReason(Account a) {
        if (a.blocked()) return Reason.BLOCKED;
        if (!a.hasEmail()) return Reason.NO_EMAIL;
        return null;
    }

    /**
     * Starts a campaign: in ONE transaction, the campaign (who, when, structure, the Selection and
     * Scope as JSON, template versions, rate) and one ledger row per account of the selection —
     * {@code pending}, or {@code skipped} with its reason (no-email, blocked) — read by
     * {@link SelectionService#list}, the check step's query. The workers take it from there: those whose
     * mail route is this instance's ({@link MailSettings#route()}), recorded on the campaign.
     *
     * <p>The selection is read before the transaction opens, so that no pooled connection is held
     * while another one is awaited (with many simultaneous starts, each would wait for a second
     * connection that none of the others gives back).
     *
     * @throws CampaignRefused campaign.refused.nothingToSend when no selected account can get a mail
     */
    public Campaign start(Selection selection, Scope scope, String adminLogin) {
        Structure structure;
        try (SqlSession s = sessions.openSession(true)) {
            structure = s.getMapper(DirectoryMapper.class).findStructureById(selection.structureId());
        }
        if (structure == null) throw new IllegalArgumentException("no structure " + selection.structureId());
        Map<String, String> versions = composer.templateVersions(structure);
        List<Account> accounts = selections.list(selection, scope);
        long campaignId;
        int[] counts = new int[3];
        try (SqlSession s = sessions.openSession(ExecutorType.BATCH, false)) {
            CampaignMapper m = s.getMapper(CampaignMapper.class);
            campaignId = m.insertCampaign(structure.id(), adminLogin, write(selection), write(scope), write(versions),
                    settings.campaignRatePerMinute(), settings.effectiveFrom(), settings.sandbox(), settings.route(),
                    settings.routeLabel());
            accounts.forEach(a -> {
                String skip = skipReason(a);
                counts[skip == null ? 0 : Reason.BLOCKED.equals(skip) ? 1 : 2]++;
                m.insertRecipient(new CampaignMapper.NewRecipient(campaignId, counts[0] + counts[1] + counts[2],
                        a.id(), a.displayLogin(), a.lastName(), a.firstName(), a.profile().name(),
                        String.join(", ", a.classes() == null ? List.of() : a.classes()), MailKind.of(a).name(),
                        TemplateVariables.language(a, structure), write(a), a.hasEmail() ? a.email().trim() : null,
                        skip == null ? Recipient.Status.pending.name() : Recipient.Status.skipped.name(), skip));
            });
            if (counts[0] == 0) {
                s.rollback();
                throw new CampaignRefused("campaign.refused.nothingToSend");
            }
            s.flushStatements();
            s.commit(true);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("campaign", campaignId);
        details.put("event", "started");
        details.put("toSend", counts[0]);
        details.put("blocked", counts[1]);
        details.put("withoutEmail", counts[2]);
        details.put("sandbox", settings.sandbox());
        details.put("selection", json.convertValue(selection, Map.class));
        audit.record(adminLogin, AuditEvent.MAIL_CAMPAIGN, structure.id(), counts[0], details);
        return find(campaignId);
    }

    public Campaign find(long campaignId) {
        try (SqlSession s = sessions.openSession(true)) {
            Campaign c = s.getMapper(CampaignMapper.class).findCampaign(campaignId);
            if (c == null) throw new CampaignRefused("campaign.refused.notFound");
            return c;
        }
    }

    /** The structure's campaigns, newest first. */
    public List<Campaign> list(long structureId, int limit) {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(CampaignMapper.class).listCampaigns(structureId, limit);
        }
    }

    /** The progress bar, every row counted (the workers', the tests'). */
    public CampaignProgress progress(long campaignId) {
        return progress(campaignId, Scope.EVERYTHING);
    }

    /**
     * The progress bar as the viewer may see it: the campaign and the counts (sent / failed / pending /
     * sending / skipped / cancelled) of the rows his {@code scope} shows — a local admin never counts
     * the SUPER_ADMIN accounts a super admin's campaign reached.
     */
    public CampaignProgress progress(long campaignId, Scope scope) {
        try (SqlSession s = sessions.openSession(true)) {
            CampaignMapper m = s.getMapper(CampaignMapper.class);
            Campaign c = m.findCampaign(campaignId);
            if (c == null) throw new CampaignRefused("campaign.refused.notFound");
            CampaignProgress.Counts counts = m.progress(campaignId, scope);
            boolean sendable = c.isOver() || m.routeServed(c.mailRoute());
            return new CampaignProgress(c, counts, sendable);
        }
    }

    /**
     * Why a worker paused this campaign, as a sentence naming the settings to fix (issue 17 §2), in
     * {@code language}; null when it was not paused for its SMTP settings.
     */
    public String pauseSentence(Campaign c, String language) {
        SmtpProblem problem = c.pauseProblem();
        if (problem == null) return null;
        return messages.get(language, "campaign.pause." + problem.code, c.pauseServer() == null ? "" : c.pauseServer());
    }

    /** A page of the per-recipient table, and how many rows match the filter in all. */
    public record RecipientPage(List<Recipient> rows, int total) {
    }

    public RecipientPage recipients(long campaignId, RecipientFilter filter) {
        return recipients(campaignId, filter, Scope.EVERYTHING);
    }

    /** A page of the rows the viewer's {@code scope} shows (the same rule as the check step's). */
    public RecipientPage recipients(long campaignId, RecipientFilter filter, Scope scope) {
        try (SqlSession s = sessions.openSession(true)) {
            CampaignMapper m = s.getMapper(CampaignMapper.class);
            return new RecipientPage(m.recipients(campaignId, filter, scope), m.countRecipients(campaignId, filter, scope));
        }
    }

    /**
     * Ledger rows of the structure's campaigns that the viewer's {@code scope} does not show (by id), so
     * that the sandbox mailbox leaves their messages out too. Few: a local admin's hidden accounts.
     */
    public java.util.Set<Long> hiddenRecipients(long structureId, Scope scope) {
        if (!scope.hideSuperAdmins() && scope.onlyClassIds() == null) return java.util.Set.of();
        try (SqlSession s = sessions.openSession(true)) {
            return new java.util.HashSet<>(s.getMapper(CampaignMapper.class).hiddenRecipients(structureId, scope));
        }
    }

    public Campaign pause(long campaignId, String adminLogin) {
        return transition(campaignId, adminLogin, "paused", List.of(Campaign.Status.running), Campaign.Status.paused,
                "campaign.refused.notRunning");
    }

    public Campaign resume(long campaignId, String adminLogin) {
        return transition(campaignId, adminLogin, "resumed", List.of(Campaign.Status.paused), Campaign.Status.running,
                "campaign.refused.notPaused");
    }

    /** Cancels: pending rows become cancelled; a message already in the server's hands is recorded as sent. */
    public Campaign cancel(long campaignId, String adminLogin) {
        return transition(campaignId, adminLogin, "cancelled", List.of(Campaign.Status.running, Campaign.Status.paused),
                Campaign.Status.cancelled, "campaign.refused.over");
    }

    private Campaign transition(long campaignId, String adminLogin, String event, List<Campaign.Status> from,
                                Campaign.Status to, String refusal) {
        Campaign c;
        try (SqlSession s = sessions.openSession(false)) {
            CampaignMapper m = s.getMapper(CampaignMapper.class);
            c = m.lockCampaign(campaignId);
            if (c == null) throw new CampaignRefused("campaign.refused.notFound");
            if (!from.contains(c.status())) throw new CampaignRefused(refusal);
            m.setStatus(campaignId, from.stream().map(Enum::name).toList(), to.name(), adminLogin);
            if (to == Campaign.Status.running && adoptsThisRoute(c)) {
                // Paused for the SMTP settings, resumed by an instance whose settings were corrected (a
                // login added, the TLS mode or port fixed): they are the campaign's route from now on.
                m.reroute(campaignId, settings.route(), settings.routeLabel());
            }
            if (to == Campaign.Status.cancelled) m.cancelPending(campaignId, Reason.CANCELLED);
            s.commit(true);
        }
        audit.record(adminLogin, AuditEvent.MAIL_CAMPAIGN, c.structureId(), null,
                Map.of("campaign", campaignId, "event", event));
        return find(campaignId);
    }

    /** A campaign paused for a configuration problem takes the route of the real server that resumes it. */
    private boolean adoptsThisRoute(Campaign c) {
        return c.pauseProblem() != null && !settings.sandbox() && c.mailRoute() != null
                && !MailSettings.SANDBOX_ROUTE.equals(c.mailRoute()) && !c.mailRoute().equals(settings.route());
    }

    /**
     * "Resend to failed": only the failed rows go back to pending (attempts reset); sent rows are never
     * sent again — writing to everyone again takes a new campaign. A finished campaign runs again; a
     * paused one stays paused. Returns the number of rows put back.
     */
    public int resendFailed(long campaignId, String adminLogin) {
        int rows;
        Campaign c;
        try (SqlSession s = sessions.openSession(false)) {
            CampaignMapper m = s.getMapper(CampaignMapper.class);
            c = m.lockCampaign(campaignId);
            if (c == null) throw new CampaignRefused("campaign.refused.notFound");
            if (c.status() == Campaign.Status.cancelled) throw new CampaignRefused("campaign.refused.cancelled");
            rows = m.resendFailed(campaignId);
            if (rows > 0 && c.status() == Campaign.Status.finished) {
                m.setStatus(campaignId, List.of("finished"), "running", adminLogin);
            }
            s.commit(true);
        }
        audit.record(adminLogin, AuditEvent.MAIL_CAMPAIGN, c.structureId(), rows,
                Map.of("campaign", campaignId, "event", "resend-failed"));
        return rows;
    }

    /**
     * The ledger as CSV for "I never got the mail" questions: one line per recipient with the message,
     * the state, the address used, the time, attempts, reason and the server's reply — the rows the
     * viewer's {@code scope} lets him see. Written by {@link ExcelCsv} like the check step's CSV
     * ({@code ;}, quoted, UTF-8 with BOM, CRLF, formulas neutralised), headers in the admin's language.
     * No activation code is written.
     */
    public void writeLedgerCsv(long campaignId, Scope scope, String language, OutputStream out) {
        ZoneId zone = ZoneId.systemDefault();
        try (ExcelCsv csv = ExcelCsv.on(out)) {
            List<String> header = new ArrayList<>();
            for (String k : List.of("lastName", "firstName", "profile", "login", "classes", "kind", "status", "address",
                    "time", "attempts", "reason", "reply", "messageId", "bouncedAt", "bounceStatus", "bounceDiagnostic", "delay")) {
                header.add(messages.get(language, "campaign.csv." + k));
            }
            csv.row(header);
            try (SqlSession s = sessions.openSession(false);
                 Cursor<Recipient> rows = s.getMapper(CampaignMapper.class).allRecipients(campaignId, scope)) {
                for (Recipient r : rows) {
                    OffsetDateTime time = r.sentAt() != null ? r.sentAt() : r.lastAttemptAt();
                    String reason = r.reasonCode() == null ? ""
                            : messages.get(language, "campaign.reason." + r.reasonCode())
                              + (r.reasonDetail().isEmpty() ? "" : " — " + r.reasonDetail());
                    csv.row(r.lastName(), r.firstName(), messages.get(language, "letter.profile." + r.profile()),
                            r.login(), r.classes(), messages.get(language, "campaign.kind." + r.kind().name()),
                            messages.get(language, "campaign.recipient." + r.status().name()),
                            r.address() == null ? "" : r.address(),
                            time == null ? "" : time.atZoneSameInstant(zone).format(CSV_TIME),
                            String.valueOf(r.attempts()), reason, r.smtpReply() == null ? "" : r.smtpReply(),
                            r.messageId() == null ? "" : r.messageId(),
                            r.bouncedAt() == null ? "" : r.bouncedAt().atZoneSameInstant(zone).format(CSV_TIME),
                            r.bounceStatus() == null ? "" : r.bounceStatus(),
                            r.bounceDiagnostic() == null ? "" : r.bounceDiagnostic(),
                            r.delayStatus() == null ? "" : r.delayStatus()
                                    + (r.delayDiagnostic() == null ? "" : " " + r.delayDiagnostic()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON-able: " + value.getClass(), e);
        }
    }
}

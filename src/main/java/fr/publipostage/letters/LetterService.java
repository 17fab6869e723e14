package fr.publipostage.letters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.directory.Account;
import fr.publipostage.jobs.JobStore;
import fr.publipostage.jobs.JobWorker;
import fr.publipostage.jobs.LetterJob;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.security.AuditLog;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionService;
import fr.publipostage.templates.TemplateError;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * What the web and the command line call to print letters. Small selections print directly into
 * the response; large ones become a background job (submit → status → download once, or cancel).
 * Every generation is audited (who printed which structure's letters, how many, with which filters).
 * The caller has already checked that the admin may act on the selection's structure and built the
 * {@link Scope} of what he may see.
 */
public final class LetterService implements JobWorker.Handler {
    /**
     * Nothing to print ({@code render.empty}), or a job that does not exist, is not the caller's, or is
     * not ready ({@code job.*}); {@code key} is an i18n key.
     */
    public static final class JobUnavailable extends RuntimeException {
        private final String key;

        public JobUnavailable(String key) {
            super(key);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * A window-envelope print that refuses accounts without a postal address, and some are selected:
     * how many, and the first of them (the admin imports their addresses, or chooses to hand them over).
     */
    public static final class WithoutPostalAddress extends RuntimeException {
        public static final int LISTED = 100;
        private final int count;
        private final List<Account> listed;

        public WithoutPostalAddress(int count, List<Account> listed) {
            super(count + " selected account(s) without a postal address", null, false, false);
            this.count = count;
            this.listed = List.copyOf(listed);
        }

        public int count() {
            return count;
        }

        public List<Account> listed() {
            return listed;
        }
    }

    /** A job as the progress bar needs it. */
    public record JobStatus(long id, long structureId, String state, int pagesDone, int pagesTotal, int percent, long secondsLeft,
                            Integer accounts, Long bytes, String errorKey, List<Object> errorArgs) {
    }

    /**
     * What a queued job prints: the selection as its request parameters (parsed again when the job
     * runs, through the same checks as a request), the viewer's scope and whether it is a PDF/A-2u
     * archive copy (absent in jobs queued before: false).
     */
    record Request(long structureId, Map<String, List<String>> parameters, Scope scope, boolean archive) {
    }

    private final SelectionService selections;
    private final LetterEngine engine;
    private final JobStore jobs;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final PagePreview preview;
    private final int directMaxAccounts;

    public LetterService(SelectionService selections, LetterEngine engine, JobStore jobs, AuditLog audit,
                         ObjectMapper json, PagePreview preview, int directMaxAccounts) {
        this.selections = selections;
        this.engine = engine;
        this.jobs = jobs;
        this.audit = audit;
        this.json = json;
        this.preview = preview;
        this.directMaxAccounts = directMaxAccounts;
    }

    /** Whether this selection is small enough to print directly in the response (else: {@link #submit}). */
    public boolean printsDirectly(Selection selection, Scope scope) {
        return selections.count(selection, scope).total() <= directMaxAccounts;
    }

    /**
     * Prints the selection into {@code out} now (small selections, the command line).
     *
     * @param channel how it was asked, for the audit: "web", "cli"…
     */
    public LetterEngine.Result print(Selection selection, Scope scope, String adminLogin, String channel,
                                     OutputStream out, LetterEngine.Progress progress) throws IOException {
        return print(selection, scope, adminLogin, channel, out, progress, false);
    }

    /** Same; {@code archive}: a PDF/A-2u copy for the school's archive (tagged as well). */
    public LetterEngine.Result print(Selection selection, Scope scope, String adminLogin, String channel,
                                     OutputStream out, LetterEngine.Progress progress, boolean archive) throws IOException {
        int expected = pages(selection, scope);
        if (expected == 0) throw new JobUnavailable("render.empty");
        refuseWithoutAddress(selection, scope);
        LetterEngine.Result r = engine.print(selection, scope, expected, out, progress, () -> false, archive);
        record(adminLogin, selection, r.accounts(), channel, archive ? Map.of("archive", true) : null);
        return r;
    }

    /** "Print this person's letter" in layout 1, 2 or 8. */
    public LetterEngine.Result printAccount(long structureId, long accountId, int layout, Scope scope,
                                            String adminLogin, OutputStream out) throws IOException {
        return printAccount(structureId, accountId, Selection.everyone(structureId).withLayout(layout, null), scope,
                adminLogin, out);
    }

    /**
     * "Print this person's letter": one account of the structure, if the scope lets the admin see it, in
     * the layout of {@code options} (1, 2, 8 or the window envelope).
     */
    public LetterEngine.Result printAccount(long structureId, long accountId, Selection options, Scope scope,
                                            String adminLogin, OutputStream out) throws IOException {
        return printAccount(structureId, accountId, options, scope, adminLogin, out, false);
    }

    /** Same; {@code archive}: a PDF/A-2u copy for the school's archive, as a print may be. */
    public LetterEngine.Result printAccount(long structureId, long accountId, Selection options, Scope scope,
                                            String adminLogin, OutputStream out, boolean archive) throws IOException {
        Selection one = Selection.everyone(structureId).withLayout(options.layout(), options.postalPrint());
        List<Account> found = findAccount(one, scope, accountId);
        if (found.isEmpty()) throw new JobUnavailable("render.empty");
        LetterEngine.Result r = engine.print(one, found, out, archive);
        record(adminLogin, one, r.accounts(), "account",
                archive ? Map.of("accountId", accountId, "archive", true) : Map.of("accountId", accountId));
        return r;
    }

    /** What page 1 of a print shows: a class cover sheet, letters with an activation code, or reminders only. */
    public enum PageHolds { cover, code, noCode }

    /** Page 1 as a PNG, and what it shows (the caption beside it must not promise a code it has not). */
    public record SamplePage(byte[] png, PageHolds holds) {
    }

    /**
     * PNG of the real page 1 of this selection's print (a cover sheet when it starts with one; for the
     * window envelope, the first letter that goes by post). It shows real activation codes: audited
     * like the PDF (channel {@code preview}).
     */
    public byte[] preview(Selection selection, Scope scope, String adminLogin) throws IOException {
        return sample(selection, scope, adminLogin).png();
    }

    /** The real page 1 of this selection's print and what it holds; audited like {@link #preview}. */
    public SamplePage sample(Selection selection, Scope scope, String adminLogin) throws IOException {
        // The window envelope's page 1 is the first letter that goes by post.
        Selection firstPart = selection.postalLayout() && selection.postal() != Selection.PostalFilter.without
                && selections.count(selection.withPostal(Selection.PostalFilter.with), scope).total() > 0
                ? selection.withPostal(Selection.PostalFilter.with) : selection;
        List<Account> first = firstAccounts(firstPart, scope);
        byte[] pdf = engine.firstPage(selection, first);
        if (pdf == null) throw new JobUnavailable("render.empty");
        record(adminLogin, selection, Math.min(first.size(), LetterEngine.perSheet(selection.layout())), "preview", null);
        PageHolds holds;
        if (selection.cover() && selection.sortedByClass()) {
            holds = PageHolds.cover;
        } else {
            List<Account> sheet = first.subList(0, Math.min(first.size(), LetterEngine.perSheet(selection.layout())));
            holds = sheet.stream().anyMatch(a -> !a.activated()) ? PageHolds.code : PageHolds.noCode;
        }
        return new SamplePage(preview.png(pdf), holds);
    }

    /** PNG of one person's letter in layout 1, 2 or 8; audited like his PDF. */
    public byte[] previewAccount(long structureId, long accountId, int layout, Scope scope, String adminLogin)
            throws IOException {
        return previewAccount(structureId, accountId, Selection.everyone(structureId).withLayout(layout, null), scope,
                adminLogin);
    }

    /** PNG of one person's letter in the layout of {@code options}; audited like his PDF. */
    public byte[] previewAccount(long structureId, long accountId, Selection options, Scope scope, String adminLogin)
            throws IOException {
        Selection one = Selection.everyone(structureId).withLayout(options.layout(), options.postalPrint());
        List<Account> found = findAccount(one, scope, accountId);
        if (found.isEmpty()) throw new JobUnavailable("render.empty");
        byte[] png = preview.png(engine.firstPage(one, found));
        record(adminLogin, one, 1, "preview", Map.of("accountId", accountId));
        return png;
    }

    /** Queues a background print; returns the job id for {@link #status}, {@link #cancel}, {@link #download}. */
    public long submit(Selection selection, Scope scope, String adminLogin) {
        return submit(selection, scope, adminLogin, false);
    }

    /** Same, as a PDF/A-2u archive copy when {@code archive}. */
    public long submit(Selection selection, Scope scope, String adminLogin, boolean archive) {
        int expected = pages(selection, scope);
        if (expected == 0) throw new JobUnavailable("render.empty");
        refuseWithoutAddress(selection, scope);
        return jobs.enqueue(selection.structureId(), adminLogin,
                toJson(new Request(selection.structureId(), selection.toParameters(), scope, archive)), expected);
    }

    /** Pages of this selection's print, cover sheets included: the one unit of its progress, known before it starts. */
    public int pages(Selection selection, Scope scope) {
        int pages = LetterEngine.pages(selection, selections.classGroupSizes(selection, scope));
        // A window-envelope print that hands the letters of those without an address over in person lists
        // them first on pages of their own.
        if (selection.postalLayout() && selection.postalPrint().withoutAddress() == Selection.PostalPrint.WithoutAddress.hand
                && selection.postal() != Selection.PostalFilter.with) {
            pages += LetterEngine.handOverPages(selections.count(selection.withPostal(Selection.PostalFilter.without), scope).total());
        }
        return pages;
    }

    public JobStatus status(long jobId, String adminLogin) {
        LetterJob j = own(jobId, adminLogin);
        return new JobStatus(j.id(), j.structureId(), j.state(), j.pagesDone(), j.pagesTotal(), j.percent(),
                j.secondsLeft(java.time.OffsetDateTime.now()), j.accounts(), j.bytes(), j.errorKey(), args(j.errorArgs()));
    }

    /** The selection a job prints (parsed again from its request), for the name of its file. */
    public Selection jobSelection(long jobId) {
        LetterJob j = jobs.find(jobId).orElseThrow(() -> new JobUnavailable("job.notFound"));
        try {
            Request request = json.readValue(j.request(), Request.class);
            return selections.parseSaved(request.structureId(), request.parameters());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The structure a job prints for, or -1 when there is no such job (the web checks it against the path). */
    public long structureOfJob(long jobId) {
        return jobs.find(jobId).map(LetterJob::structureId).orElse(-1L);
    }

    public List<JobStatus> recent(String adminLogin, int limit) {
        List<JobStatus> out = new ArrayList<>();
        for (LetterJob j : jobs.recent(adminLogin, limit)) out.add(status(j.id(), adminLogin));
        return out;
    }

    public boolean cancel(long jobId, String adminLogin) {
        own(jobId, adminLogin);
        return jobs.requestCancel(jobId);
    }

    /** Streams the finished PDF once; it is deleted afterwards. */
    public void download(long jobId, String adminLogin, OutputStream out) throws IOException {
        LetterJob j = own(jobId, adminLogin);
        if (!j.state().equals(LetterJob.DONE)) {
            throw new JobUnavailable(j.state().equals(LetterJob.EXPIRED) ? "job.notFound" : "job.notDone");
        }
        if (!jobs.download(jobId, out)) throw new JobUnavailable("job.notFound");
    }

    /** Runs a queued job (called by the {@link JobWorker} of whichever instance claimed it). */
    @Override
    public JobWorker.Outcome run(LetterJob job, JobWorker.Context context, OutputStream result) throws IOException {
        Request request = json.readValue(job.request(), Request.class);
        Selection selection = selections.parseSaved(request.structureId(), request.parameters());
        boolean[] stop = {false};
        try {
            int expected = pages(selection, request.scope());
            LetterEngine.Result r = engine.print(selection, request.scope(), expected, result,
                    (done, total) -> stop[0] = context.progress(done, total), () -> stop[0], request.archive());
            result.flush();
            context.progress(r.pages(), r.pages());
            record(job.adminLogin(), selection, r.accounts(), "job", request.archive()
                    ? Map.of("jobId", job.id(), "archive", true) : Map.of("jobId", job.id()));
            return JobWorker.Outcome.done(r.accounts(), r.pages(), r.bytes());
        } catch (CancellationException e) {
            return JobWorker.Outcome.cancelled();
        } catch (LetterFailure e) {
            return JobWorker.Outcome.failed(e.key(), toJson(e.args()));
        } catch (TemplateError e) {
            return JobWorker.Outcome.failed("job.failed", toJson(List.of(e.getMessage())));
        }
    }

    private LetterJob own(long jobId, String adminLogin) {
        LetterJob j = jobs.find(jobId).orElseThrow(() -> new JobUnavailable("job.notFound"));
        if (!j.adminLogin().equals(adminLogin)) throw new JobUnavailable("job.notYours");
        return j;
    }

    private List<Account> findAccount(Selection everyone, Scope scope, long accountId) {
        return selections.account(everyone.structureId(), accountId, scope).map(List::of).orElse(List.of());
    }

    /** Enough accounts, in order, for the first page: a first class group with covers, else eight. */
    private List<Account> firstAccounts(Selection selection, Scope scope) {
        List<Account> first = new ArrayList<>();
        boolean covers = selection.cover() && selection.sortedByClass();
        int limit = covers ? 2_000 : LetterEngine.perSheet(selection.layout());
        try {
            selections.forEach(selection, scope, a -> {
                if (first.size() >= limit || (covers && !first.isEmpty() && !sameFirstClass(first.get(0), a))) {
                    throw new Enough();
                }
                first.add(a);
            });
        } catch (Enough e) {
            // Stopped the cursor early.
        }
        return first;
    }

    private static boolean sameFirstClass(Account a, Account b) {
        return LetterEngine.coverGroup(a).equals(LetterEngine.coverGroup(b));
    }

    private static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }

    /**
     * A window-envelope print set to refuse accounts without a postal address: refused before anything
     * is rendered when the selection has some, with their list.
     */
    private void refuseWithoutAddress(Selection selection, Scope scope) {
        if (!selection.postalLayout()
                || selection.postalPrint().withoutAddress() != Selection.PostalPrint.WithoutAddress.refuse
                || selection.postal() == Selection.PostalFilter.with) {
            return;
        }
        Selection without = selection.withPostal(Selection.PostalFilter.without);
        int count = selections.count(without, scope).total();
        if (count > 0) throw new WithoutPostalAddress(count, selections.page(without, scope, 0, WithoutPostalAddress.LISTED));
    }

    private void record(String adminLogin, Selection s, int accounts, String channel, Map<String, Object> extra) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("channel", channel);
        details.put("layout", s.postalLayout() ? "postal" : s.layout());
        if (s.postalLayout()) {
            details.put("withoutAddress", s.postalPrint().withoutAddress().name());
        }
        if (s.postal() != Selection.PostalFilter.all) details.put("postal", s.postal().name());
        details.put("cover", s.cover());
        details.put("sort", s.sort());
        details.put("profiles", s.profiles());
        details.put("levels", s.levels());
        details.put("classes", s.classes());
        details.put("activation", s.activation());
        details.put("email", s.email());
        if (s.localAdmin() != null) details.put("localAdmin", s.localAdmin());
        if (s.createdAfter() != null) details.put("createdAfter", s.createdAfter().toString());
        if (s.createdBefore() != null) details.put("createdBefore", s.createdBefore().toString());
        if (extra != null) details.putAll(extra);
        audit.record(adminLogin, AuditEvent.PDF_LETTERS, s.structureId(), accounts, details);
    }

    private String toJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> args(String argsJson) {
        if (argsJson == null) return List.of();
        try {
            return json.readValue(argsJson, List.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package fr.publipostage.letters;

import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.render.Box;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.Structure;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionService;
import fr.publipostage.templates.TemplateError;
import fr.publipostage.templates.TemplateVariables;
import fr.publipostage.templates.VelocityRenderer;
import fr.publipostage.templates.XmlProlog;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * Prints a selection's letters into one PDF: accounts come from the one selection query (read whole,
 * so that no pooled connection is held while rendering), are cut into sheets (one page each: a
 * letter, two A5 letters, eight cards, or one page of a class cover sheet), sheets into chunks of
 * {@code chunkPages} pages; each chunk is one XHTML document (so fonts are embedded once per chunk)
 * drawn on a worker thread into a PDF document kept in memory; as chunks are done, in order, the
 * calling thread writes them into the print's file ({@link ChunkConcatenator}, a file 0600 in a 0700
 * folder of this run's directory) while the workers draw the next ones; at most threads + 1 chunks are
 * in flight, so memory does not grow with the selection. The file is copied to the caller once the
 * whole print has succeeded.
 *
 * <p>Every sheet is exactly one page: after layout, each chunk's page count is compared with its
 * sheets; a sheet that overflows fails the whole print, naming the account and template.
 */
public final class LetterEngine {
    static final String MARKER = "@@PUBLIPOSTAGE-SHEETS@@";
    /** Rows of a class cover sheet or hand-over list page: a page the checks on save fill (TemplateChecks). */
    public static final int COVER_ROWS_PER_PAGE = 28;
    private static final Pattern SHEET_ID = Pattern.compile("s[0-9]+");

    /** Pages done so far and the expected total (the total may grow when cover sheets are found). */
    @FunctionalInterface
    public interface Progress {
        void update(int pagesDone, int pagesTotal);

        Progress NONE = (d, t) -> { };
    }

    /** What a print produced. */
    public record Result(int accounts, int pages, long bytes) {
    }

    private final SelectionService selections;
    private final LongFunction<Structure> structures;
    private final VelocityRenderer velocity;
    private final TemplateVariables variables;
    private final PdfRenderer pdf;
    private final ExecutorService workers;
    private final int threads;
    private final int chunkPages;
    private final Path tempDir;
    private final Clock clock;

    public LetterEngine(SelectionService selections, LongFunction<Structure> structures, VelocityRenderer velocity,
                        TemplateVariables variables, PdfRenderer pdf, ExecutorService workers, int threads,
                        int chunkPages, Path tempDir, Clock clock) {
        this.selections = selections;
        this.structures = structures;
        this.velocity = velocity;
        this.variables = variables;
        this.pdf = pdf;
        this.workers = workers;
        this.threads = Math.max(1, threads);
        this.chunkPages = Math.max(1, chunkPages);
        this.tempDir = tempDir;
        this.clock = clock;
    }

    /**
     * The same engine (workers, fonts, limits) rendering through another template set: the editor's
     * previews and checks of a text not saved yet go through exactly the code that prints.
     */
    public LetterEngine withTemplates(VelocityRenderer otherVelocity, TemplateVariables otherVariables) {
        return new LetterEngine(selections, structures, otherVelocity, otherVariables, pdf, workers, threads, chunkPages,
                tempDir, clock);
    }

    /** Letters per sheet in a layout (1, 2 or 8). */
    public static int perSheet(int layout) {
        return switch (layout) {
            case 1 -> 1;
            case 2 -> 2;
            case 8 -> 8;
            default -> throw new IllegalArgumentException("layout " + layout);
        };
    }

    /** Pages of the letters alone (without cover sheets) for {@code accounts} accounts. */
    public static int letterPages(int accounts, int layout) {
        int per = perSheet(layout);
        return (accounts + per - 1) / per;
    }

    /**
     * Pages of a whole print, cover sheets included, from the number of accounts under each first class
     * ({@code SelectionService.classGroupSizes}; only their sum counts without cover sheets): the progress
     * of a print is in pages from its first update to its last.
     */
    public static int pages(Selection selection, List<Integer> classGroupSizes) {
        int layout = selection.layout();
        if (!(selection.cover() && selection.sortedByClass())) {
            return letterPages(classGroupSizes.stream().mapToInt(Integer::intValue).sum(), layout);
        }
        int pages = 0;
        for (int n : classGroupSizes) pages += (n + COVER_ROWS_PER_PAGE - 1) / COVER_ROWS_PER_PAGE + letterPages(n, layout);
        return pages;
    }

    /** Pages of the list that opens a window-envelope print's part "to hand over in person" (none without such accounts). */
    public static int handOverPages(int accountsWithoutAddress) {
        return (accountsWithoutAddress + COVER_ROWS_PER_PAGE - 1) / COVER_ROWS_PER_PAGE;
    }

    /** The class an account's letters are grouped under with cover sheets: its first class in school order ("" for none), as sort_class. */
    public static String coverGroup(Account a) {
        return a.classes().isEmpty() ? "" : a.classes().get(0);
    }

    /**
     * Prints the selection into {@code out} (not closed).
     *
     * @param expectedPages the print's pages ({@link #pages}), for progress (0 when unknown)
     * @throws LetterFailure      a sheet overflows or a template fails
     * @throws CancellationException when {@code cancelled} turned true
     */
    public Result print(Selection selection, Scope scope, int expectedPages, OutputStream out, Progress progress,
                        BooleanSupplier cancelled) throws IOException {
        return print(selection, scope, expectedPages, out, progress, cancelled, false);
    }

    /**
     * Same; {@code archive}: a PDF/A-2u copy (tagged as well when the engine tags), for the school's
     * archive.
     */
    public Result print(Selection selection, Scope scope, int expectedPages, OutputStream out, Progress progress,
                        BooleanSupplier cancelled, boolean archive) throws IOException {
        // Read whole (one query, a consistent snapshot) before rendering: a cursor would hold its pooled
        // connection for the whole print while the rendering threads may need one (template lookups), and
        // a job's heartbeat another. An account is ~1 KB: 10,000 letters are ~10 MB of the heap.
        List<Account> accounts = selections.list(selection, scope);
        return run(selection, progress, cancelled, expectedPages, out, pdf.defaults().withArchive(archive),
                run -> accounts.forEach(run::accept));
    }

    /** Prints a given list of accounts (already selected and ordered), e.g. one person's letter. */
    public Result print(Selection selection, List<Account> accounts, OutputStream out) throws IOException {
        return print(selection, accounts, out, false);
    }

    /** Same, as a PDF/A-2u copy when {@code archive}. */
    public Result print(Selection selection, List<Account> accounts, OutputStream out, boolean archive) throws IOException {
        return run(selection, Progress.NONE, () -> false, 0, out, pdf.defaults().withArchive(archive),
                run -> accounts.forEach(run::accept));
    }

    /** One print: {@code feed} hands the accounts, in order, to the run; parts are merged into {@code out}. */
    private Result run(Selection selection, Progress progress, BooleanSupplier cancelled, int expectedPages,
                       OutputStream out, PdfRenderer.Conformance conformance, java.util.function.Consumer<Run> feed)
            throws IOException {
        Structure structure = structures.apply(selection.structureId());
        if (structure == null) throw new IllegalArgumentException("no structure " + selection.structureId());
        // 0700, inside this run's 0700 directory: the chunks and the merge buffer hold activation codes.
        Path dir = fr.publipostage.jobs.RunDirectory.createPrivateDirectory(Files.createDirectories(tempDir), "letters-");
        Run run = new Run(selection, structure, dir, progress, cancelled, expectedPages, conformance);
        try {
            feed.accept(run);
            run.finish();
            long bytes = run.merge(out);
            return new Result(run.accounts, run.pagesDone, bytes);
        } catch (RuntimeException | IOException e) {
            run.abort();
            throw e;
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Renders the first page of a selection's print (a whole first chunk is not needed: the first
     * sheet alone), for the preview. Returns the PDF bytes of that one page.
     */
    public byte[] firstPage(Selection selection, List<Account> firstAccounts) throws IOException {
        Structure structure = structures.apply(selection.structureId());
        List<Sheet> sheets = new ArrayList<>();
        Sheets builder = new Sheets(selection, sheets::add);
        for (Account a : firstAccounts) {
            builder.accept(a);
            if (!sheets.isEmpty()) break;
        }
        if (sheets.isEmpty()) builder.flush();
        if (sheets.isEmpty()) return null;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(64 * 1024);
        renderChunk(structure, selection.layout(), List.of(sheets.get(0)), bytes, pdf.defaults());
        return bytes.toByteArray();
    }

    /**
     * The XHTML document the engine renders for these accounts (with cover sheets when the selection
     * asks for them), without rendering it: the template editor checks it is well-formed and that the
     * fonts have every character it shows.
     */
    public String xhtml(Selection selection, List<Account> accounts) {
        Structure structure = structures.apply(selection.structureId());
        List<Sheet> sheets = new ArrayList<>();
        Sheets builder = new Sheets(selection, sheets::add);
        accounts.forEach(builder::accept);
        builder.flush();
        return xhtml(structure, selection.layout(), sheets);
    }

    // ---- sheets -------------------------------------------------------------------------------

    /** What a sheet is: letters, a class cover page, a window-envelope letter, a page of the "hand over" list. */
    enum SheetKind { LETTERS, COVER, POSTAL, HANDOVER }

    /** One page: a cover page, up to perSheet letters, one window-envelope letter, or a page of the hand-over list. */
    record Sheet(SheetKind kind, CoverView cover, List<Account> accounts) {
        Sheet(CoverView cover, List<Account> accounts) {
            this(cover != null ? SheetKind.COVER : SheetKind.LETTERS, cover, accounts);
        }

        boolean isCover() {
            return kind == SheetKind.COVER;
        }

        /** A page that is not a letter (counted on top of the letters' pages). */
        boolean extraPage() {
            return kind == SheetKind.COVER || kind == SheetKind.HANDOVER;
        }
    }

    /** Cuts the ordered accounts into sheets, with cover pages before each class when asked. */
    final class Sheets {
        private final Selection selection;
        private final java.util.function.Consumer<Sheet> sink;
        private final boolean covers;
        private final int per;
        private final List<Account> group = new ArrayList<>();
        private String groupKey;
        /** Window-envelope print: letters with an address go by post; the others are refused or handed over. */
        private final boolean postal;
        private final boolean handOver;
        private final List<Account> withoutAddress = new ArrayList<>();

        Sheets(Selection selection, java.util.function.Consumer<Sheet> sink) {
            this.selection = selection;
            this.sink = sink;
            this.postal = selection.postalLayout();
            this.handOver = postal && selection.postalPrint().withoutAddress() == Selection.PostalPrint.WithoutAddress.hand;
            this.covers = selection.cover() && selection.sortedByClass() && !postal;
            this.per = perSheet(selection.layout());
        }

        void accept(Account a) {
            if (postal) {
                if (a.hasPostalAddress()) {
                    sink.accept(new Sheet(SheetKind.POSTAL, null, List.of(a)));
                } else if (handOver) {
                    // Kept for the part at the end: only the accounts without an address, never the whole print.
                    withoutAddress.add(a);
                } else {
                    throw new LetterFailure("render.noPostalAddressOne", List.of(a.displayName(), a.displayLogin()),
                            a.displayName() + " (" + a.displayLogin() + ") has no postal address", null);
                }
                return;
            }
            if (covers) {
                String key = classKey(a);
                if (groupKey != null && !groupKey.equals(key)) flushGroup();
                groupKey = key;
                group.add(a);
            } else {
                group.add(a);
                if (group.size() == per) flushLetters();
            }
        }

        void flush() {
            if (postal) {
                if (!withoutAddress.isEmpty()) flushHandOver();
            } else if (covers) {
                if (!group.isEmpty()) flushGroup();
            } else if (!group.isEmpty()) {
                flushLetters();
            }
        }

        /** The part "to hand over in person": its list (28 names a page, tick and sign), then their letters. */
        private void flushHandOver() {
            int n = withoutAddress.size();
            int pages = handOverPages(n);
            for (int p = 0; p < pages; p++) {
                List<CoverView.Row> rows = new ArrayList<>();
                for (int i = p * COVER_ROWS_PER_PAGE; i < Math.min(n, (p + 1) * COVER_ROWS_PER_PAGE); i++) {
                    Account a = withoutAddress.get(i);
                    rows.add(new CoverView.Row(i + 1, a.lastName(), a.firstName(), a.displayLogin(), a.profile().name()));
                }
                sink.accept(new Sheet(SheetKind.HANDOVER, new CoverView("", n, p + 1, pages, COVER_ROWS_PER_PAGE, rows), List.of()));
            }
            for (Account a : withoutAddress) sink.accept(new Sheet(SheetKind.LETTERS, null, List.of(a)));
            withoutAddress.clear();
        }

        private void flushLetters() {
            sink.accept(new Sheet(null, List.copyOf(group)));
            group.clear();
        }

        private void flushGroup() {
            String className = groupKey.isEmpty() ? null : groupKey;
            int n = group.size();
            int pages = handOverPages(n);
            for (int p = 0; p < pages; p++) {
                List<CoverView.Row> rows = new ArrayList<>();
                for (int i = p * COVER_ROWS_PER_PAGE; i < Math.min(n, (p + 1) * COVER_ROWS_PER_PAGE); i++) {
                    Account a = group.get(i);
                    rows.add(new CoverView.Row(i + 1, a.lastName(), a.firstName(), a.displayLogin(), a.profile().name()));
                }
                sink.accept(new Sheet(new CoverView(className == null ? "" : className, n, p + 1, pages,
                        COVER_ROWS_PER_PAGE, rows), List.of()));
            }
            for (int i = 0; i < n; i += per) {
                sink.accept(new Sheet(null, List.copyOf(group.subList(i, Math.min(n, i + per)))));
            }
            group.clear();
        }

        /** The class an account is sorted under: its first class, as the query's sort_class. */
        private String classKey(Account a) {
            return coverGroup(a);
        }
    }

    // ---- one print ------------------------------------------------------------------------------

    private final class Run {
        private final Selection selection;
        private final Structure structure;
        private final Path dir;
        private final Progress progress;
        private final BooleanSupplier cancelled;
        private final Sheets sheets;
        private final List<Sheet> pending = new ArrayList<>();
        private final Deque<InFlight> inFlight = new ArrayDeque<>();
        /** The print's file, written chunk by chunk as the chunks are done, in order; copied out at the end. */
        private Path merged;
        private OutputStream mergedOut;
        private ChunkConcatenator file;
        private int accounts;
        private int pagesDone;
        private int pagesTotal;
        private final PdfRenderer.Conformance conformance;

        Run(Selection selection, Structure structure, Path dir, Progress progress, BooleanSupplier cancelled,
            int expectedPages, PdfRenderer.Conformance conformance) {
            this.conformance = conformance;
            this.selection = selection;
            this.structure = structure;
            this.dir = dir;
            this.progress = progress;
            this.cancelled = cancelled;
            this.pagesTotal = expectedPages;
            this.sheets = new Sheets(selection, this::addSheet);
        }

        void accept(Account a) {
            if (cancelled.getAsBoolean()) throw new CancellationException("cancelled");
            accounts++;
            sheets.accept(a);
        }

        private void addSheet(Sheet sheet) {
            pending.add(sheet);
            // Tagged, a chunk's structure tree grows with its letters, not its pages: eight cards weigh
            // eight letters, so a chunk of cards stays within the heap a chunk of letters needs.
            pendingWeight += conformance.tagged() ? Math.max(1, sheet.accounts().size()) : 1;
            if (pending.size() >= chunkPages || pendingWeight >= chunkPages) submit();
        }

        private int pendingWeight;

        private void submit() {
            List<Sheet> chunk = List.copyOf(pending);
            pending.clear();
            pendingWeight = 0;
            // Back-pressure: at most threads + 1 chunks rendering or waiting (each drawn chunk is held in
            // memory until its turn to be written).
            while (inFlight.size() > threads) collectOldest();
            ChunkTask task = new ChunkTask(() -> {
                if (cancelled.getAsBoolean()) throw new CancellationException("cancelled");
                return renderChunkDocument(structure, selection.layout(), chunk, conformance);
            });
            inFlight.add(new InFlight(workers.submit(task), task));
            pendingPages.add(chunk.size());
        }

        private final Deque<Integer> pendingPages = new ArrayDeque<>();

        private void collectOldest() {
            Future<org.apache.pdfbox.pdmodel.PDDocument> f = inFlight.removeFirst().future();
            int pages = pendingPages.removeFirst();
            try (org.apache.pdfbox.pdmodel.PDDocument chunk = f.get()) {
                if (file == null) {
                    merged = dir.resolve("letters.pdf");
                    fr.publipostage.jobs.RunDirectory.createPrivateFile(merged);
                    mergedOut = new BufferedOutputStream(Files.newOutputStream(merged), 1 << 16);
                    file = new ChunkConcatenator(mergedOut);
                }
                file.append(chunk);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) throw r;
                if (c instanceof IOException io) throw new UncheckedIOException(io);
                throw new IllegalStateException(c);
            }
            pagesDone += pages;
            progress.update(pagesDone, Math.max(pagesTotal, pagesDone));
            if (cancelled.getAsBoolean()) throw new CancellationException("cancelled");
        }

        void finish() {
            sheets.flush();
            if (!pending.isEmpty()) submit();
            while (!inFlight.isEmpty()) collectOldest();
        }

        /**
         * Stops the print: chunks not started never will, and those rendering are waited for, so that
         * nothing writes into the temp folder once it is deleted (chunk PDFs hold activation codes).
         */
        void abort() {
            for (InFlight c : inFlight) c.future().cancel(false);
            for (InFlight c : inFlight) c.task().abandonOrAwait();
            inFlight.clear();
            closeMerged();
        }

        /**
         * Finishes the file and copies it to {@code out}: nothing reaches the caller's stream before the
         * whole print has succeeded (a sheet that overflows in the last chunk leaves {@code out} empty).
         */
        long merge(OutputStream out) throws IOException {
            if (file == null) return 0;
            long bytes = file.finish();
            closeMerged();
            Files.copy(merged, out);
            return bytes;
        }

        private void closeMerged() {
            if (mergedOut == null) return;
            try {
                mergedOut.close();
            } catch (IOException ignored) {
                // The folder is deleted next.
            }
            mergedOut = null;
        }
    }

    private record InFlight(Future<org.apache.pdfbox.pdmodel.PDDocument> future, ChunkTask task) {
    }

    /**
     * One chunk's rendering, which an abort either stops before it starts or waits for: a cancelled
     * {@link Future} says nothing of a task already running, this does.
     */
    private static final class ChunkTask implements java.util.concurrent.Callable<org.apache.pdfbox.pdmodel.PDDocument> {
        private final java.util.concurrent.Callable<org.apache.pdfbox.pdmodel.PDDocument> work;
        private final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

        /** What the task drew, until an abort releases it (a cancelled Future drops its result). */
        private volatile org.apache.pdfbox.pdmodel.PDDocument drawn;

        ChunkTask(java.util.concurrent.Callable<org.apache.pdfbox.pdmodel.PDDocument> work) {
            this.work = work;
        }

        @Override
        public org.apache.pdfbox.pdmodel.PDDocument call() throws Exception {
            if (!claimed.compareAndSet(false, true)) throw new CancellationException("abandoned");
            try {
                drawn = work.call();
                return drawn;
            } finally {
                ended.countDown();
            }
        }

        /**
         * Abandons the task if it has not started, else waits until it ends (interrupts put off until
         * then) and releases the chunk it drew.
         */
        void abandonOrAwait() {
            if (claimed.compareAndSet(false, true)) return;
            awaitEnd();
            org.apache.pdfbox.pdmodel.PDDocument d = drawn;
            if (d != null) {
                try {
                    d.close();
                } catch (IOException ignored) {
                    // In memory: nothing to clean up.
                }
            }
        }

        private void awaitEnd() {
            boolean interrupted = false;
            while (true) {
                try {
                    ended.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    // ---- rendering one chunk ---------------------------------------------------------------------

    /**
     * Renders the sheets into one PDF document written to {@code out}; each sheet must be one page, and
     * each window-envelope letter's address where the envelope's window is ({@link PostalLayout#verify}).
     */
    void renderChunk(Structure structure, int layout, List<Sheet> sheets, OutputStream out,
                     PdfRenderer.Conformance conformance) throws IOException {
        Document doc = document(structure, layout, sheets);
        try {
            pdf.render(doc.xhtml(), out, oneSheetOnePage(structure, layout, sheets, doc), conformance);
        } catch (StackOverflowError e) {
            throw tooDeep(sheets);
        }
    }

    /** Same, as a chunk of a print: the drawn document in memory, for {@link ChunkConcatenator}; the caller closes it. */
    private org.apache.pdfbox.pdmodel.PDDocument renderChunkDocument(Structure structure, int layout, List<Sheet> sheets,
                                                                    PdfRenderer.Conformance conformance) throws IOException {
        Document doc = document(structure, layout, sheets);
        try {
            return pdf.renderPart(doc.xhtml(), oneSheetOnePage(structure, layout, sheets, doc), conformance);
        } catch (StackOverflowError e) {
            throw tooDeep(sheets);
        }
    }

    private PdfRenderer.LayoutCheck oneSheetOnePage(Structure structure, int layout, List<Sheet> sheets, Document doc) {
        return (renderer, pages) -> {
            if (pages != sheets.size()) throw overflow(renderer, structure, layout, sheets, pages);
            PostalLayout.verify(renderer, doc.frames());
        };
    }

    /**
     * The PDF engine lays boxes out recursively: a page nesting thousands of elements is the template's
     * fault, told as such rather than a server error.
     */
    private static TemplateError tooDeep(List<Sheet> sheets) {
        return new TemplateError(templateFor(sheets), TemplateError.Reason.OTHER, 0, 0,
                "nesting", "the page nests its elements too deeply", null);
    }

    /** The template a chunk's first sheet comes from (for messages about the whole page). */
    private static String templateFor(List<Sheet> sheets) {
        if (sheets.isEmpty()) return "print-document.vm";
        Sheet first = sheets.get(0);
        if (first.kind() == SheetKind.HANDOVER) return "print-handover.vm";
        return first.isCover() ? "print-cover.vm" : templateFor(first.accounts().get(0), 1);
    }

    /** A chunk's XHTML and, for its window-envelope sheets, what each address frame must show. */
    private record Document(String xhtml, Map<Integer, PostalLayout.Expected> frames) {
    }

    private String xhtml(Structure structure, int layout, List<Sheet> sheets) {
        return document(structure, layout, sheets).xhtml();
    }

    private Document document(Structure structure, int layout, List<Sheet> sheets) {
        LocalDate today = LocalDate.now(clock);
        Map<String, Object> shellVars = variables.forStructure(structure, structure.defaultLanguage(), today);
        shellVars.put("layout", layout);
        shellVars.put("content", MARKER);
        String shell = Languages.onRoot(velocity.render(structure.id(), "print-document.vm", shellVars),
                Languages.tag(structure.defaultLanguage()));
        if (XmlProlog.declaresEntities(shell)) {
            throw XmlProlog.entitiesRefused("print-document.vm");
        }
        boolean anyPostal = sheets.stream().anyMatch(x -> x.kind() == SheetKind.POSTAL);
        if (anyPostal && shell.contains(MARKER)) shell = PostalLayout.withEngineStyle(shell, "print-document.vm");
        Map<Integer, PostalLayout.Expected> frames = new HashMap<>();
        int at = shell.indexOf(MARKER);
        if (at < 0) throw new TemplateError("print-document.vm", "must print $content where the letters go");
        StringBuilder sb = new StringBuilder(shell.length() + sheets.size() * 6000);
        sb.append(shell, 0, at);
        StringBuilderWriter w = new StringBuilderWriter(sb);
        for (int i = 0; i < sheets.size(); i++) {
            Sheet s = sheets.get(i);
            // Each letter, card and cover page is a section of its own (Sect when tagged) in its language.
            if (s.kind() == SheetKind.POSTAL) {
                frames.put(i, postalSheet(structure, s.accounts().get(0), i, today, sb, w));
            } else if (s.kind() == SheetKind.HANDOVER) {
                sb.append("<section class=\"sheet cover handover\" id=\"s").append(i).append("\" lang=\"")
                        .append(Languages.tag(structure.defaultLanguage())).append("\">\n");
                Map<String, Object> v = variables.forStructure(structure, structure.defaultLanguage(), today);
                v.put("layout", layout);
                v.put("cover", s.cover());
                velocity.render(structure.id(), "print-handover.vm", v, w);
                sb.append("</section>\n");
            } else if (s.isCover()) {
                sb.append("<section class=\"sheet cover\" id=\"s").append(i).append("\" lang=\"")
                        .append(Languages.tag(structure.defaultLanguage())).append("\">\n");
                Map<String, Object> v = variables.forStructure(structure, structure.defaultLanguage(), today);
                v.put("layout", layout);
                v.put("cover", coverWithLabel(s.cover(), structure));
                velocity.render(structure.id(), "print-cover.vm", v, w);
                sb.append("</section>\n");
            } else if (layout == 1) {
                Account a = s.accounts().get(0);
                sb.append("<section class=\"sheet letter\" id=\"s").append(i).append("\" lang=\"")
                        .append(Languages.tag(TemplateVariables.language(a, structure))).append("\">\n");
                letter(structure, layout, a, today, w);
                sb.append("</section>\n");
            } else if (layout == 2) {
                // Layout grids are divs shown as CSS tables, not <table>: tagged, they are not data tables.
                sb.append("<div class=\"sheet two\" id=\"s").append(i).append("\"><div class=\"halves\">\n");
                for (int k = 0; k < 2; k++) cell(sb, w, "half", structure, layout, s.accounts(), k, today);
                sb.append("</div></div>\n");
            } else {
                sb.append("<div class=\"sheet cards\" id=\"s").append(i).append("\"><div class=\"cards\">\n");
                for (int r = 0; r < 4; r++) {
                    sb.append("<div class=\"cards-row\">");
                    for (int c = 0; c < 2; c++) cell(sb, w, "card", structure, layout, s.accounts(), r * 2 + c, today);
                    sb.append("</div>\n");
                }
                sb.append("</div></div>\n");
            }
        }
        sb.append(shell, at + MARKER.length(), shell.length());
        return new Document(sb.toString(), frames);
    }

    /**
     * One window-envelope letter (layout 1's letter, {@code $postal} true) and, placed by the engine, the
     * return line, the address frame ({@code print-address.vm}) and the fold marks. Returns what the
     * frame must show.
     */
    private PostalLayout.Expected postalSheet(Structure structure, Account a, int i, LocalDate today, StringBuilder sb,
                                              java.io.Writer w) {
        Map<String, Object> v = variables.forAccount(a, structure, today);
        v.put("layout", 1);
        v.put("postal", true);
        fr.publipostage.templates.MessagesView msg = (fr.publipostage.templates.MessagesView) v.get("msg");
        PostalBlock block;
        try {
            block = PostalBlock.of(a, msg.get("letter.postal.civility"), msg.get("letter.postal.civilityShort"));
        } catch (IllegalArgumentException e) {
            throw new LetterFailure("render.addressInvalid", List.of(a.displayName(), a.displayLogin()),
                    "the postal address of " + a.displayName() + " breaks the postal rules: " + e.getMessage(), e);
        }
        sb.append("<div class=\"sheet letter postal\" id=\"s").append(i).append("\" lang=\"")
                .append(Languages.tag(TemplateVariables.language(a, structure))).append("\" style=\"").append(PostalLayout.SHEET_STYLE)
                .append("\">\n<div class=\"postal-letter\" id=\"").append(PostalLayout.LETTER_ID).append(i)
                .append("\" style=\"").append(PostalLayout.LETTER_STYLE)
                .append("\"><div class=\"postal-keepout\" style=\"").append(PostalLayout.KEEPOUT_STYLE).append("\"></div>\n");
        velocity.render(structure.id(), templateFor(a, 1), v, w);
        sb.append("</div>\n");
        for (double fold : PostalLayout.FOLDS_MM) {
            sb.append("<div class=\"postal-fold\" style=\"").append(PostalLayout.foldStyle(fold)).append("\"></div>");
        }
        String address = structure.address() == null ? "" : structure.address().strip();
        String returnLine = address.isEmpty() ? structure.name() : msg.get("letter.postal.returnLine", structure.name(), address);
        sb.append("\n<div class=\"postal-window\" style=\"").append(PostalLayout.WINDOW_STYLE)
                .append("\"><div class=\"postal-return\" style=\"").append(PostalLayout.returnStyle(returnLine)).append("\">")
                .append(PostalLayout.escape(returnLine)).append("</div>\n<div class=\"postal-frame\" id=\"")
                .append(PostalLayout.FRAME_ID).append(i).append("\" style=\"").append(PostalLayout.FRAME_STYLE).append("\">\n");
        Map<String, Object> av = new HashMap<>(v);
        av.put("address", block);
        sb.append(PostalLayout.pinned(velocity.render(structure.id(), "print-address.vm", av)));
        sb.append("</div></div>\n</div>\n");
        return new PostalLayout.Expected(i, a.displayName(), a.displayLogin(), block.getLines());
    }

    /** One cell of a sheet's grid: a section holding the k-th letter in its language, or an empty div. */
    private void cell(StringBuilder sb, java.io.Writer w, String cssClass, Structure structure, int layout,
                      List<Account> accounts, int k, LocalDate today) {
        if (k >= accounts.size()) {
            sb.append("<div class=\"").append(cssClass).append(" empty\"></div>");
            return;
        }
        Account a = accounts.get(k);
        sb.append("<section class=\"").append(cssClass).append("\" lang=\"")
                .append(Languages.tag(TemplateVariables.language(a, structure))).append("\">");
        letter(structure, layout, a, today, w);
        sb.append("</section>\n");
    }

    private CoverView coverWithLabel(CoverView c, Structure structure) {
        if (!c.getClassName().isEmpty()) return c;
        String label = variables.messages().get(structure.defaultLanguage(), "cover.noClass");
        return new CoverView(label, c.getCount(), c.getPage(), c.getPages(), c.getRowsPerPage(), c.getRows());
    }

    static String templateFor(Account a, int layout) {
        if (layout == 8) return "print-card.vm";
        return a.activated() ? "print-reminder.vm" : "print-activation.vm";
    }

    private void letter(Structure structure, int layout, Account a, LocalDate today, java.io.Writer w) {
        Map<String, Object> v = variables.forAccount(a, structure, today);
        v.put("layout", layout);
        v.put("postal", false);
        velocity.render(structure.id(), templateFor(a, layout), v, w);
    }

    /** Names the first sheet that did not fit its page. */
    private LetterFailure overflow(PdfBoxRenderer renderer, Structure structure, int layout, List<Sheet> sheets, int pages) {
        Map<Integer, Integer> firstPage = new HashMap<>();
        List<com.openhtmltopdf.render.PageBox> pageBoxes = renderer.getRootBox().getLayer().getPages();
        collectSheetPages(renderer.getRootBox(), pageBoxes, firstPage, 0);
        int bad = sheets.size() - 1;
        for (int i = 0; i < sheets.size(); i++) {
            int start = firstPage.getOrDefault(i, -1);
            int next = i + 1 < sheets.size() ? firstPage.getOrDefault(i + 1, -1) : pages;
            if (start >= 0 && next - start > 1) {
                bad = i;
                break;
            }
        }
        Sheet s = sheets.get(bad);
        if (s.kind() == SheetKind.HANDOVER) {
            return new LetterFailure("render.coverOverflow", List.of(s.cover().getClassName(), "print-handover.vm"),
                    "a page of the hand-over list runs over its page (print-handover.vm)", null);
        }
        if (s.isCover()) {
            return new LetterFailure("render.coverOverflow", List.of(s.cover().getClassName(), "print-cover.vm"),
                    "cover sheet of class " + s.cover().getClassName() + " runs over its page (print-cover.vm)", null);
        }
        Account culprit = s.accounts().get(0);
        if (s.accounts().size() > 1) culprit = culprit(structure, layout, s.accounts());
        String template = templateFor(culprit, layout);
        if (s.kind() == SheetKind.POSTAL) template += ", print-address.vm";
        return new LetterFailure("render.overflow", List.of(culprit.displayName(), culprit.displayLogin(), template),
                "the letter of " + culprit.displayName() + " (" + culprit.displayLogin() + ") runs over one page with template "
                        + template, null);
    }

    /** The page each sheet box starts on, from the laid-out box tree (sheets are body's children). */
    private static void collectSheetPages(Box box, List<com.openhtmltopdf.render.PageBox> pages,
                                          Map<Integer, Integer> firstPage, int depth) {
        if (box == null || depth > 3) return;
        org.w3c.dom.Element e = box.getElement();
        if (e != null && SHEET_ID.matcher(e.getAttribute("id")).matches()) {
            int y = box.getAbsY();
            int page = 0;
            while (page < pages.size() - 1 && pages.get(page).getBottom() <= y) page++;
            firstPage.merge(Integer.parseInt(e.getAttribute("id").substring(1)), page, Math::min);
            return;
        }
        for (int i = 0; i < box.getChildCount(); i++) collectSheetPages(box.getChild(i), pages, firstPage, depth + 1);
    }

    /** In a sheet of several letters, the one that does not fit its cell alone. */
    private Account culprit(Structure structure, int layout, List<Account> accounts) {
        for (Account a : accounts) {
            List<Sheet> alone = List.of(new Sheet(null, List.of(a)));
            int[] pages = new int[1];
            try {
                pdf.render(xhtml(structure, layout, alone), OutputStream.nullOutputStream(), (r, n) -> {
                    pages[0] = n;
                    throw new CancellationException("layout only");
                });
            } catch (CancellationException | IOException e) {
                // Layout measured; nothing painted.
            }
            if (pages[0] > 1) return a;
        }
        return accounts.get(0);
    }

    static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: temp files.
                }
            });
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    private static final class StringBuilderWriter extends java.io.Writer {
        private final StringBuilder sb;

        StringBuilderWriter(StringBuilder sb) {
            this.sb = sb;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            sb.append(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            sb.append(str, off, off + len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}

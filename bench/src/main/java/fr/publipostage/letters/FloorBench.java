package fr.publipostage.letters;

import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.bench.LettersBench;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.templates.QrCodes;
import fr.publipostage.testing.TestDatabase;
import com.google.zxing.common.BitMatrix;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * The floor (issue 15): the same letters' text drawn straight with PDFBox — no HTML, no CSS, no
 * layout, no Velocity — at the positions the engine laid them out, and compared, in the same JVM and
 * interleaved run by run, with the engine printing the same accounts (tagged, the default, and
 * untagged).
 *
 * <p>How the floor's letters are made: one letter of each kind (to activate, reminder) is printed by
 * the engine (untagged) and read back with PDFBox's text extraction: every line's text, font (DejaVu
 * Sans regular/bold, Mono), size and position; and the QR code's box. Each account's letter is that
 * template with the sample's name, login and code replaced by the account's, every line drawn at the
 * sample's position with the same embedded fonts (DejaVu, GSUB hidden, subset once per chunk), its QR
 * code drawn as the engine draws it (one path of the dark modules' row runs). Chunks of 100 pages on 2
 * threads, each document handed in memory to the engine's own {@link ChunkConcatenator}, so the floor
 * pays the same merge. Accounts are read from the database before timing (the engine's
 * timing includes its streamed cursor and Velocity).
 *
 * <p>{@code BENCH_MAIN=fr.publipostage.letters.FloorBench bash bench/letters.sh [N] [RUNS] [WARM]}: WARM
 * pages drawn by each path before the timed runs (a fifth of N by default). Both paths keep getting
 * faster for tens of thousands of pages (the JIT), so a steady-state ratio needs a large WARM.
 */
public final class FloorBench {
    private static final int CHUNK = 100;
    private static final int THREADS = 2;

    /** One line of a laid-out letter: where, in which face and size, what. */
    record Line(float x, float y, float size, int face, String text) {
    }

    /** A laid-out letter: its lines, the QR box (PDF user space, origin bottom left) and the sample's fields. */
    record Layout(List<Line> lines, float[] qr, Account sample) {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int warmPages = args.length > 2 ? Integer.parseInt(args[2]) : n / 5;
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App tagged = db.app(Map.of(Setting.PDF_THREADS, "2", Setting.PDF_CHUNK_PAGES, "100"));
            App untagged = db.app(Map.of(Setting.PDF_THREADS, "2", Setting.PDF_CHUNK_PAGES, "100", Setting.PDF_TAGGED, "false"));
            tagged.demo().loadIfEmpty();
            tagged.importer().importCsv(new ByteArrayInputStream(LettersBench.synthetic(n).getBytes(StandardCharsets.UTF_8)), null);
            long lycee = tagged.structureByUai(DemoDirectory.LYCEE_UAI).id();
            Selection pupils = tagged.selections().parse(lycee, Map.of("class", List.of("BENCH 1", "BENCH 2", "BENCH 3",
                    "BENCH 4", "BENCH 5"), "sort", List.of("class")));
            Selection warm = tagged.selections().parse(lycee, Map.of("class", List.of("BENCH 1")));
            List<Account> accounts = new ArrayList<>();
            tagged.selections().forEach(pupils, Scope.LOCAL_ADMIN, accounts::add);
            Layout pending = layout(untagged, pupils, accounts.stream().filter(a -> !a.activated()).findFirst().orElseThrow());
            Layout reminder = layout(untagged, pupils, accounts.stream().filter(Account::activated).findFirst().orElseThrow());
            String entUrl = tagged.structureByUai(DemoDirectory.LYCEE_UAI).entUrl();
            System.out.printf("accounts: %d, cores: %d, max heap: %d MB, lines per letter: %d (pending) / %d (reminder), load %.1f%n",
                    accounts.size(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    pending.lines().size(), reminder.lines().size(), load());
            Floor floor = new Floor(pending, reminder, entUrl);
            // Warm-up: each path on a fifth (one class), as many rounds as WARM pages ask, interleaved.
            List<Account> fifth = accounts.subList(0, accounts.size() / 5);
            int rounds = Math.max(1, (warmPages + fifth.size() - 1) / Math.max(1, fifth.size()));
            for (int w = 1; w <= rounds; w++) {
                String round = "warm-up " + w + "/" + rounds;
                floor.run(fifth, round + " floor", w == 1);
                engine(tagged, warm, round + " engine tagged");
                engine(untagged, warm, round + " engine untagged");
            }
            double[][] r = new double[3][runs];
            for (int i = 0; i < runs; i++) {
                r[0][i] = floor.run(accounts, "run " + (i + 1) + " floor", i == 0);
                r[1][i] = engine(tagged, pupils, "run " + (i + 1) + " engine tagged (default)");
                r[2][i] = engine(untagged, pupils, "run " + (i + 1) + " engine untagged");
            }
            double f = median(r[0]);
            double t = median(r[1]);
            double u = median(r[2]);
            System.out.printf("medians: floor %.0f pages/s; engine tagged %.0f pages/s = floor/%.1f; engine untagged %.0f pages/s = floor/%.1f; load %.1f%n",
                    f, t, f / t, u, f / u, load());
            untagged.close();
            tagged.close();
        }
        System.exit(0);
    }

    static double engine(App app, Selection selection, String label) throws Exception {
        Path out = Files.createTempFile("floor-bench-engine", ".pdf");
        long t0 = System.nanoTime();
        long cpu0 = LettersBench.processCpu();
        LetterEngine.Result r;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            r = app.letters().print(selection, Scope.LOCAL_ADMIN, "bench", "bench", os, LetterEngine.Progress.NONE);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (LettersBench.processCpu() - cpu0) / 1e9;
        System.out.printf("%s: %d pages in %.2f s = %.0f pages/s (%.0f pages per CPU-second), %d bytes/page, load %.1f%n",
                label, r.pages(), s, r.pages() / s, r.pages() / cpu, r.bytes() / Math.max(1, r.pages()), load());
        Files.delete(out);
        return r.pages() / s;
    }

    /** The engine's letter for {@code a}, read back: lines (grouped by baseline) and the QR box. */
    static Layout layout(App untagged, Selection selection, Account a) throws IOException {
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        untagged.letterEngine().print(selection, List.of(a), pdf);
        List<Line> lines = new ArrayList<>();
        float[] qr;
        try (PDDocument doc = Loader.loadPDF(pdf.toByteArray())) {
            float height = doc.getPage(0).getMediaBox().getHeight();
            PDFTextStripper stripper = new PDFTextStripper() {
                @Override
                protected void writeString(String text, List<TextPosition> positions) {
                    if (positions.isEmpty()) return;
                    TextPosition first = positions.get(0);
                    String font = first.getFont().getName();
                    int face = (font.contains("Mono") ? 2 : 0) + (font.contains("Bold") ? 1 : 0);
                    // Runs of one font on one baseline: one line drawn at its first glyph.
                    int start = 0;
                    for (int i = 1; i <= positions.size(); i++) {
                        boolean cut = i == positions.size() || positions.get(i).getFont() != positions.get(start).getFont();
                        if (!cut) continue;
                        TextPosition p = positions.get(start);
                        StringBuilder s = new StringBuilder();
                        for (int k = start; k < i; k++) s.append(positions.get(k).getUnicode());
                        String fn = p.getFont().getName();
                        int f = (fn.contains("Mono") ? 2 : 0) + (fn.contains("Bold") ? 1 : 0);
                        lines.add(new Line(p.getXDirAdj(), height - p.getYDirAdj(), p.getFontSizeInPt(), f, s.toString()));
                        start = i;
                    }
                }
            };
            stripper.setSortByPosition(true);
            stripper.getText(doc);
            qr = QrBox.find(doc.getPage(0));
        }
        return new Layout(lines, qr, a);
    }

    /** Draws the letters: chunks of 100 pages on 2 threads, then the engine's concatenation. */
    static final class Floor {
        private final Layout pending;
        private final Layout reminder;
        private final String entUrl;
        private final QrCodes codes = new QrCodes();
        private final byte[][] faces = new byte[4][];
        private final ThreadLocal<TrueTypeFont[]> parsed = ThreadLocal.withInitial(() -> new TrueTypeFont[4]);

        Floor(Layout pending, Layout reminder, String entUrl) throws IOException {
            this.pending = pending;
            this.reminder = reminder;
            this.entUrl = entUrl;
            String[] files = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"};
            for (int i = 0; i < 4; i++) {
                try (InputStream in = FloorBench.class.getClassLoader().getResourceAsStream("fonts/" + files[i])) {
                    faces[i] = Fonts.withoutGsub(in.readAllBytes());
                }
            }
        }

        double run(List<Account> accounts, String label, boolean check) throws Exception {
            Path dir = Files.createTempDirectory("floor-bench");
            Path out = dir.resolve("floor.pdf");
            long t0 = System.nanoTime();
            long cpu0 = LettersBench.processCpu();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<PDDocument>> chunks = new ArrayList<>();
            try {
                for (int from = 0; from < accounts.size(); from += CHUNK) {
                    List<Account> part = accounts.subList(from, Math.min(accounts.size(), from + CHUNK));
                    chunks.add(pool.submit(() -> chunk(part)));
                }
                // As the engine does: each chunk's document handed in memory, in order, to the concatenation.
                try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
                    ChunkConcatenator file = new ChunkConcatenator(os);
                    for (Future<PDDocument> f : chunks) {
                        try (PDDocument doc = f.get()) {
                            file.append(doc);
                        }
                    }
                    file.finish();
                }
            } finally {
                pool.shutdownNow();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (LettersBench.processCpu() - cpu0) / 1e9;
            long bytes = Files.size(out);
            System.out.printf("%s: %d pages in %.2f s = %.0f pages/s (%.0f pages per CPU-second), %d bytes/page, load %.1f%n",
                    label, accounts.size(), s, accounts.size() / s, accounts.size() / cpu, bytes / accounts.size(), load());
            if (check) check(out, accounts);
            LetterEngine.deleteTree(dir);
            return accounts.size() / s;
        }

        /** Read back: one page per account, the first and last pages carry their account's login and code. */
        private void check(Path pdf, List<Account> accounts) throws IOException {
            try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
                if (doc.getNumberOfPages() != accounts.size()) {
                    throw new IllegalStateException("floor: " + doc.getNumberOfPages() + " pages for " + accounts.size());
                }
                for (int page : new int[] {1, accounts.size()}) {
                    PDFTextStripper s = new PDFTextStripper();
                    s.setStartPage(page);
                    s.setEndPage(page);
                    String text = s.getText(doc);
                    Account a = accounts.get(page - 1);
                    if (!text.contains(a.login()) || (a.activationCode() != null && !text.contains(a.activationCode()))) {
                        throw new IllegalStateException("floor: page " + page + " lacks " + a.login());
                    }
                }
            }
            System.out.println("  floor PDF read back: " + accounts.size() + " pages, first and last page's login and code found");
        }

        private PDDocument chunk(List<Account> accounts) throws IOException {
            PDDocument doc = new PDDocument();
            try {
                PDFont[] fonts = new PDFont[4];
                for (Account a : accounts) {
                    Layout l = a.activated() ? reminder : pending;
                    PDPage page = new PDPage(PDRectangle.A4);
                    doc.addPage(page);
                    try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                        cs.beginText();
                        int current = -1;
                        float currentSize = -1;
                        for (Line line : l.lines()) {
                            if (line.face() != current || line.size() != currentSize) {
                                if (fonts[line.face()] == null) fonts[line.face()] = PDType0Font.load(doc, font(line.face()), true);
                                cs.setFont(fonts[line.face()], line.size());
                                current = line.face();
                                currentSize = line.size();
                            }
                            cs.setTextMatrix(org.apache.pdfbox.util.Matrix.getTranslateInstance(line.x(), line.y()));
                            cs.showText(fields(line.text(), l.sample(), a));
                        }
                        cs.endText();
                        if (l.qr() != null) qr(doc, cs, l.qr(), a);
                    }
                }
                org.apache.pdfbox.pdmodel.PendingFontSubsets.subsetAll(doc);
            } catch (IOException | RuntimeException e) {
                doc.close();
                throw e;
            }
            return doc;
        }

        private String fields(String text, Account sample, Account a) {
            if (text.indexOf(sample.login()) >= 0) text = text.replace(sample.login(), a.login());
            if (sample.activationCode() != null && a.activationCode() != null) text = text.replace(sample.activationCode(), a.activationCode());
            if (text.indexOf(sample.lastName()) >= 0) text = text.replace(sample.lastName(), a.lastName());
            if (text.indexOf(sample.firstName()) >= 0) text = text.replace(sample.firstName(), a.firstName());
            return text;
        }

        /** As {@link QrCodeDrawer}: its form XObject (white square, dark rectangles) scaled into the box. */
        private void qr(PDDocument doc, PDPageContentStream cs, float[] box, Account a) throws IOException {
            fr.publipostage.templates.EntView ent = new fr.publipostage.templates.EntView(entUrl);
            String target = a.activated() ? ent.getUrl()
                    : ent.getActivationUrl() + "?login="
                    + java.net.URLEncoder.encode(a.login(), StandardCharsets.UTF_8);
            BitMatrix m = codes.matrix(target);
            float module = Math.min(box[2], box[3]) / m.getWidth();
            cs.saveGraphicsState();
            cs.transform(new org.apache.pdfbox.util.Matrix(module, 0, 0, module, box[0], box[1]));
            cs.drawForm(QrCodeDrawer.form(doc, m));
            cs.restoreGraphicsState();
        }

        private TrueTypeFont font(int face) throws IOException {
            TrueTypeFont[] mine = parsed.get();
            if (mine[face] == null) mine[face] = new TTFParser().parse(new RandomAccessReadBuffer(faces[face]));
            return mine[face];
        }
    }

    /** The QR code's box on a page: the bounds of the one filled path of many rectangles (x, y, w, h). */
    static final class QrBox extends org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine {
        private float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
        private int rects;
        private float[] found;

        private QrBox(PDPage page) {
            super(page);
        }

        static float[] find(PDPage page) throws IOException {
            QrBox b = new QrBox(page);
            b.processPage(page);
            return b.found;
        }

        @Override
        public void appendRectangle(java.awt.geom.Point2D p0, java.awt.geom.Point2D p1, java.awt.geom.Point2D p2,
                                    java.awt.geom.Point2D p3) {
            rects++;
            for (java.awt.geom.Point2D p : new java.awt.geom.Point2D[] {p0, p1, p2, p3}) {
                minX = Math.min(minX, (float) p.getX());
                maxX = Math.max(maxX, (float) p.getX());
                minY = Math.min(minY, (float) p.getY());
                maxY = Math.max(maxY, (float) p.getY());
            }
        }

        @Override
        public void fillPath(int windingRule) {
            if (rects > 50 && found == null) found = new float[] {minX, minY, maxX - minX, maxY - minY};
            endPath();
        }

        @Override
        public void endPath() {
            rects = 0;
            minX = minY = Float.MAX_VALUE;
            maxX = maxY = -Float.MAX_VALUE;
        }

        @Override public void drawImage(org.apache.pdfbox.pdmodel.graphics.image.PDImage pdImage) { }
        @Override public void clip(int windingRule) { }
        @Override public void moveTo(float x, float y) { }
        @Override public void lineTo(float x, float y) { }
        @Override public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) { }
        @Override public java.awt.geom.Point2D getCurrentPoint() { return new java.awt.geom.Point2D.Float(); }
        @Override public void closePath() { }
        @Override public void strokePath() { endPath(); }
        @Override public void fillAndStrokePath(int windingRule) { fillPath(windingRule); }
        @Override public void shadingFill(org.apache.pdfbox.cos.COSName shadingName) { }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}

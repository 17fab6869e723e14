package fr.publipostage.letters;

import com.openhtmltopdf.extend.FSCacheEx;
import com.openhtmltopdf.extend.FSCacheValue;
import com.openhtmltopdf.extend.FSStream;
import com.openhtmltopdf.extend.FSStreamFactory;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceType;
import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.util.XRLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import fr.publipostage.templates.ImageLimits;
import org.apache.pdfbox.pdmodel.PDDocument;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bare XHTML → PDF engine (OpenHTMLtoPDF 1.1 on PDFBox 3), configured for speed and safety:
 * fast mode, our fonts registered from memory, one font-metrics cache shared by every document,
 * GSUB hidden in every font (ours and the document's own {@code @font-face}), and no resource
 * loaded from anywhere but {@code data:} URIs and, for {@code render-html}, the input file's folder.
 * A letter's {@code data:} images are drawn only within {@link ImageLimits} (checked from the header).
 * Thread-safe: each call builds its own renderer; the metrics cache is concurrent.
 */
public final class PdfRenderer {
    /** Called after layout, before anything is painted: may refuse the document (overflow checks). */
    @FunctionalInterface
    public interface LayoutCheck {
        void check(PdfBoxRenderer renderer, int pageCount);
    }

    /**
     * What kind of PDF a render writes. {@code tagged}: PDF/UA-1 (structure tree, {@code /Lang} from the
     * document's and each element's {@code lang}, title, alternative texts, artifacts); {@code archive}:
     * PDF/A-2u (XMP identification, sRGB output intent); both together make one file of both kinds.
     */
    public record Conformance(boolean tagged, boolean archive) {
        public static final Conformance PLAIN = new Conformance(false, false);
        public static final Conformance TAGGED = new Conformance(true, false);

        public Conformance withArchive(boolean archive) {
            return new Conformance(tagged, archive);
        }
    }

    private final Fonts fonts;
    private final Conformance defaults;
    private final QrCodeDrawer qrCodes = new QrCodeDrawer(new fr.publipostage.templates.QrCodes());
    private final FSCacheEx<String, FSCacheValue> metrics = new MetricsCache();
    private final java.util.function.IntConsumer pagesWritten;

    /** An engine that tags its PDFs (PDF/UA-1), the default. */
    public PdfRenderer(Fonts fonts) {
        this(fonts, true, pages -> { });
    }

    /** @param tagged whether PDFs are tagged (PDF/UA-1); false only for comparisons ({@code PUBLIPOSTAGE_PDF_TAGGED}) */
    public PdfRenderer(Fonts fonts, boolean tagged) {
        this(fonts, tagged, pages -> { });
    }

    /** {@code pagesWritten} hears the page count of every document written (the pages-rendered meter). */
    public PdfRenderer(Fonts fonts, java.util.function.IntConsumer pagesWritten) {
        this(fonts, true, pagesWritten);
    }

    public PdfRenderer(Fonts fonts, boolean tagged, java.util.function.IntConsumer pagesWritten) {
        this.fonts = fonts;
        this.defaults = new Conformance(tagged, false);
        this.pagesWritten = pagesWritten;
        // OpenHTMLtoPDF logs every font load and CSS remark through java.util.logging: off.
        XRLog.setLoggingEnabled(false);
    }

    public Fonts fonts() {
        return fonts;
    }

    /** What this engine writes unless asked for an archive copy: tagged or not. */
    public Conformance defaults() {
        return defaults;
    }

    /**
     * Renders a document of ours (letters): only {@code data:} resources, our font families.
     *
     * @return the number of pages written
     */
    public int render(String xhtml, OutputStream out, LayoutCheck check) throws IOException {
        return render(xhtml, out, check, uri -> { }, defaults);
    }

    /** Same, as {@code conformance} says (tagged, PDF/A). */
    public int render(String xhtml, OutputStream out, LayoutCheck check, Conformance conformance) throws IOException {
        return render(xhtml, out, check, uri -> { }, conformance);
    }

    /**
     * A part of a file that {@link ChunkConcatenator} puts together: the drawn document itself, in
     * memory, its fonts subset (what a save would do first), never saved nor parsed back. The caller
     * closes it.
     */
    PDDocument renderPart(String xhtml, LayoutCheck check, Conformance conformance) throws IOException {
        return drawLetters(xhtml, check, uri -> { }, conformance);
    }

    /**
     * Same, telling {@code refused} every resource URI the document names (image, style sheet,
     * {@code @import}, font, background…) that is not a {@code data:} URI, as written in the document
     * (possibly more than once): the resource is not read and the document renders without it.
     *
     * @return the number of pages written
     */
    public int render(String xhtml, OutputStream out, LayoutCheck check, Consumer<String> refused) throws IOException {
        return render(xhtml, out, check, refused, defaults);
    }

    private int render(String xhtml, OutputStream out, LayoutCheck check, Consumer<String> refused,
                       Conformance conformance) throws IOException {
        try (PDDocument doc = drawLetters(xhtml, check, refused, conformance)) {
            PdfFiles.save(doc, out);
            return doc.getNumberOfPages();
        }
    }

    /** A document of ours drawn in memory (fonts subset); the caller saves or appends it, and closes it. */
    private PDDocument drawLetters(String xhtml, LayoutCheck check, Consumer<String> refused, Conformance conformance)
            throws IOException {
        PDDocument doc = new PDDocument();
        try {
            PdfRendererBuilder builder = builder(null, doc, conformance);
            // Before OpenHTMLtoPDF resolves it: the admin sees the URI he wrote; resolved ones are checked too.
            Consumer<String> told = uri -> refused.accept(uri == null ? "" : uri.length() > 200 ? uri.substring(0, 200) + "…" : uri);
            builder.useExternalResourceAccessControl((uri, type) -> {
                boolean ok = allowed(uri, null) && imageWithinLimits(uri, type);
                if (!ok) told.accept(uri);
                return ok;
            }, ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI);
            fonts.forDocument(doc).registerAll(builder);
            builder.withHtmlContent(xhtml, "about:letters");
            draw(builder, doc, check, told);
            return doc;
        } catch (IOException | RuntimeException | Error e) {
            doc.close();
            throw e;
        }
    }

    /**
     * Renders any XHTML file: its own {@code @font-face} fonts, images and CSS are read from its
     * folder (nowhere else); our fonts stand in for any family it names but does not supply. An
     * {@code @font-face} whose file is one of our fonts, byte for byte, is served by our copy
     * (registered and measured once) instead of being read and parsed again.
     */
    public int renderFile(Path xhtml, OutputStream out) throws IOException {
        return renderFile(xhtml, out, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Same, on up to {@code threads} threads: a document of independent pages (see
     * {@link PageSplitter}) is cut into consecutive parts rendered in parallel, then concatenated.
     *
     * @return the number of pages written
     */
    public int renderFile(Path xhtml, OutputStream out, int threads) throws IOException {
        // Its real path: what a resource resolves to is compared with it once links are followed.
        Path folder = xhtml.toAbsolutePath().getParent().toRealPath();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, daemon -> {
            Thread t = new Thread(daemon, "render-part");
            t.setDaemon(true);  // a warm-up still running never holds the process
            return t;
        });
        java.util.List<java.util.concurrent.Future<PDDocument>> rendered = new java.util.ArrayList<>();
        try {
            // While this thread parses, another core lays out and draws a small page in our fonts: a
            // cold process loads and compiles the engine there instead of in the parts (render-html).
            if (threads > 1) pool.submit(this::warmUp);
            org.w3c.dom.Document dom = parse(xhtml);
            Map<String, Fonts.Face> adopted = FontFaces.adoptOurs(dom, folder, fonts);
            // Several parts a thread: the threads end together, and the first parts render while the next are cut.
            java.util.List<java.util.function.Supplier<org.w3c.dom.Document>> parts = PageSplitter.split(dom, threads * 4, 50);
            if (parts.size() == 1) return renderDom(parts.get(0).get(), folder, adopted, out);
            for (java.util.function.Supplier<org.w3c.dom.Document> part : parts) {
                org.w3c.dom.Document partDom = part.get();
                rendered.add(pool.submit(() -> renderDomPart(partDom, folder, adopted)));
            }
            // In order, each part as soon as it is drawn: the first ones are written while the last render.
            ChunkConcatenator file = new ChunkConcatenator(out);
            int pages = 0;
            for (java.util.concurrent.Future<PDDocument> f : rendered) {
                try (PDDocument part = f.get()) {
                    pages += part.getNumberOfPages();
                    file.append(part);
                }
            }
            file.finish();
            return pages;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
            // Parts drawn but not appended (a failure on the way): released.
            for (java.util.concurrent.Future<PDDocument> f : rendered) {
                if (!f.isDone() || f.isCancelled()) continue;
                try {
                    f.get().close();
                } catch (Exception ignored) {
                    // Failed part: nothing to release.
                }
            }
        }
    }

    /** A page in each of our faces, a table and borders, drawn and thrown away (see renderFile). */
    private void warmUp() {
        String page = "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><style>body{font-family:'DejaVu Sans';font-size:10pt}"
                + "td{border:1px solid #888;padding:2pt} code{font-family:'DejaVu Sans Mono'}</style></head><body>"
                + "<h1>Éloïse Lefèvre</h1><p>Votre identifiant : <code>eloise.lefevre</code>, <b>code d’activation</b>.</p>"
                + "<table><tr><td>Identifiant</td><td><code>ELOISE.LEFEVRE</code></td></tr></table></body></html>";
        try (PDDocument doc = new PDDocument()) {
            PdfRendererBuilder builder = builder(null, doc, defaults);
            fonts.forDocument(doc).registerAll(builder);
            builder.withHtmlContent(page, "about:warm-up");
            try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
                renderer.layout();
                renderer.createPDFWithoutClosing();
            }
        } catch (IOException | RuntimeException ignored) {
            // Only a warm-up.
        }
    }

    private int renderDom(org.w3c.dom.Document dom, Path folder, Map<String, Fonts.Face> adopted, OutputStream out)
            throws IOException {
        try (PDDocument doc = renderDomPart(dom, folder, adopted)) {
            PdfFiles.save(doc, out);
            return doc.getNumberOfPages();
        }
    }

    /** A document drawn in memory, fonts subset; the caller saves or appends it, and closes it. */
    private PDDocument renderDomPart(org.w3c.dom.Document dom, Path folder, Map<String, Fonts.Face> adopted)
            throws IOException {
        PDDocument doc = new PDDocument();
        try {
            PdfRendererBuilder builder = builder(folder, doc, defaults);
            Fonts.ForDocument docFonts = fonts.forDocument(doc);
            for (Map.Entry<String, Fonts.Face> alias : adopted.entrySet()) {
                docFonts.add(builder, alias.getKey().substring(alias.getKey().indexOf('|') + 1), alias.getValue());
            }
            docFonts.registerAll(builder);
            builder.withW3cDocument(dom, folder.toUri().toString());
            draw(builder, doc, null, null);
            return doc;
        } catch (IOException | RuntimeException | Error e) {
            doc.close();
            throw e;
        }
    }

    private static org.w3c.dom.Document parse(Path xhtml) throws IOException {
        try {
            javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setExpandEntityReferences(false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            // The parser's explanation in French (the command line's default language).
            f.setAttribute("http://apache.org/xml/properties/locale", java.util.Locale.FRENCH);
            javax.xml.parsers.DocumentBuilder builder = f.newDocumentBuilder();
            // Told once, by the caller: not also printed by the parser on the console.
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                    throw e;
                }
            });
            try (InputStream in = Files.newInputStream(xhtml)) {
                return builder.parse(in, xhtml.toUri().toString());
            }
        } catch (org.xml.sax.SAXParseException e) {
            throw new NotWellFormed(e.getLineNumber(), e.getColumnNumber(), e.getMessage(), e);
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new NotWellFormed(0, 0, e.getMessage(), e);
        }
    }

    /** A file given to {@link #renderFile} that is not well-formed XML: where, and the parser's words. */
    public static final class NotWellFormed extends IOException {
        private final int line;
        private final int column;
        private final String reason;

        NotWellFormed(int line, int column, String reason, Throwable cause) {
            super("not well-formed XHTML, line " + line + ", column " + column + ": " + reason, cause);
            this.line = line;
            this.column = column;
            this.reason = reason == null ? "" : reason;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }

        public String reason() {
            return reason;
        }
    }

    private PdfRendererBuilder builder(Path folder, PDDocument doc, Conformance conformance) {
        PdfRendererBuilder b = new PdfRendererBuilder();
        b.usePDDocument(doc);
        b.useFastMode();
        // Content streams left uncompressed (all this "test mode" does): PageContents drops the empty
        // artifacts from them, then compresses them.
        b.testMode(true);
        if (conformance.tagged()) b.usePdfUaAccessibility(true);
        if (conformance.archive()) {
            b.usePdfAConformance(PdfRendererBuilder.PdfAConformance.PDFA_2_U);
            b.useColorProfile(SRGB);
        }
        b.useCacheStore(PdfRendererBuilder.CacheStore.PDF_FONT_METRICS, metrics);
        b.withProducer("Publipostage");
        b.useObjectDrawerFactory(qrCodes);
        b.useUnicodeLineBreaker(new ApostropheLineBreaker());
        b.useExternalResourceAccessControl((uri, type) -> allowed(uri, folder),
                ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI);
        // Files of the document's folder, fonts among them with GSUB hidden.
        b.useProtocolsStreamImplementation(new FolderStreams(folder), "file");
        b.useHttpStreamImplementation(url -> {
            throw new IllegalStateException("network access refused: " + url);
        });
        b.withDiagnosticConsumer(d -> { });
        return b;
    }

    /**
     * The sRGB profile of the PDF/A output intent: the Java runtime's own ("sRGB built-in", ICC v2.3,
     * monitor class), so no profile file is shipped; OpenHTMLtoPDF's colours are all sRGB.
     */
    private static final byte[] SRGB = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB).getData();

    /**
     * A {@code data:} image of a letter is drawn only within the logo's limits, read from its header:
     * a huge one (e.g. a 48 KB PNG of 20000×20000 pixels) is skipped without decoding a pixel.
     */
    static boolean imageWithinLimits(String uri, ExternalResourceType type) {
        if (!ImageLimits.isData(uri)) return true;
        if (type != ExternalResourceType.IMAGE_RASTER && type != ExternalResourceType.SVG_BINARY
                && type != ExternalResourceType.XML_SVG) {
            return true;
        }
        return ImageLimits.DEFAULT.check(uri) == null;
    }

    /** Whether a resource may be read: a {@code data:} URI, or a file inside {@code folder} (a real path). */
    static boolean allowed(String uri, Path folder) {
        if (uri == null) return false;
        if (uri.startsWith("data:")) return true;
        if (folder == null || !uri.startsWith("file:")) return false;
        try {
            Path p = Path.of(URI.create(uri)).toAbsolutePath().normalize();
            // A symbolic link inside the folder to a file outside is a way out: followed, then compared.
            return p.startsWith(folder) && p.toRealPath().startsWith(folder);
        } catch (RuntimeException | IOException e) {
            return false;  // also a file that does not exist: nothing to read
        }
    }

    /**
     * Lays out, checks, draws into {@code doc} and subsets its fonts; returns the page count. A letter
     * ({@code refusedPdfs} not null) draws no PDF as an image; {@code render-html}'s own files may.
     */
    private int draw(PdfRendererBuilder builder, PDDocument doc, LayoutCheck check, Consumer<String> refusedPdfs)
            throws IOException {
        try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
            if (refusedPdfs != null) {
                var context = renderer.getSharedContext();
                context.setReplacedElementFactory(new NoPdfImages(context.getReplacedElementFactory(), refusedPdfs));
            }
            renderer.layout();
            int pages = renderer.getRootBox().getLayer().getPages().size();
            if (check != null) check.check(renderer, pages);
            renderer.createPDFWithoutClosing();
            PageContents.finish(doc);
            org.apache.pdfbox.pdmodel.PendingFontSubsets.subsetAll(doc);
            pagesWritten.accept(pages);
            return pages;
        }
    }

    /** Reads {@code file:} URLs inside one folder; font files come back without GSUB. */
    private static final class FolderStreams implements FSStreamFactory {
        private final Path folder;

        FolderStreams(Path folder) {
            this.folder = folder;
        }

        @Override
        public FSStream getUrl(String url) {
            return new FSStream() {
                @Override
                public InputStream getStream() {
                    return new ByteArrayInputStream(read());
                }

                @Override
                public Reader getReader() {
                    return new InputStreamReader(getStream(), StandardCharsets.UTF_8);
                }

                private byte[] read() {
                    if (!allowed(url, folder)) throw new IllegalStateException("resource refused: " + url);
                    try {
                        return Fonts.withoutGsub(Files.readAllBytes(Path.of(URI.create(url))));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        }
    }

    /** The font-metrics cache shared by all documents (keys: family, weight, style). */
    private static final class MetricsCache implements FSCacheEx<String, FSCacheValue> {
        private final ConcurrentHashMap<String, FSCacheValue> map = new ConcurrentHashMap<>();

        @Override
        public void put(String key, FSCacheValue value) {
            map.put(key, value);
        }

        @Override
        public FSCacheValue get(String key, Callable<? extends FSCacheValue> loader) {
            return map.computeIfAbsent(key, k -> {
                try {
                    return loader.call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public FSCacheValue get(String key) {
            return map.get(key);
        }
    }
}

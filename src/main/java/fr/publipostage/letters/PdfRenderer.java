package fr.publipostage.letters;

import com.openhtmltopdf.extend.FSCacheEx;
import com.openhtmltopdf.extend.FSCacheValue;
import com.openhtmltopdf.extend.FSStream;
import com.openhtmltopdf.extend.FSStreamFactory;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bare XHTML → PDF engine (OpenHTMLtoPDF 1.1 on PDFBox 3), configured for speed and safety:
 * fast mode, our fonts registered from memory, one font-metrics cache shared by every document,
 * GSUB hidden in every font (ours and the document's own {@code @font-face}), and no resource
 * loaded from anywhere but {@code data:} URIs and, for {@code render-html}, the input file's folder.
 * Thread-safe: each call builds its own renderer; the metrics cache is concurrent.
 */
public final class PdfRenderer {
    /** Called after layout, before anything is painted: may refuse the document (overflow checks). */
    @FunctionalInterface
    public interface LayoutCheck {
        void check(PdfBoxRenderer renderer, int pageCount);
    }

    private final Fonts fonts;
    private final FSCacheEx<String, FSCacheValue> metrics = new MetricsCache();

    public PdfRenderer(Fonts fonts) {
        this.fonts = fonts;
        // OpenHTMLtoPDF logs every font load and CSS remark through java.util.logging: off.
        XRLog.setLoggingEnabled(false);
    }

    public Fonts fonts() {
        return fonts;
    }

    /**
     * Renders a document of ours (letters): only {@code data:} resources, our font families.
     *
     * @return the number of pages written
     */
    public int render(String xhtml, OutputStream out, LayoutCheck check) throws IOException {
        PdfRendererBuilder builder = builder(null);
        fonts.register(builder, true);
        builder.withHtmlContent(xhtml, "about:letters");
        return run(builder, out, check);
    }

    /**
     * Renders any XHTML file: its own {@code @font-face} fonts, images and CSS are read from its
     * folder (nowhere else); our fonts stand in for any family it names but does not supply.
     */
    public int renderFile(Path xhtml, OutputStream out) throws IOException {
        Path folder = xhtml.toAbsolutePath().getParent().normalize();
        PdfRendererBuilder builder = builder(folder);
        fonts.register(builder, false);
        builder.withFile(xhtml.toFile());
        return run(builder, out, null);
    }

    private PdfRendererBuilder builder(Path folder) {
        PdfRendererBuilder b = new PdfRendererBuilder();
        b.useFastMode();
        b.useCacheStore(PdfRendererBuilder.CacheStore.PDF_FONT_METRICS, metrics);
        b.withProducer("Publipostage");
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

    static boolean allowed(String uri, Path folder) {
        if (uri == null) return false;
        if (uri.startsWith("data:")) return true;
        if (folder == null || !uri.startsWith("file:")) return false;
        try {
            Path p = Path.of(URI.create(uri)).toAbsolutePath().normalize();
            return p.startsWith(folder);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int run(PdfRendererBuilder builder, OutputStream out, LayoutCheck check) throws IOException {
        try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
            renderer.layout();
            int pages = renderer.getRootBox().getLayer().getPages().size();
            if (check != null) check.check(renderer, pages);
            renderer.createPDFWithoutClosing();
            renderer.getPdfDocument().save(out);
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

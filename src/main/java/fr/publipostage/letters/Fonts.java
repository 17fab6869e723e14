package fr.publipostage.letters;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.fontbox.FontBoxFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.CIDFontMapping;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.FontMapper;
import org.apache.pdfbox.pdmodel.font.FontMappers;
import org.apache.pdfbox.pdmodel.font.FontMapping;
import org.apache.pdfbox.pdmodel.font.PDCIDSystemInfo;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;

/**
 * The fonts of the top-level {@code fonts/} folder, read once from the classpath and kept in memory
 * (GSUB hidden, see {@link #withoutGsub}), registered into every PDF builder: DejaVu Sans for text
 * and as the fallback of any family a document names, DejaVu Sans Mono for {@code monospace}.
 * Only used glyphs are embedded (subsets), once per document.
 */
public final class Fonts {
    public static final String SANS = "DejaVu Sans";
    public static final String MONO = "DejaVu Sans Mono";

    record Face(String file, String family, int weight, byte[] bytes) {
    }

    private final List<Face> faces;

    public Fonts() {
        this.faces = List.of(
                new Face("DejaVuSans.ttf", SANS, 400, withoutGsub(read("DejaVuSans.ttf"))),
                new Face("DejaVuSans-Bold.ttf", SANS, 700, withoutGsub(read("DejaVuSans-Bold.ttf"))),
                new Face("DejaVuSansMono.ttf", MONO, 400, withoutGsub(read("DejaVuSansMono.ttf"))),
                new Face("DejaVuSansMono-Bold.ttf", MONO, 700, withoutGsub(read("DejaVuSansMono-Bold.ttf"))));
        installFontMapper(faces.get(0).bytes());
    }

    private static byte[] read(String file) {
        try (InputStream in = Fonts.class.getClassLoader().getResourceAsStream("fonts/" + file)) {
            if (in == null) throw new IllegalStateException("missing font fonts/" + file + " in the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One document's fonts: each face becomes at most one embedded font, shared by all its families. */
    final class ForDocument {
        private final PDDocument doc;
        private final Map<Face, MeasuredFont> loaded = new HashMap<>();

        ForDocument(PDDocument doc) {
            this.doc = doc;
        }

        private MeasuredFont font(Face face) {
            return loaded.computeIfAbsent(face, f -> {
                try {
                    return new MeasuredFont(PDType0Font.load(doc, parsed(f), true));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        /** Registers {@code face} for a CSS family (e.g. a document's @font-face alias of the same file). */
        void add(PdfRendererBuilder builder, String family, Face face) {
            builder.useFont(new com.openhtmltopdf.pdfboxout.PDFontSupplier(null) {
                @Override
                public org.apache.pdfbox.pdmodel.font.PDFont supply() {
                    return font(face);
                }
            }, family, face.weight(), BaseRendererBuilder.FontStyle.NORMAL, true);
        }

        /**
         * Our families ({@code DejaVu Sans}, {@code DejaVu Sans Mono}, and {@code monospace}) and DejaVu
         * Sans as the "pre built-in fallback" of every family, so a family nobody supplied is drawn in
         * DejaVu Sans (embedded), never in a base-14 font.
         */
        void registerAll(PdfRendererBuilder builder) {
            for (Face f : faces) {
                add(builder, f.family(), f);
                if (f.family().equals(MONO)) add(builder, "Monospaced", f);
                if (f.family().equals(SANS)) {
                    // CSS generic families (normalised by OpenHTMLtoPDF), then any other family.
                    add(builder, "SansSerif", f);
                    add(builder, "Serif", f);
                    builder.useFont(() -> new java.io.ByteArrayInputStream(f.bytes()), f.family(), f.weight(),
                            BaseRendererBuilder.FontStyle.NORMAL, true,
                            java.util.EnumSet.of(BaseRendererBuilder.FSFontUseCase.FALLBACK_PRE));
                }
            }
        }
    }

    ForDocument forDocument(PDDocument doc) {
        return new ForDocument(doc);
    }

    /** The face whose file (GSUB hidden) has exactly these bytes (GSUB hidden), if it is one of ours. */
    Face sameFile(byte[] fontWithoutGsub) {
        for (Face f : faces) {
            if (f.bytes().length == fontWithoutGsub.length && java.util.Arrays.equals(f.bytes(), fontWithoutGsub)) return f;
        }
        return null;
    }

    /** Each thread parses each face once and keeps it: fonts are parsed once per thread, not per document. */
    private TrueTypeFont parsed(Face face) throws IOException {
        TrueTypeFont[] mine = parsedFonts.get();
        int i = faces.indexOf(face);
        if (mine[i] == null) mine[i] = new TTFParser().parse(new RandomAccessReadBuffer(face.bytes()));
        return mine[i];
    }

    private final ThreadLocal<TrueTypeFont[]> parsedFonts = ThreadLocal.withInitial(() -> new TrueTypeFont[4]);

    /**
     * A copy of a TrueType/OpenType font whose {@code GSUB} table is hidden (its tag renamed to
     * {@code gsub}, which no reader knows; offsets and checksums of the other tables are unchanged).
     * PDFBox 3 then skips its glyph-substitution pass, which costs as much as the rest of the text
     * path on Latin text; the only loss is ligatures (ﬁ, ﬂ), which letters do not want anyway.
     * Anything that is not an sfnt font is returned unchanged.
     */
    public static byte[] withoutGsub(byte[] font) {
        if (font.length < 12) return font;
        int version = ((font[0] & 0xff) << 24) | ((font[1] & 0xff) << 16) | ((font[2] & 0xff) << 8) | (font[3] & 0xff);
        if (version != 0x00010000 && version != 0x4F54544F /* OTTO */ && version != 0x74727565 /* true */) return font;
        int tables = ((font[4] & 0xff) << 8) | (font[5] & 0xff);
        byte[] copy = null;
        for (int i = 0; i < tables; i++) {
            int o = 12 + 16 * i;
            if (o + 4 > font.length) break;
            if (font[o] == 'G' && font[o + 1] == 'S' && font[o + 2] == 'U' && font[o + 3] == 'B') {
                if (copy == null) copy = font.clone();
                copy[o] = 'g';
                copy[o + 1] = 's';
                copy[o + 2] = 'u';
                copy[o + 3] = 'b';
            }
        }
        return copy == null ? font : copy;
    }

    /** The regular sans-serif face, for tests and the preview. */
    public byte[] sansRegular() {
        return faces.get(0).bytes().clone();
    }

    /**
     * PDFBox looks up a system font for each base-14 font a renderer declares (even unused ones),
     * scanning the system's font folders on first use. Ours answers at once with DejaVu Sans: no
     * scan, no font cache file, and nothing the PDF depends on (base-14 fonts are never used for text,
     * see {@link #register}).
     */
    private static synchronized void installFontMapper(byte[] sans) {
        // Set, not first asked for: FontMappers.instance() would build PDFBox's default mapper, which
        // parses its last-resort TrueType font (~1 % of a cold render-html) only to be replaced. A second
        // Fonts replaces ours with an equal one, which parses DejaVu Sans when first needed.
        FontMappers.set(new OwnFontMapper(sans));
    }

    private static final class OwnFontMapper implements FontMapper {
        private final byte[] sans;
        private TrueTypeFont font;

        OwnFontMapper(byte[] sans) {
            this.sans = sans;
        }

        private synchronized TrueTypeFont font() {
            if (font == null) {
                try {
                    font = new TTFParser().parse(new RandomAccessReadBuffer(sans));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return font;
        }

        @Override
        public FontMapping<TrueTypeFont> getTrueTypeFont(String baseFont, PDFontDescriptor fontDescriptor) {
            return new FontMapping<>(font(), false);
        }

        @Override
        public FontMapping<FontBoxFont> getFontBoxFont(String baseFont, PDFontDescriptor fontDescriptor) {
            return new FontMapping<>(font(), false);
        }

        @Override
        public CIDFontMapping getCIDFont(String baseFont, PDFontDescriptor fontDescriptor, PDCIDSystemInfo cidSystemInfo) {
            return new CIDFontMapping(null, font(), false);
        }
    }
}

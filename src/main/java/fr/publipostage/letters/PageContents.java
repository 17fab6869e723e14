package fr.publipostage.letters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;

/**
 * The last step of drawing a page: its content stream, which OpenHTMLtoPDF leaves uncompressed here
 * (its {@code testMode}), loses the <em>empty</em> artifact sequences and is then compressed (Flate).
 *
 * <p>Tagged, OpenHTMLtoPDF opens an artifact ({@code /Artifact /PropN BDC … EMC}) for every box whose
 * style has a background or a border, before it knows whether anything is painted; on a letter ~95 of
 * the ~98 artifacts of a page enclose nothing, each with its own property list (an indirect object)
 * in the page's resources: ~60 % of the objects of a tagged letter. An empty marked-content sequence
 * marks nothing: it is dropped, and its property list with it when no kept operator names it. What is
 * painted, the text, the marked content that carries an MCID and the structure tree are untouched.
 *
 * <p>PDFBox writes one operator a line ({@code operands… OPERATOR\n}); a sequence is dropped only when
 * its {@code BDC} line is exactly {@code /Artifact /NAME BDC}, NAME is a background or pagination
 * artifact of the page's {@code /Properties}, and its {@code EMC} line follows with nothing between
 * (nested empty ones go too). Anything else is copied as it is.
 */
final class PageContents {
    private static final byte[] ARTIFACT = "/Artifact /".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BDC = " BDC".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BMC = " BMC".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMC = "EMC".getBytes(StandardCharsets.US_ASCII);
    private static final COSName PAGINATION = COSName.getPDFName("Pagination");

    private PageContents() {
    }

    /** Every page of {@code doc}: empty artifacts dropped, content compressed. */
    static void finish(PDDocument doc) throws IOException {
        for (PDPage page : doc.getPages()) finish(page);
    }

    static void finish(PDPage page) throws IOException {
        COSBase contents = page.getCOSObject().getDictionaryObject(COSName.CONTENTS);
        if (contents instanceof COSStream stream) {
            if (stream.getFilters() != null) return;  // written compressed by someone else: left as it is
            COSDictionary resources = page.getCOSObject().getCOSDictionary(COSName.RESOURCES);
            COSDictionary properties = resources == null ? null : resources.getCOSDictionary(COSName.PROPERTIES);
            byte[] raw = read(stream);
            Set<String> droppable = properties == null ? Set.of() : droppable(properties);
            Stripped kept = droppable.isEmpty() ? new Stripped(raw, raw.length, Set.of(), Set.of())
                    : strip(raw, droppable);
            if (!kept.dropped.isEmpty()) {
                // Rebuilt in one pass: no COSName made and looked up per dropped name.
                COSDictionary left = new COSDictionary();
                for (Map.Entry<COSName, COSBase> e : properties.entrySet()) {
                    String name = e.getKey().getName();
                    if (!kept.dropped.contains(name) || kept.named.contains(name)) left.setItem(e.getKey(), e.getValue());
                }
                resources.setItem(COSName.PROPERTIES, left);
            }
            compress(stream, kept.bytes, kept.length);
        } else if (contents instanceof COSArray parts) {
            // Several streams (a page appended to): sequences may span them; only compressed.
            for (int i = 0; i < parts.size(); i++) {
                if (parts.getObject(i) instanceof COSStream part && part.getFilters() == null) {
                    byte[] raw = read(part);
                    compress(part, raw, raw.length);
                }
            }
        }
    }

    /** The content left, the artifact names dropped, the property names its kept BDC lines use. */
    record Stripped(byte[] bytes, int length, Set<String> dropped, Set<String> named) {
    }

    /** The names of {@code properties} that are background or pagination artifacts (nothing that carries an MCID). */
    static Set<String> droppable(COSDictionary properties) {
        Set<String> names = new HashSet<>();
        for (Map.Entry<COSName, COSBase> e : properties.entrySet()) {
            COSBase value = e.getValue() instanceof COSObject o ? o.getObject() : e.getValue();
            if (!(value instanceof COSDictionary list) || list instanceof COSStream || list.containsKey(COSName.MCID)) continue;
            COSName type = list.getCOSName(COSName.TYPE);
            if (COSName.BACKGROUND.equals(type) || PAGINATION.equals(type)) names.add(e.getKey().getName());
        }
        return names;
    }

    static Stripped strip(byte[] in, Set<String> droppable) {
        byte[] out = new byte[in.length];
        int length = 0;
        Set<String> dropped = new HashSet<>();
        Set<String> named = new HashSet<>();
        // Open sequences: where each BDC/BMC line starts and ends in out, and whether it may go if empty.
        List<int[]> open = new ArrayList<>();
        List<String> openNames = new ArrayList<>();
        int start = 0;
        while (start < in.length) {
            int end = start;
            while (end < in.length && in[end] != '\n') end++;
            int lineEnd = Math.min(end + 1, in.length);  // with its newline
            boolean bdc = endsWith(in, start, end, BDC);
            boolean copy = true;
            if (bdc || endsWith(in, start, end, BMC)) {
                String name = bdc ? artifactName(in, start, end) : null;
                String dropping = name != null && droppable.contains(name) ? name : null;
                if (bdc && dropping == null) nameOperands(in, start, end, named);
                open.add(new int[] {length, length + lineEnd - start});
                openNames.add(dropping);
            } else if (end - start == EMC.length && endsWith(in, start, end, EMC) && !open.isEmpty()) {
                int[] sequence = open.remove(open.size() - 1);
                String name = openNames.remove(openNames.size() - 1);
                if (name != null && sequence[1] == length) {
                    length = sequence[0];  // nothing between BDC and EMC: both go
                    dropped.add(name);
                    copy = false;
                } else if (name != null) {
                    named.add(name);  // kept: its property list stays
                }
            }
            if (copy) {
                System.arraycopy(in, start, out, length, lineEnd - start);
                length += lineEnd - start;
            }
            start = lineEnd;
        }
        return new Stripped(out, length, dropped, named);
    }

    /** NAME of a line that is exactly {@code /Artifact /NAME BDC}, else null. */
    private static String artifactName(byte[] in, int start, int end) {
        int from = start + ARTIFACT.length;
        int to = end - BDC.length;
        if (to <= from) return null;
        for (int i = 0; i < ARTIFACT.length; i++) {
            if (in[start + i] != ARTIFACT[i]) return null;
        }
        for (int i = from; i < to; i++) {
            byte b = in[i];
            boolean regular = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '_';
            if (!regular) return null;  // PDFBox's own names (Prop1…) only
        }
        return new String(in, from, to - from, StandardCharsets.US_ASCII);
    }

    /** Records every {@code /Name} operand of a kept BDC line (the property list it may name). */
    private static void nameOperands(byte[] in, int start, int end, Set<String> named) {
        for (int i = start; i < end; i++) {
            if (in[i] != '/') continue;
            int j = i + 1;
            while (j < end && in[j] != ' ' && in[j] != '/' && in[j] != '<' && in[j] != '[') j++;
            named.add(new String(in, i + 1, j - i - 1, StandardCharsets.US_ASCII));
            i = j - 1;
        }
    }

    private static boolean endsWith(byte[] in, int start, int end, byte[] suffix) {
        if (end - start < suffix.length) return false;
        for (int i = 0; i < suffix.length; i++) {
            if (in[end - suffix.length + i] != suffix[i]) return false;
        }
        return true;
    }

    private static byte[] read(COSStream stream) throws IOException {
        try (InputStream in = stream.createRawInputStream()) {
            return in.readAllBytes();
        }
    }

    private static void compress(COSStream stream, byte[] bytes, int length) throws IOException {
        try (OutputStream os = stream.createOutputStream(COSName.FLATE_DECODE)) {
            os.write(bytes, 0, length);
        }
    }
}

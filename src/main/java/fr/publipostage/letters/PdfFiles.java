package fr.publipostage.letters;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * The one way letters, cards, cover sheets and render-html write a PDF: with one version. PDFBox
 * raises the header of a compressed file (object and cross-reference streams) to 1.6 but leaves the
 * catalog's /Version (OpenHTMLtoPDF writes 1.7) alone, so the file said 1.6 and 1.7 at once; here the
 * header is set to the document's version before saving. (Several documents become one file through
 * {@link ChunkConcatenator}.)
 */
final class PdfFiles {
    /** Object streams and cross-reference streams need 1.5; PDFBox writes at least 1.6 with them. */
    private static final float COMPRESSED_MINIMUM = 1.6f;

    private PdfFiles() {
    }

    /** Saves with the header's version equal to the catalog's. */
    static void save(PDDocument doc, OutputStream out) throws IOException {
        float version = Math.max(doc.getVersion(), COMPRESSED_MINIMUM);
        doc.setVersion(version);
        doc.getDocument().setVersion(version);
        doc.save(out);
    }
}

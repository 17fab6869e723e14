package fr.publipostage.letters;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.multipdf.PDFMergerUtility;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * The one way letters, cards, cover sheets and render-html write a PDF: with one version. PDFBox
 * raises the header of a compressed file (object and cross-reference streams) to 1.6 but leaves the
 * catalog's /Version (OpenHTMLtoPDF writes 1.7) alone, so the file said 1.6 and 1.7 at once; here the
 * header is set to the document's version before saving. Merges are done here too, because
 * {@code PDFMergerUtility.mergeDocuments} saves a destination document the caller never sees.
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

    /** Concatenates PDF files (each loaded from its file, as PDFMergerUtility's default mode does). */
    static void mergeFiles(List<File> sources, OutputStream out, StreamCacheCreateFunction cache) throws IOException {
        List<PDDocument> open = new ArrayList<>();
        try (PDDocument merged = new PDDocument(cache)) {
            PDFMergerUtility merger = new PDFMergerUtility();
            for (File f : sources) {
                PDDocument source = Loader.loadPDF(f);
                open.add(source);
                merger.appendDocument(merged, source);
            }
            save(merged, out);
        } finally {
            closeAll(open);
        }
    }

    /** Concatenates PDFs held in memory. */
    static void mergeBytes(List<byte[]> sources, OutputStream out, StreamCacheCreateFunction cache) throws IOException {
        List<PDDocument> open = new ArrayList<>();
        try (PDDocument merged = new PDDocument(cache)) {
            PDFMergerUtility merger = new PDFMergerUtility();
            for (byte[] bytes : sources) {
                PDDocument source = Loader.loadPDF(bytes);
                open.add(source);
                merger.appendDocument(merged, source);
            }
            save(merged, out);
        } finally {
            closeAll(open);
        }
    }

    private static void closeAll(List<PDDocument> docs) throws IOException {
        IOException first = null;
        for (PDDocument d : docs) {
            try {
                d.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}

package org.apache.pdfbox.pdmodel;

import java.io.IOException;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * Subsets the fonts a document was asked to subset, which {@link PDDocument#save} does before it
 * writes. A letters chunk is never saved: its in-memory document goes straight to
 * {@code fr.publipostage.letters.ChunkConcatenator}, so this step is run here. The set is
 * package-private in PDFBox, hence this class in PDFBox's package: a compile-time dependency (a PDFBox
 * that drops or renames the method fails the build), where reflection would fail at run time.
 */
public final class PendingFontSubsets {
    private PendingFontSubsets() {
    }

    /** Embeds the subset of every font of {@code doc} loaded with subsetting, as a save would. */
    public static void subsetAll(PDDocument doc) throws IOException {
        for (PDFont font : doc.getFontsToSubset()) font.subset();
        doc.getFontsToSubset().clear();
    }
}

package fr.publipostage.letters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;

/** Reads PDFs back for tests. */
final class Pdfs {
    private Pdfs() {
    }

    record Info(int pages, List<String> pageTexts, Set<String> fontNames, int fontObjects, boolean allEmbedded) {
        String text() {
            return String.join("\f", pageTexts);
        }
    }

    static Info read(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            List<String> texts = new ArrayList<>();
            for (int p = 1; p <= doc.getNumberOfPages(); p++) {
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                texts.add(stripper.getText(doc));
            }
            Set<String> names = new HashSet<>();
            Set<Object> objects = new HashSet<>();
            boolean embedded = true;
            for (PDPage page : doc.getPages()) {
                for (COSName n : page.getResources().getFontNames()) {
                    PDFont f = page.getResources().getFont(n);
                    names.add(f.getName());
                    objects.add(f.getCOSObject());
                    embedded &= f.isEmbedded();
                }
            }
            return new Info(doc.getNumberOfPages(), texts, names, objects.size(), embedded);
        }
    }
}

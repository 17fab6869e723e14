package fr.publipostage.letters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** A chunk saved by {@link PartWriter} is the same PDF as PDFBox's own uncompressed save. */
class PartWriterTest {
    private static final Fonts FONTS = new Fonts();

    @Test
    void sameDocumentAsPdfBoxSave() throws IOException {
        byte[] ours;
        byte[] theirs;
        try (PDDocument doc = chunk()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PartWriter.save(doc, out);
            ours = out.toByteArray();
        }
        try (PDDocument doc = chunk()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out, CompressParameters.NO_COMPRESSION);
            theirs = out.toByteArray();
        }
        try (PDDocument a = Loader.loadPDF(ours); PDDocument b = Loader.loadPDF(theirs)) {
            assertEquals(60, a.getNumberOfPages());
            assertEquals(b.getNumberOfPages(), a.getNumberOfPages());
            assertEquals(b.getDocument().getXrefTable().size(), a.getDocument().getXrefTable().size(), "same objects");
            assertEquals(new PDFTextStripper().getText(b), new PDFTextStripper().getText(a));
            assertTrue(new PDFTextStripper().getText(a).contains("Lettre 59 : Zoé Lefèvre"));
            // The font was subset, as PDDocument.save does.
            String fontName = a.getPage(0).getResources().getFont(COSName.getPDFName("F1")).getName();
            assertTrue(fontName.matches("[A-Z]{6}\\+.*"), fontName);
            // Objects shared between pages are written once: the structure-like chain reads back whole.
            COSArray kids = (COSArray) a.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.getPDFName("Chain"))
                    .getDictionaryObject(COSName.K);
            assertEquals(60, kids.size());
        }
    }

    @Test
    void queueAnswersContainsLikeArrayDeque() {
        PartWriter.IndexedQueue q = new PartWriter.IndexedQueue();
        COSDictionary a = new COSDictionary();
        COSDictionary b = new COSDictionary();
        q.add(a);
        q.addAll(java.util.List.of(b, a));
        assertTrue(q.contains(a));
        assertTrue(q.contains(b));
        assertEquals(a, q.removeFirst());
        assertTrue(q.contains(a), "a is queued twice");
        assertEquals(b, q.poll());
        assertFalse(q.contains(b));
        assertEquals(a, q.removeFirst());
        assertFalse(q.contains(a));
        assertTrue(q.isEmpty());
        q.push(b);
        q.offer(a);
        assertTrue(q.remove(a));
        assertFalse(q.contains(a));
        assertEquals(b, q.pop());
        assertFalse(q.contains(b));
    }

    /** 60 pages of text in one subset font, plus a chain of dictionaries pointing to each other and to the pages. */
    private static PDDocument chunk() throws IOException {
        PDDocument doc = new PDDocument();
        PDType0Font font = PDType0Font.load(doc, new java.io.ByteArrayInputStream(FONTS.sansRegular()), true);
        COSArray kids = new COSArray();
        COSDictionary chain = new COSDictionary();
        for (int i = 0; i < 60; i++) {
            PDPage page = new PDPage();
            doc.addPage(page);
            page.setResources(new org.apache.pdfbox.pdmodel.PDResources());
            page.getResources().put(COSName.getPDFName("F1"), font);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(font, 12);
                cs.newLineAtOffset(72, 700);
                cs.showText("Lettre " + i + " : Zoé Lefèvre");
                cs.endText();
            }
            COSDictionary element = new COSDictionary();
            element.setItem(COSName.P, chain);
            element.setItem(COSName.PG, page.getCOSObject());
            kids.add(element);
        }
        chain.setItem(COSName.K, kids);
        doc.getDocumentCatalog().getCOSObject().setItem(COSName.getPDFName("Chain"), chain);
        return doc;
    }
}

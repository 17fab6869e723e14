package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Structure;
import fr.publipostage.selection.Selection;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Base64;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.verapdf.pdfa.flavours.PDFAFlavour;

/**
 * The built-in letters are valid PDF/UA-1 (and PDF/A-2u when asked), as veraPDF judges them: French
 * and English schools, layouts 1, 2 and 8, class cover sheets, several chunks merged into one file.
 */
class TaggedPdfTest {
    static final ExecutorService POOL = Letters.pool(2);
    static final Structure ENGLISH = new Structure(2, "0330009Z", "Riverside Academy", "1 Quay Street, Bristol", "en",
            null, "https://ent.riverside.example.org");

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    static byte[] print(Structure school, int layout, boolean cover, boolean archive, int chunkPages) throws Exception {
        // Enough for three chunks or more (merged), a class change (cover sheets) and English letters.
        return print(school, Letters.accounts(layout == 8 ? 24 : 9, cover), layout, cover, archive,
                layout == 8 ? 1 : chunkPages);
    }

    static byte[] print(Structure school, List<Account> accounts, int layout, boolean cover, boolean archive,
                        int chunkPages) throws Exception {
        Selection selection = LetterEngineTest.selection(layout, cover, cover);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Letters.engine(school, new fr.publipostage.templates.BuiltinTemplates(), POOL, 2, chunkPages)
                .print(selection, accounts, out, archive);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0} layout {1} cover {2}")
    @CsvSource({"fr,1,true", "fr,2,false", "en,8,true", "en,2,true"})
    void builtInLettersAreValidPdfUa(String language, int layout, boolean cover) throws Exception {
        byte[] pdf = print(language.equals("fr") ? Letters.SCHOOL : ENGLISH, layout, cover, false, 3);
        assertThat(VeraPdf.failures(pdf, PDFAFlavour.PDFUA_1)).isEmpty();
    }

    /** The validator is not blind: the same letters untagged ({@code PUBLIPOSTAGE_PDF_TAGGED=false}) fail. */
    @Test
    void untaggedLettersFailTheSameCheck() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Letters.engine(Letters.SCHOOL, new fr.publipostage.templates.BuiltinTemplates(), POOL, 2, 3, false)
                .print(LetterEngineTest.selection(1, false, false), Letters.accounts(4, false), out);
        assertThat(VeraPdf.failures(out.toByteArray(), PDFAFlavour.PDFUA_1))
                .extracting(VeraPdf.Failure::rule).contains("7.1-3", "7.2-34");
    }

    @ParameterizedTest(name = "{0} layout {1} cover {2}")
    @CsvSource({"fr,1,true", "en,8,false"})
    void archiveCopiesAreValidPdfA2uAndPdfUa(String language, int layout, boolean cover) throws Exception {
        byte[] pdf = print(language.equals("fr") ? Letters.SCHOOL : ENGLISH, layout, cover, true, 3);
        assertThat(VeraPdf.failures(pdf, PDFAFlavour.PDFA_2_U)).isEmpty();
        assertThat(VeraPdf.failures(pdf, PDFAFlavour.PDFUA_1)).isEmpty();
    }

    /** A school with a logo (a data: PNG, as LogoService stores it). */
    static Structure withLogo() throws Exception {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(0x1d4e89));
        g.fillOval(4, 4, 56, 56);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", png);
        Structure s = Letters.SCHOOL;
        return new Structure(s.id(), s.uai(), s.name(), s.address(), s.defaultLanguage(),
                "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray()), s.entUrl());
    }

    @Test
    void theLogoIsDrawnAsAnArtifactNotAFigure() throws Exception {
        List<Account> accounts = Letters.accounts(6, false);
        byte[] pdf = print(withLogo(), accounts, 1, false, false, 4);
        assertThat(VeraPdf.failures(pdf, PDFAFlavour.PDFUA_1)).isEmpty();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            int images = 0;
            for (var name : doc.getPage(0).getResources().getXObjectNames()) {
                if (doc.getPage(0).getResources().getXObject(name) instanceof PDImageXObject) images++;
            }
            assertThat(images).as("the logo is on the page").isEqualTo(1);
            List<PDStructureElement> figures = elements(doc.getDocumentCatalog(), "Figure");
            long pending = accounts.stream().filter(a -> !a.activated()).count();
            assertThat(figures).as("only the QR codes are figures").hasSize((int) pending);
        }
    }

    @Test
    void lettersCarryTheirLanguageTitleHeadingsListsTablesAndTheQrCodeAsAFigure() throws Exception {
        List<Account> accounts = Letters.accounts(14, false);
        byte[] pdf = print(Letters.SCHOOL, accounts, 1, false, false, 5);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDDocumentCatalog catalog = doc.getDocumentCatalog();
            assertThat(catalog.getLanguage()).isEqualTo("fr-FR");
            assertThat(catalog.getMarkInfo().isMarked()).isTrue();
            assertThat(doc.getDocumentInformation().getTitle()).contains("Lycée Montesquieu");
            assertThat(catalog.getViewerPreferences().displayDocTitle()).isTrue();
            assertThat(catalog.getMetadata()).as("XMP with the PDF/UA identification").isNotNull();
            assertThat(new String(catalog.getMetadata().toByteArray(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("pdfuaid").contains("Lycée Montesquieu");
            List<PDStructureElement> letters = elements(catalog, "Sect");
            assertThat(letters).hasSize(accounts.size());
            for (int i = 0; i < accounts.size(); i++) {
                Account a = accounts.get(i);
                PDStructureElement letter = letters.get(i);
                boolean english = "en".equals(a.language());
                assertThat(letter.getLanguage()).as("letter %d", i).isEqualTo(english ? "en-GB" : "fr-FR");
                assertThat(below(letter, "H1")).hasSize(1);
                assertThat(below(letter, "L")).hasSize(1);
                assertThat(below(letter, "LI")).hasSize(a.activated() ? 3 : 4);
                assertThat(below(letter, "Table")).hasSize(1);
                assertThat(below(letter, "TH")).hasSize(a.activated() ? 2 : 3);
                List<PDStructureElement> figures = below(letter, "Figure");
                if (a.activated()) {
                    assertThat(figures).isEmpty();
                } else {
                    assertThat(figures).hasSize(1);
                    assertThat(figures.get(0).getAlternateDescription()).isEqualTo(english
                            ? "QR code leading to the activation page of your ENT account"
                            : "QR code menant à la page d’activation de votre compte ENT");
                }
            }
        }
    }

    @Test
    void englishSchoolsAreEnglishDocuments() throws Exception {
        byte[] pdf = print(ENGLISH, 2, false, false, 3);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(doc.getDocumentCatalog().getLanguage()).isEqualTo("en-GB");
        }
    }

    static List<PDStructureElement> elements(PDDocumentCatalog catalog, String type) {
        List<PDStructureElement> out = new ArrayList<>();
        for (Object k : catalog.getStructureTreeRoot().getKids()) {
            if (k instanceof PDStructureElement e) collect(e, type, out);
        }
        return out;
    }

    static List<PDStructureElement> below(PDStructureElement e, String type) {
        List<PDStructureElement> out = new ArrayList<>();
        for (Object k : e.getKids()) {
            if (k instanceof PDStructureElement child) collect(child, type, out);
        }
        return out;
    }

    private static void collect(PDStructureElement e, String type, List<PDStructureElement> out) {
        if (type.equals(e.getStructureType())) out.add(e);
        for (Object k : e.getKids()) {
            if (k instanceof PDStructureElement child) collect(child, type, out);
        }
    }
}

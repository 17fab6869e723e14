package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Structure;
import fr.publipostage.selection.Selection;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterAll;
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
        List<Account> accounts = Letters.accounts(layout == 8 ? 40 : 14, cover);
        Selection selection = LetterEngineTest.selection(layout, cover, cover);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Letters.engine(school, new fr.publipostage.templates.BuiltinTemplates(), POOL, 2, chunkPages)
                .print(selection, accounts, out, archive);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0} layout {1} cover {2}")
    @CsvSource({"fr,1,false", "fr,2,false", "fr,8,false", "fr,1,true", "en,1,false", "en,2,true", "en,8,true"})
    void builtInLettersAreValidPdfUa(String language, int layout, boolean cover) throws Exception {
        byte[] pdf = print(language.equals("fr") ? Letters.SCHOOL : ENGLISH, layout, cover, false, 3);
        assertThat(VeraPdf.failures(pdf, PDFAFlavour.PDFUA_1)).isEmpty();
    }

    @ParameterizedTest(name = "{0} layout {1} cover {2}")
    @CsvSource({"fr,1,false", "fr,2,true", "en,8,true"})
    void archiveCopiesAreValidPdfA2uAndPdfUa(String language, int layout, boolean cover) throws Exception {
        byte[] pdf = print(language.equals("fr") ? Letters.SCHOOL : ENGLISH, layout, cover, true, 3);
        assertThat(VeraPdf.failures(pdf, PDFAFlavour.PDFA_2_U)).isEmpty();
        assertThat(VeraPdf.failures(pdf, PDFAFlavour.PDFUA_1)).isEmpty();
    }
}

package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.directory.Account;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Letters, cards and cover sheets as strict tools see them (issue 17 §6): Debian's {@code qpdf --check}
 * exits 0 (no warning: a wrong /Size in the cross-reference stream made it exit 3), and the header's
 * version is the catalog's. qpdf is installed by .ci/run; without it the test fails under CI=true and
 * is skipped otherwise.
 */
class StrictPdfTest {
    static final ExecutorService POOL = Letters.pool(2);
    @TempDir
    static Path dir;

    @BeforeAll
    static void qpdfIsThere() {
        boolean found = qpdfFound();
        if (!found && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("qpdf is not installed (apt-get install qpdf); .ci/run installs it");
        }
        Assumptions.assumeTrue(found, "qpdf is not installed");
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    @Test
    void oneChunkOfLettersPassesQpdf() throws Exception {
        List<Account> accounts = Letters.accounts(12, false);
        assertStrict("one-chunk", LetterEngineTest.print(Letters.engine(POOL, 2, 100),
                LetterEngineTest.selection(1, false, false), accounts));
    }

    @Test
    void mergedChunksOfLettersWithCoversPassQpdf() throws Exception {
        List<Account> accounts = Letters.accounts(45, true);
        LetterEngine engine = Letters.engine(POOL, 2, 10);
        assertStrict("layout-1-cover", LetterEngineTest.print(engine, LetterEngineTest.selection(1, true, true), accounts));
        assertStrict("layout-2", LetterEngineTest.print(engine, LetterEngineTest.selection(2, true, false), accounts));
    }

    @Test
    void cardsAndTheirCoverSheetsPassQpdf() throws Exception {
        List<Account> accounts = Letters.accounts(70, true);
        assertStrict("cards", LetterEngineTest.print(Letters.engine(POOL, 2, 3),
                LetterEngineTest.selection(8, true, true), accounts));
    }

    @Test
    void theSamplePagePassesQpdf() throws Exception {
        assertStrict("first-page", Letters.engine(POOL, 2, 100).firstPage(LetterEngineTest.selection(1, true, true),
                Letters.accounts(5, true)));
    }

    @Test
    void renderHtmlInPartsPassesQpdf() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            body.append("<div style=\"page-break-after: always\">Page ").append(i).append(" é</div>");
        }
        Path xhtml = dir.resolve("doc.xhtml");
        Files.writeString(xhtml, "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>" + body + "</body></html>");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PdfRenderer(new Fonts()).renderFile(xhtml, out, 2);
        assertStrict("render-html", out.toByteArray());
    }

    private static void assertStrict(String name, byte[] pdf) throws Exception {
        Path file = dir.resolve(name + ".pdf");
        Files.write(file, pdf);
        Process p = new ProcessBuilder("qpdf", "--check", file.toString()).redirectErrorStream(true).start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("qpdf --check %s:%n%s", name, report).isZero();
        assertThat(report).doesNotContain("WARNING");
        String header = new String(pdf, 0, 8, StandardCharsets.US_ASCII);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String catalog = doc.getDocumentCatalog().getVersion();
            String headerVersion = header.substring(5);
            assertThat(catalog == null ? headerVersion : catalog).as("catalog /Version of %s", name).isEqualTo(headerVersion);
        }
    }

    private static boolean qpdfFound() {
        try {
            Process p = new ProcessBuilder("qpdf", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

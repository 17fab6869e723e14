package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfRendererTest {
    static final PdfRenderer RENDERER = new PdfRenderer(new Fonts());

    static String document(int letters, String extraCss, boolean fontFace) {
        StringBuilder sb = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE html>
                <html xmlns="http://www.w3.org/1999/xhtml" lang="fr"><head><title>t</title><style type="text/css">
                """);
        if (fontFace) {
            sb.append("@font-face { font-family: 'Corps'; src: url('fonts/DejaVuSans.ttf') format('truetype'); font-weight: normal; }\n");
        }
        sb.append("""
                @page { size: A4; margin: 2cm; }
                body { font-family: 'Corps', sans-serif; }
                .letter { page-break-after: always; break-after: page; }
                .letter.last { page-break-after: auto; break-after: auto; }
                """).append(extraCss).append("</style></head><body>\n");
        for (int i = 0; i < letters; i++) {
            sb.append("<div class=\"letter").append(i == letters - 1 ? " last" : "").append("\"><h1>Lettre n° ")
                    .append(i + 1).append("</h1><p>Bonjour Zoé Lefèvre-Đorđević, code <span>REF-").append(i + 1)
                    .append("-FIN</span>.</p><img src=\"file:///etc/hostname\" alt=\"\"/></div>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    static Pdfs.Info render(Path dir, String xhtml, int threads) throws Exception {
        Files.createDirectories(dir.resolve("fonts"));
        try (InputStream in = PdfRendererTest.class.getClassLoader().getResourceAsStream("fonts/DejaVuSans.ttf")) {
            Files.copy(in, dir.resolve("fonts/DejaVuSans.ttf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path file = dir.resolve("in.xhtml");
        Files.writeString(file, xhtml, StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RENDERER.renderFile(file, out, threads);
        return Pdfs.read(out.toByteArray());
    }

    @Test
    void independentPagesAreRenderedInPartsAndConcatenatedInOrder(@TempDir Path dir) throws Exception {
        Pdfs.Info pdf = render(dir, document(230, "", true), 2);
        assertThat(pdf.pages()).isEqualTo(230);
        for (int i = 0; i < 230; i++) {
            assertThat(pdf.pageTexts().get(i)).contains("Lettre n° " + (i + 1)).contains("REF-" + (i + 1) + "-FIN")
                    .contains("Zoé Lefèvre-Đorđević");
        }
        assertThat(pdf.allEmbedded()).isTrue();
        assertThat(pdf.fontNames()).allMatch(n -> n.matches("[A-Z]{6}\\+DejaVuSans(-Bold)?"));
    }

    @Test
    void documentsWithPageCountersStayWhole(@TempDir Path dir) throws Exception {
        Pdfs.Info pdf = render(dir, document(120, "@page { @bottom-center { content: counter(page); } }", true), 2);
        assertThat(pdf.pages()).isEqualTo(120);
        // One document: each font once for all pages.
        assertThat(pdf.fontObjects()).isLessThanOrEqualTo(2);
    }

    @Test
    void unknownFamiliesFallBackToOurEmbeddedFont(@TempDir Path dir) throws Exception {
        Pdfs.Info pdf = render(dir, document(3, "h1 { font-family: 'Nowhere', serif; } span { font-family: monospace; }",
                false), 1);
        assertThat(pdf.pages()).isEqualTo(3);
        assertThat(pdf.allEmbedded()).isTrue();
        assertThat(pdf.fontNames()).allMatch(n -> n.contains("DejaVu"));
        assertThat(pdf.text()).contains("Đorđević");
    }

    @Test
    void onlyDataUrisAndTheDocumentsFolderAreRead(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("doc")).toRealPath();
        Files.createDirectories(folder.resolve("fonts"));
        Files.writeString(folder.resolve("fonts/a.ttf"), "font");
        String inside = folder.toUri().toString();
        assertThat(PdfRenderer.allowed("data:image/png;base64,AAAA", null)).isTrue();
        assertThat(PdfRenderer.allowed("file:///etc/passwd", null)).isFalse();
        assertThat(PdfRenderer.allowed("file:///etc/passwd", folder)).isFalse();
        assertThat(PdfRenderer.allowed(inside + "../../../../../../etc/passwd", folder)).isFalse();
        assertThat(PdfRenderer.allowed(inside + "fonts/a.ttf", folder)).isTrue();
        assertThat(PdfRenderer.allowed(inside + "fonts/missing.ttf", folder)).as("nothing to read").isFalse();
        assertThat(PdfRenderer.allowed("http://example.org/logo.png", folder)).isFalse();
    }

    @Test
    void aLinkInTheFolderToAFileOutsideIsNotFollowed(@TempDir Path dir) throws Exception {
        // "From its folder, nowhere else": a symbolic link inside it is a way out (found by a review).
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.css"), "h1::after { content: \" OUTSIDE-SECRET\"; }");
        Path folder = Files.createDirectories(dir.resolve("in"));
        Files.createSymbolicLink(folder.resolve("style.css"), outside.resolve("secret.css"));
        Files.writeString(folder.resolve("own.css"), "h2::after { content: \" OWN-STYLE\"; }");
        String xhtml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title>
                <link rel="stylesheet" type="text/css" href="style.css"/><link rel="stylesheet" type="text/css" href="own.css"/>
                </head><body style="font-family: 'DejaVu Sans'"><h1>Bonjour</h1><h2>Lettre</h2></body></html>
                """;
        Path file = folder.resolve("in.xhtml");
        Files.writeString(file, xhtml, StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RENDERER.renderFile(file, out, 1);
        assertThat(Pdfs.read(out.toByteArray()).text()).contains("Bonjour").contains("OWN-STYLE").doesNotContain("OUTSIDE-SECRET");
    }

    @Test
    void lettersWithADoctypeEntitiesOrErrorsReadNoFileAndFailCleanly() throws Exception {
        // OpenHTMLtoPDF's reader of a letters document: an external entity is never read (it leaves the
        // entities out here), CDATA and character references are read, a document not well-formed fails.
        String withDoctype = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd" [
                <!ENTITY secret SYSTEM "file:///etc/passwd">
                ]>
                <html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head>
                <body style="font-family: 'DejaVu Sans'"><p>Cl&eacute;&nbsp;d&rsquo;activation [&secret;]</p></body></html>
                """;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(RENDERER.render(withDoctype, out, null)).isEqualTo(1);
        assertThat(Pdfs.read(out.toByteArray()).text()).contains("activation").doesNotContain("root:");

        String plain = """
                <?xml version="1.0" encoding="UTF-8"?>
                <html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title><style type="text/css"><![CDATA[
                p > b { font-weight: bold; }
                ]]></style></head><body style="font-family: 'DejaVu Sans'"><!-- a comment --><p>Code <b>A&amp;B&#233;</b></p></body></html>
                """;
        out.reset();
        assertThat(RENDERER.render(plain, out, null)).isEqualTo(1);
        assertThat(Pdfs.read(out.toByteArray()).text()).contains("Code A&Bé");

        assertThatThrownBy(() -> RENDERER.render("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>x</body></html>",
                new ByteArrayOutputStream(), null)).isInstanceOf(RuntimeException.class);
    }

    /** A one-page PDF saying {@code text}, as bytes. */
    static byte[] pdfSaying(String text) throws Exception {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new org.apache.pdfbox.pdmodel.font.PDType1Font(
                        org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(50, 700);
                content.showText(text);
                content.endText();
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void aPdfGivenAsAnImageIsNotDrawnInALetter() throws Exception {
        // OpenHTMLtoPDF draws <img src="data:application/pdf;base64,…"> as a PDF page, read whole by
        // PDFBox without asking the resource control: no image limit, no refusal (found by a review).
        String pdf = java.util.Base64.getEncoder().encodeToString(pdfSaying("EMBEDDED PDF PAGE"));
        for (String src : List.of("data:application/pdf;base64," + pdf, "data:image/png;base64," + pdf + "#.pdf")) {
            String xhtml = """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head>
                    <body style="font-family: 'DejaVu Sans'"><h1>Bonjour</h1><img src="SRC" alt=""/></body></html>
                    """.replace("SRC", src);
            List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(RENDERER.render(xhtml, out, null, refused::add)).isEqualTo(1);
            assertThat(Pdfs.read(out.toByteArray()).text()).as(src.substring(0, 30)).contains("Bonjour")
                    .doesNotContain("EMBEDDED");
            assertThat(refused).as(src.substring(0, 30)).isNotEmpty();
        }
    }

    @Test
    void lettersReadNoFileAndConnectNowhere() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String base = "http://127.0.0.1:" + server.getLocalPort();
            String tls = "https://127.0.0.1:" + server.getLocalPort();
            // A 1×1 PNG: data: images still show.
            String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
            String xhtml = """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title>
                    <link rel="stylesheet" type="text/css" href="BASE/link.css"/>
                    <link rel="stylesheet" type="text/css" href="TLS/secure.css"/>
                    <link rel="stylesheet" type="text/css" href="file:///etc/passwd"/>
                    <style type="text/css">
                    @import url(BASE/import.css);
                    @font-face { font-family: 'Remote'; src: url(BASE/f.ttf); }
                    @font-face { font-family: 'Local'; src: url(file:///etc/passwd); }
                    body { font-family: 'DejaVu Sans'; background: url(file:///etc/passwd); }
                    h1 { font-family: 'Remote', 'DejaVu Sans'; background-image: url(BASE/bg.png); }
                    h2 { font-family: 'Local', 'DejaVu Sans'; }
                    </style></head><body>
                    <h1>Bonjour</h1><h2>Lettre</h2>
                    <img src="file:///etc/passwd" alt=""/><img src="/etc/passwd" alt=""/>
                    <img src="../../../../../etc/passwd" alt=""/><img src="BASE/logo.png" alt=""/>
                    <img src="TLS/logo.png" alt=""/><img src="PNG" alt=""/>
                    <object data="file:///etc/passwd" type="text/plain">x</object>
                    <iframe src="file:///etc/passwd"></iframe>
                    <a href="file:///etc/passwd" download="passwd.txt">fin</a>
                    </body></html>
                    """.replace("BASE", base).replace("TLS", tls).replace("PNG", png);
            List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int pages = RENDERER.render(xhtml, out, null, refused::add);

            assertThat(pages).isEqualTo(1);
            Pdfs.Info pdf = Pdfs.read(out.toByteArray());
            assertThat(pdf.text()).contains("Bonjour").contains("Lettre").doesNotContain("root:");
            assertThat(new String(out.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("root:x:0");
            try (PDDocument doc = Loader.loadPDF(out.toByteArray())) {
                assertThat(doc.getDocumentCatalog().getNames() == null
                        || doc.getDocumentCatalog().getNames().getEmbeddedFiles() == null).as("no attachment").isTrue();
            }
            server.setSoTimeout(300);
            assertThatThrownBy(server::accept).as("a connection reached the test server").isInstanceOf(SocketTimeoutException.class);
            assertThat(refused).contains(base + "/link.css", tls + "/secure.css", "file:///etc/passwd",
                    base + "/import.css", base + "/f.ttf", base + "/logo.png", tls + "/logo.png", "/etc/passwd",
                    "../../../../../etc/passwd");
            assertThat(refused).noneMatch(u -> u.startsWith("data:"));
        }
    }

    @Test
    void gsubIsHiddenOnlyInTheCopy() throws Exception {
        byte[] original;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("fonts/DejaVuSans.ttf")) {
            original = in.readAllBytes();
        }
        byte[] copy = Fonts.withoutGsub(original);
        assertThat(new String(original, StandardCharsets.ISO_8859_1)).contains("GSUB");
        assertThat(new String(copy, 0, 12 + 16 * 30, StandardCharsets.ISO_8859_1)).doesNotContain("GSUB").contains("gsub");
        assertThat(copy).hasSameSizeAs(original);
        assertThat(Fonts.withoutGsub(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
    }
}

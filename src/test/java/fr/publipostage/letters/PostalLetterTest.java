package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.customisation.WorstCase;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.PostalAddress;
import fr.publipostage.directory.PostalRules;
import fr.publipostage.directory.Profile;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionParser;
import fr.publipostage.templates.BuiltinTemplates;
import fr.publipostage.templates.DraftTemplates;
import fr.publipostage.templates.Messages;
import fr.publipostage.templates.TemplateResolver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The window-envelope letter read back with PDFBox: on every page the address's glyphs lie inside the
 * 85 × 33 mm frame at 110 mm / 55 mm, no other glyph touches the frame, one page per account — in the
 * worst case (longest names, six and seven lines of 38 characters with Œ and Ç) and against a hostile
 * school style sheet.
 */
class PostalLetterTest {
    private static final ExecutorService POOL = Letters.pool(2);
    private static final Messages MESSAGES = new Messages();

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    static Selection postal(String... more) {
        Map<String, List<String>> p = new java.util.HashMap<>();
        p.put("layout", List.of("postal"));
        for (int i = 0; i < more.length; i += 2) p.put(more[i], List.of(more[i + 1]));
        return new SelectionParser().parse(1, p, Set.of(), Set.of());
    }

    /** Accounts of every kind, each with an address (France, CEDEX, overseas, abroad). */
    static List<Account> withAddresses(int n) {
        PostalAddress[] addresses = {
            PostalAddress.of("12, rue de l'Église", "Bât. B", "33000", "Bordeaux", null),
            PostalAddress.of("Rectorat", "BP 935", "33060", "Bordeaux Cedex", null),
            PostalAddress.of("5 rue Nozières", null, "97110", "Pointe-à-Pitre", "Guadeloupe"),
            PostalAddress.of("Unter den Linden 5", null, "10117", "Berlin", "Deutschland")};
        List<Account> out = new ArrayList<>();
        List<Account> base = Letters.accounts(n, false);
        for (int i = 0; i < base.size(); i++) out.add(base.get(i).withPostalAddress(addresses[i % addresses.length]));
        return out;
    }

    private static List<String> expectedLines(Account a) {
        String lang = a.language() == null ? "fr" : a.language();
        return PostalBlock.of(a, MESSAGES.get(lang, "letter.postal.civility"), MESSAGES.get(lang, "letter.postal.civilityShort")).getLines();
    }

    @Test
    void aSurnameOfOneWordLongerThanALineIsShortenedNotARefusedPrint() {
        String longName = "Abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqr"; // 44 letters, no space nor hyphen
        for (int[] lines : new int[][] {{1}, {2}, {4}}) {
            Account a = new Account(1, 1, Profile.Relative, longName, "Zoé", "zoe.long", null, "ABCD1234", false, null, null,
                    List.of(), List.of(), List.of(), false, null, "fr")
                    .withPostalAddress(PostalAddress.of("5 rue X", null, "33000", "Bordeaux", null));
            List<String> recipient = PostalBlock.recipient(a, "Madame, Monsieur", "M. ou Mme", lines[0]);
            assertThat(recipient).isNotEmpty().allSatisfy(l -> assertThat(PostalRules.length(l)).isLessThanOrEqualTo(PostalRules.MAX_CHARS));
            assertThat(recipient.size()).isLessThanOrEqualTo(lines[0]);
            assertThat(String.join("", recipient)).startsWith("ABCDEFGHIJ");
        }
        assertThat(expectedLines(new Account(1, 1, Profile.Relative, longName, "Zoé", "zoe.long", null, "ABCD1234", false, null,
                null, List.of(), List.of(), List.of(), false, null, "fr")
                .withPostalAddress(PostalAddress.of("5 rue X", null, "33000", "Bordeaux", null)))).last().isEqualTo("33000 BORDEAUX");
    }

    /** Every page: the address inside the frame, nothing else in it. Returns the address box of each page. */
    static List<PostalGeometry.Box> assertInWindow(byte[] pdf, List<Account> accounts) throws Exception {
        List<List<PostalGeometry.Run>> pages = PostalGeometry.runs(pdf);
        assertThat(pages).hasSize(accounts.size());
        List<PostalGeometry.Box> boxes = new ArrayList<>();
        for (int p = 0; p < pages.size(); p++) {
            Account a = accounts.get(p);
            PostalGeometry.Split split = PostalGeometry.split(pages.get(p), expectedLines(a));
            assertThat(split.missing()).as("page %d (%s): address lines found in the window", p + 1, a.displayName()).isEmpty();
            for (PostalGeometry.Run r : split.address()) {
                assertThat(r.box().inside(PostalGeometry.FRAME)).as("page %d: '%s' at %s inside %s", p + 1, r.text(), r.box(),
                        PostalGeometry.FRAME).isTrue();
            }
            for (PostalGeometry.Run r : split.others()) {
                assertThat(r.box().intersects(PostalGeometry.FRAME)).as("page %d: '%s' at %s touches the frame", p + 1, r.text(),
                        r.box()).isFalse();
            }
            boxes.add(split.addressBox());
        }
        return boxes;
    }

    @Test
    void everyAddressIsInTheWindowAndNothingElseIs() throws Exception {
        LetterEngine engine = Letters.engine(POOL, 2, 7);
        List<Account> accounts = withAddresses(24);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LetterEngine.Result r = engine.print(postal(), accounts, out);
        assertThat(r.pages()).isEqualTo(accounts.size());
        List<PostalGeometry.Box> boxes = assertInWindow(out.toByteArray(), accounts);
        System.out.println("Address box of page 1 (" + accounts.get(0).displayName() + "): " + boxes.get(0));
        Pdfs.Info info = Pdfs.read(out.toByteArray());
        // The letter itself is layout 1's: login, code, the parent's children, the return line above the window.
        assertThat(info.pageTexts().get(0)).contains(accounts.get(0).displayLogin()).contains("Lycée Montesquieu – 12 cours Victor-Hugo");
        Account parent = accounts.stream().filter(a -> a.profile() == Profile.Relative && a.language() == null).findFirst().orElseThrow();
        String parentPage = info.pageTexts().get(accounts.indexOf(parent));
        assertThat(parentPage).contains("Madame, Monsieur,").contains("parent de " + parent.children().get(0));
        assertThat(expectedLines(parent).get(0)).isEqualTo("Madame, Monsieur " + parent.firstName() + " " + parent.lastName().toUpperCase(java.util.Locale.FRENCH));
        assertThat(info.allEmbedded()).isTrue();
    }

    @Test
    void theWorstCaseFitsOnePageWithItsSixAndSevenLineAddressesInTheWindow() throws Exception {
        LetterEngine engine = Letters.engine(POOL, 1, 10);
        List<Account> worst = new ArrayList<>();
        for (String lang : List.of("fr", "en")) {
            worst.add(WorstCase.of(1, false, lang));
            worst.add(WorstCase.of(1, true, lang));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.print(postal(), worst, out);
        assertThat(expectedLines(worst.get(0))).hasSize(6).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(38))
                .contains("LIEU DIT LES OEILLETS DE CA ET LA HAUT", "33000 SAINT ETIENNE DE CA ET LOEUILLES");
        assertThat(expectedLines(worst.get(1))).hasSize(7).endsWith("REPUBLIQUE DEMOCRATIQUE DU CONGO");
        List<PostalGeometry.Box> boxes = assertInWindow(out.toByteArray(), worst);
        System.out.println("Worst case, seven lines abroad: address box " + boxes.get(1));
    }

    @Test
    void aSchoolWithALongNameAndAddressWritesNothingInTheFrameButTheAddress() throws Exception {
        // Real names are this long (the ENT's, with the "lycée des métiers" label), and so are addresses with a BP and a CEDEX.
        fr.publipostage.directory.Structure school = new fr.publipostage.directory.Structure(1, "0330001A",
                "Lycée polyvalent régional Gustave Eiffel – Lycée des métiers du bâtiment, de l'énergie et du numérique",
                "143 rue de Pessac, BP 10245, Résidence universitaire, 33076 Bordeaux Cedex", "fr", null,
                "https://ent.lycee-eiffel.example.fr");
        LetterEngine engine = Letters.engine(school, new BuiltinTemplates(), POOL, 1, 10);
        List<Account> accounts = withAddresses(4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.print(postal(), accounts, out);
        assertInWindow(out.toByteArray(), accounts);
        // And the whole return line is shown, in the window above the frame (none of it clipped at the window's edge).
        PostalGeometry.Box aboveFrame = new PostalGeometry.Box(107, 47, 198, 55);
        List<List<PostalGeometry.Run>> pages = PostalGeometry.runs(out.toByteArray());
        for (int p = 0; p < pages.size(); p++) {
            List<PostalGeometry.Run> returnLine = PostalGeometry.split(pages.get(p), expectedLines(accounts.get(p))).others().stream()
                    .filter(r -> r.box().intersects(new PostalGeometry.Box(107, 40, 198, 90))).toList();
            assertThat(String.join("", returnLine.stream().map(PostalGeometry.Run::text).toList()))
                    .as("page %d: the return line", p + 1).contains("Gustave").contains("33076BordeauxCedex");
            for (PostalGeometry.Run r : returnLine) {
                assertThat(r.box().inside(aboveFrame)).as("page %d: return line '%s' at %s inside %s", p + 1, r.text(), r.box(),
                        aboveFrame).isTrue();
            }
        }
    }

    @Test
    void aHostileStyleSheetCannotMoveTheAddress() throws Exception {
        String hostile = new BuiltinTemplates().resolve(null, "print.css").orElseThrow().text() + """
                @page { margin: 30mm !important; size: A5 !important; }
                @page postal-window { margin: 25mm !important; size: A5 landscape !important; }
                html, body { margin-top: 40mm !important; padding: 20mm !important; }
                body { transform: translate(30mm, 30mm) !important; }
                div.sheet, .sheet.postal, #s0 { position: static !important; margin-top: 60mm !important; padding: 20mm !important; display: none !important; }
                #pf0, #s0 .postal-frame, .postal-window .postal-frame { left: 0 !important; top: 0 !important; position: static !important; font-size: 30pt !important; }
                .postal-window { display: none !important; left: 0 !important; top: 0 !important; }
                #s0 .postal-frame .line, .postal-frame div { margin-left: 100mm !important; font-size: 24pt !important; position: relative !important; left: 50mm !important; }
                .postal-letter, .letter { position: absolute !important; top: 50mm !important; }
                .postal-keepout { display: none !important; float: none !important; width: 0 !important; }
                .postal-letter .to, .postal-to { margin-left: 95mm !important; width: 90mm !important; }
                """;
        TemplateResolver school = new DraftTemplates(new BuiltinTemplates(), 1, "print.css", hostile);
        LetterEngine engine = Letters.engine(school, POOL, 1, 10);
        List<Account> accounts = withAddresses(4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.print(postal(), accounts, out);
        PostalGeometry.Box box = assertInWindow(out.toByteArray(), accounts).get(0);
        assertThat(box.inside(PostalGeometry.FRAME)).isTrue();
        // Pulling the letter's own text into the window (a negative margin) is caught after layout: no print.
        TemplateResolver pulling = new DraftTemplates(new BuiltinTemplates(), 1, "print.css",
                hostile + ".postal-letter h1 { margin-top: -80mm !important; }\n");
        assertThatThrownBy(() -> Letters.engine(pulling, POOL, 1, 10).print(postal(), accounts, new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(LetterFailure.class, e -> assertThat(e.key()).isEqualTo("render.windowCovered"));
    }

    @Test
    void aTemplateThatMovesOrDropsTheAddressStopsThePrint() {
        TemplateResolver moving = new DraftTemplates(new BuiltinTemplates(), 1, "print-address.vm",
                "#foreach($line in $address.lines)<div>$line</div>#end<div>Ligne ajoutée</div><div>2</div><div>3</div><div>4</div>");
        List<Account> accounts = List.of(WorstCase.of(1, true, "fr"));
        assertThatThrownBy(() -> Letters.engine(moving, POOL, 1, 10).print(postal(), accounts, new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(LetterFailure.class, e -> assertThat(e.key()).isEqualTo("render.addressOverflow"));
        TemplateResolver dropping = new DraftTemplates(new BuiltinTemplates(), 1, "print-address.vm", "<div>$account.firstName</div>");
        assertThatThrownBy(() -> Letters.engine(dropping, POOL, 1, 10).print(postal(), accounts, new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(LetterFailure.class, e -> assertThat(e.key()).isEqualTo("render.addressMissing"));
        String activation = new BuiltinTemplates().resolve(null, "print-activation.vm").orElseThrow().text();
        TemplateResolver covering = new DraftTemplates(new BuiltinTemplates(), 1, "print-activation.vm", activation.replace("</h1>",
                "</h1><div id=\"x\" style=\"position:absolute !important;left:120mm !important;top:60mm !important;z-index:5000 !important\">Écrit sur l’adresse</div>"));
        List<Account> pending = List.of(WorstCase.of(1, false, "fr"));
        assertThatThrownBy(() -> Letters.engine(covering, POOL, 1, 10).print(postal(), pending, new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(LetterFailure.class, e -> assertThat(e.key()).isEqualTo("render.windowCovered"));
        TemplateResolver shell = new DraftTemplates(new BuiltinTemplates(), 1, "print-document.vm",
                "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body style=\"margin-top:80mm !important\">$content</body></html>");
        assertThatThrownBy(() -> Letters.engine(shell, POOL, 1, 10).print(postal(), accounts, new ByteArrayOutputStream()))
                .isInstanceOf(RuntimeException.class).hasMessageContaining("head");
    }

    @Test
    void withoutAnAddressTheLetterIsRefusedOrHandedOverAtTheEnd() throws Exception {
        List<Account> accounts = new ArrayList<>(withAddresses(5));
        Account noAddress = accounts.get(2).withPostalAddress(null);
        accounts.set(2, noAddress);
        LetterEngine engine = Letters.engine(POOL, 1, 3);
        assertThatThrownBy(() -> engine.print(postal(), accounts, new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(LetterFailure.class, e -> {
                    assertThat(e.key()).isEqualTo("render.noPostalAddressOne");
                    assertThat(e.args()).contains(noAddress.displayLogin());
                });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LetterEngine.Result r = engine.print(postal("without-address", "hand"), accounts, out);
        // Four letters by post, the hand-over list, then the letter without an address.
        assertThat(r.pages()).isEqualTo(6);
        Pdfs.Info info = Pdfs.read(out.toByteArray());
        assertThat(info.pageTexts().get(4)).contains("À remettre en main propre").contains(noAddress.displayLogin())
                .contains("1 lettre(s) sans adresse postale");
        assertThat(info.pageTexts().get(5)).contains(noAddress.displayLogin());
        List<Account> byPost = new ArrayList<>(accounts);
        byPost.remove(noAddress);
        List<List<PostalGeometry.Run>> pages = PostalGeometry.runs(out.toByteArray());
        for (int p = 0; p < 4; p++) {
            assertThat(PostalGeometry.split(pages.get(p), expectedLines(byPost.get(p))).missing()).isEmpty();
        }
        // The handed-over letter is layout 1's: no window, no return line.
        assertThat(info.pageTexts().get(5)).doesNotContain("Lycée Montesquieu – 12 cours");
        assertThat(new String(out.toByteArray(), 0, 8, StandardCharsets.ISO_8859_1)).startsWith("%PDF-");
    }

    /**
     * The page as a printer and a scanner see it: rasterised at 150 dpi, the QR code of each letter still
     * decodes to its own activation link, a fold mark is drawn at 99 mm and at 198 mm in the left margin
     * (and only there), and the school's return line sits inside the window, just above the frame.
     */
    @Test
    void rasterisedTheQrCodeDecodesTheFoldMarksAreDrawnAndTheReturnLineSitsAboveTheFrame() throws Exception {
        LetterEngine engine = Letters.engine(POOL, 1, 10);
        List<Account> accounts = withAddresses(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.print(postal(), accounts, out);
        int dpi = 150;
        double pxPerMm = dpi / 25.4;
        List<List<PostalGeometry.Run>> runs = PostalGeometry.runs(out.toByteArray());
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(out.toByteArray())) {
            org.apache.pdfbox.rendering.PDFRenderer renderer = new org.apache.pdfbox.rendering.PDFRenderer(doc);
            for (int p = 0; p < accounts.size(); p++) {
                Account a = accounts.get(p);
                java.awt.image.BufferedImage page = renderer.renderImageWithDPI(p, dpi, org.apache.pdfbox.rendering.ImageType.RGB);
                if (!a.activated()) {
                    int[] pixels = page.getRGB(0, 0, page.getWidth(), page.getHeight(), null, 0, page.getWidth());
                    com.google.zxing.BinaryBitmap bitmap = new com.google.zxing.BinaryBitmap(new com.google.zxing.common.HybridBinarizer(
                            new com.google.zxing.RGBLuminanceSource(page.getWidth(), page.getHeight(), pixels)));
                    String decoded = new com.google.zxing.qrcode.QRCodeReader().decode(bitmap,
                            Map.of(com.google.zxing.DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
                    assertThat(decoded).as("page %d's QR code", p + 1).startsWith(Letters.SCHOOL.entUrl())
                            .endsWith("?login=" + java.net.URLEncoder.encode(a.login(), StandardCharsets.UTF_8));
                }
                // Fold marks: a grey rule 4–10 mm from the left edge at 99 and 198 mm, nothing there elsewhere.
                List<Double> inkedRows = new ArrayList<>();
                for (int row = (int) (20 * pxPerMm); row < (int) (290 * pxPerMm); row++) {
                    for (int col = (int) (5 * pxPerMm); col <= (int) (9 * pxPerMm); col++) {
                        if ((page.getRGB(col, row) & 0xff) < 0xe0) {
                            inkedRows.add(row / pxPerMm);
                            break;
                        }
                    }
                }
                for (double fold : PostalLayout.FOLDS_MM) {
                    assertThat(inkedRows).as("page %d: a fold mark at %.0f mm", p + 1, fold).anyMatch(y -> Math.abs(y - fold) <= 0.5);
                }
                assertThat(inkedRows).as("page %d: ink in the left margin away from the folds", p + 1)
                        .allMatch(y -> Math.abs(y - 99) <= 0.5 || Math.abs(y - 198) <= 0.5);
                // The return line: inside the window (x 107–198, y 47–90), above the frame's top (55 mm).
                List<PostalGeometry.Run> returnLine = runs.get(p).stream().filter(r -> r.text().startsWith("LycéeMontesquieu–")).toList();
                assertThat(returnLine).as("page %d: the return line", p + 1).hasSize(1);
                PostalGeometry.Box box = returnLine.get(0).box();
                assertThat(box.inside(new PostalGeometry.Box(107, 47, 198, PostalGeometry.FRAME.top())))
                        .as("page %d: return line at %s", p + 1, box).isTrue();
            }
        }
    }
}

package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Profile;
import fr.publipostage.selection.Selection;
import fr.publipostage.templates.BuiltinTemplates;
import fr.publipostage.templates.TemplateResolver;
import fr.publipostage.templates.TemplateSource;
import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LetterEngineTest {
    static final ExecutorService POOL = Letters.pool(2);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    static Selection selection(int layout, boolean byClass, boolean cover) {
        return new Selection(1, Set.of(), Set.of(), Set.of(), Selection.Activation.all, Selection.EmailFilter.all, null,
                null, null, byClass ? List.of(Selection.SortKey.classname) : List.of(), layout, cover);
    }

    static byte[] print(LetterEngine engine, Selection s, List<Account> accounts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.print(s, accounts, out);
        return out.toByteArray();
    }

    @Test
    void layoutOneIsOnePagePerAccountWithEveryLoginCodeAndAccent() throws Exception {
        List<Account> accounts = Letters.accounts(60, false);
        LetterEngine engine = Letters.engine(POOL, 2, 25); // 3 chunks, merged
        Pdfs.Info pdf = Pdfs.read(print(engine, selection(1, false, false), accounts));
        assertThat(pdf.pages()).isEqualTo(60);
        for (int i = 0; i < accounts.size(); i++) {
            Account a = accounts.get(i);
            String page = pdf.pageTexts().get(i);
            assertThat(page).contains(a.login()).contains(a.firstName()).contains(a.lastName());
            if (a.activated()) {
                assertThat(page).contains("Votre compte ENT".equals(page) ? "" : a.login());
            } else {
                assertThat(page).contains(a.activationCode());
            }
        }
        assertThat(pdf.text()).contains("Lycée Montesquieu", "Kowalczyk-Żółć", "Đorđević", "Œuvray", "Ærøe", "Şahin",
                "Ñúñez", "Łukasz", "Çağla", "Dvořák", "Code d’activation", "Activate your ENT account");
        // Last page is a letter, not a blank page.
        assertThat(pdf.pageTexts().get(59).trim()).isNotEmpty();
    }

    @Test
    void fontsAreEmbeddedSubsetsOncePerChunkNeverBase14() throws Exception {
        LetterEngine engine = Letters.engine(POOL, 2, 100);
        Pdfs.Info pdf = Pdfs.read(print(engine, selection(1, false, false), Letters.accounts(40, false)));
        assertThat(pdf.pages()).isEqualTo(40);
        assertThat(pdf.allEmbedded()).isTrue();
        assertThat(pdf.fontNames()).allMatch(n -> n.matches("[A-Z]{6}\\+DejaVuSans(Mono)?(-Bold)?"));
        // One chunk: each font is one object shared by all 40 pages, not one per page.
        assertThat(pdf.fontObjects()).isLessThanOrEqualTo(4);
    }

    @Test
    void layoutTwoAndEightPutTwoAndEightPerPage() throws Exception {
        List<Account> accounts = Letters.accounts(37, false);
        LetterEngine engine = Letters.engine(POOL, 2, 10);
        Pdfs.Info two = Pdfs.read(print(engine, selection(2, false, false), accounts));
        assertThat(two.pages()).isEqualTo(19);
        Pdfs.Info eight = Pdfs.read(print(engine, selection(8, false, false), accounts));
        assertThat(eight.pages()).isEqualTo(5);
        for (Account a : accounts) {
            assertThat(two.text()).contains(a.login());
            assertThat(eight.text()).contains(a.login());
            if (!a.activated()) assertThat(eight.text()).contains(a.activationCode());
        }
        assertThat(eight.pageTexts().get(0)).contains(accounts.get(7).login()).doesNotContain(accounts.get(8).login());
    }

    @Test
    void coverSheetsComeBeforeEachClass() throws Exception {
        List<Account> accounts = Letters.accounts(80, true); // 4 classes of 20
        LetterEngine engine = Letters.engine(POOL, 2, 30);
        Pdfs.Info one = Pdfs.read(print(engine, selection(1, true, true), accounts));
        assertThat(one.pages()).isEqualTo(84);
        assertThat(one.pageTexts().get(0)).contains("Classe 2nde 1", "20 courrier(s)", accounts.get(0).login(),
                accounts.get(19).login(), "Signature");
        assertThat(one.pageTexts().get(21)).contains("Classe 2nde 2");
        Pdfs.Info eight = Pdfs.read(print(engine, selection(8, true, true), accounts));
        assertThat(eight.pages()).isEqualTo(4 * (1 + 3)); // cover + 3 sheets of cards (8 + 8 + 4) per class
        // Without sort by class, no cover sheet.
        assertThat(Pdfs.read(print(engine, selection(1, false, true), accounts)).pages()).isEqualTo(80);
    }

    @Test
    void aLongClassCoverRunsOnSeveralPages() throws Exception {
        List<Account> accounts = Letters.accounts(30, true).stream()
                .map(a -> new Account(a.id(), 1, a.profile(), a.lastName(), a.firstName(), a.login(), null,
                        a.activationCode(), a.activated(), null, null, List.of("2nde 1"), List.of(), List.of(), false,
                        a.createdAt(), null)).toList();
        Pdfs.Info pdf = Pdfs.read(print(Letters.engine(POOL, 2, 100), selection(8, true, true), accounts));
        assertThat(pdf.pages()).isEqualTo(2 + 4);
        assertThat(pdf.pageTexts().get(1)).contains("page 2 / 2");
    }

    @Test
    void anOverflowingLetterFailsNamingAccountAndTemplate() throws Exception {
        BuiltinTemplates builtins = new BuiltinTemplates();
        TemplateResolver longForOne = (structureId, name) -> {
            Optional<TemplateSource> t = builtins.resolve(structureId, name);
            if (!name.equals("print-activation.vm")) return t;
            String text = t.orElseThrow().text().replace("</div>\n",
                    "#if($account.lastName == 'Trop-Long')#foreach($i in [1..60])<p>$msg.get('letter.notice')</p>#end#end</div>\n");
            return Optional.of(new TemplateSource(name, "test", 1, text));
        };
        List<Account> accounts = new java.util.ArrayList<>(Letters.accounts(12, false));
        accounts.set(7, new Account(99, 1, Profile.Student, "Trop-Long", "Élise", "elise.trop-long", null, "ZZZZ2222",
                false, null, null, List.of(), List.of(), List.of(), false, LocalDate.now(), null));
        LetterEngine engine = Letters.engine(longForOne, POOL, 2, 100);
        for (int layout : new int[] {1, 2}) {
            assertThatThrownBy(() -> print(engine, selection(layout, false, false), accounts))
                    .isInstanceOf(LetterFailure.class)
                    .hasMessageContaining("Élise Trop-Long").hasMessageContaining("elise.trop-long")
                    .hasMessageContaining("print-activation.vm")
                    .satisfies(e -> assertThat(((LetterFailure) e).key()).isEqualTo("render.overflow"));
        }
    }

    @Test
    void firstPageIsTheFirstSheet() throws Exception {
        LetterEngine engine = Letters.engine(POOL, 2, 100);
        byte[] pdf = engine.firstPage(selection(1, true, true), Letters.accounts(20, true));
        Pdfs.Info info = Pdfs.read(pdf);
        assertThat(info.pages()).isEqualTo(1);
        assertThat(info.text()).contains("Classe 2nde 1");
        byte[] png = new PagePreview(100f).png(pdf);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }

    /**
     * Issue 13: a class cover sheet of 28 people with the worst case's name and login (the longest the ENT
     * makes) is one page, and every login is whole inside its column: read back glyph by glyph, none
     * crosses into the next column ("Remis"), nothing clipped.
     */
    @Test
    void longLoginsFitTheirColumnOnAClassCoverSheet() throws Exception {
        Account worst = fr.publipostage.customisation.WorstCase.of(1, false, "fr");
        List<Account> accounts = new java.util.ArrayList<>();
        for (int i = 0; i < 28; i++) {
            accounts.add(new Account(5000 + i, 1, Profile.Student, worst.lastName(), worst.firstName(), worst.login() + i,
                    null, "ABCDEFGH", false, null, "Seconde", List.of("2nde 1"), List.of(), List.of(), false,
                    LocalDate.of(2025, 9, 1), null));
        }
        LetterEngine engine = Letters.engine(POOL, 2, 100);
        byte[] bytes = print(engine, selection(1, true, true), accounts);
        Pdfs.Info pdf = Pdfs.read(bytes);
        assertThat(pdf.pages()).as("one cover page, then one letter each").isEqualTo(1 + 28);
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(bytes)) {
            List<org.apache.pdfbox.text.TextPosition> glyphs = new java.util.ArrayList<>();
            org.apache.pdfbox.text.PDFTextStripper stripper = new org.apache.pdfbox.text.PDFTextStripper() {
                @Override
                protected void processTextPosition(org.apache.pdfbox.text.TextPosition text) {
                    glyphs.add(text);
                    super.processTextPosition(text);
                }
            };
            stripper.setStartPage(1);
            stripper.setEndPage(1);
            String text = stripper.getText(doc);
            String joined = text.replaceAll("\\s+", "");
            for (Account a : accounts) assertThat(joined).as("the whole login, maybe on two lines").contains(a.login());
            // The column after the login's: where its header starts, every login glyph must end before.
            float given = headerX(glyphs, "Remis");
            float loginColumn = headerX(glyphs, "Identifiant");
            int monoGlyphs = 0;
            for (org.apache.pdfbox.text.TextPosition g : glyphs) {
                boolean loginGlyph = g.getFont().getName() != null && g.getFont().getName().contains("Mono");
                if (!loginGlyph || g.getYDirAdj() < headerY(glyphs, "Identifiant") + 1) continue;
                monoGlyphs++;
                assertThat(g.getXDirAdj() + g.getWidthDirAdj()).as("login glyph '" + g.getUnicode() + "' ends before 'Remis'")
                        .isLessThanOrEqualTo(given - 1f);
            }
            // And the table keeps within the page's 16 mm margins (A4: 595 pt wide).
            float rightMargin = 595.28f - 16 * 72 / 25.4f;
            for (org.apache.pdfbox.text.TextPosition g : glyphs) {
                assertThat(g.getXDirAdj() + g.getWidthDirAdj()).as("'" + g.getUnicode() + "' inside the right margin")
                        .isLessThanOrEqualTo(rightMargin + 1f);
            }
            assertThat(monoGlyphs).as("the logins are drawn in DejaVu Sans Mono").isGreaterThanOrEqualTo(28 * worst.login().length());
        }
    }

    private static float headerX(List<org.apache.pdfbox.text.TextPosition> glyphs, String word) {
        return header(glyphs, word).getXDirAdj();
    }

    private static float headerY(List<org.apache.pdfbox.text.TextPosition> glyphs, String word) {
        return header(glyphs, word).getYDirAdj();
    }

    /** The first glyph of the first occurrence of {@code word} in drawing order. */
    private static org.apache.pdfbox.text.TextPosition header(List<org.apache.pdfbox.text.TextPosition> glyphs, String word) {
        StringBuilder all = new StringBuilder();
        List<Integer> owner = new java.util.ArrayList<>();
        for (int i = 0; i < glyphs.size(); i++) {
            String u = glyphs.get(i).getUnicode();
            all.append(u);
            for (int k = 0; k < u.length(); k++) owner.add(i);
        }
        int at = all.indexOf(word);
        assertThat(at).as("'" + word + "' on the cover page").isNotNegative();
        return glyphs.get(owner.get(at));
    }

    /**
     * A word longer than the line (a school's text, a web address without slashes) wraps inside the
     * letter instead of running off the paper: every character is drawn on the page, in layouts 1, 2
     * (the activation letter) and 8 (the card), and the word is all there.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 8})
    void aWordLongerThanTheLineStaysOnThePage(int layout) throws Exception {
        String word = "Anticonstitutionnellement".repeat(6);
        BuiltinTemplates builtin = new BuiltinTemplates();
        String name = layout == 8 ? "print-card.vm" : "print-activation.vm";
        String text = builtin.resolve(null, name).orElseThrow().text();
        String changed = layout == 8
                ? text.replace("<div class=\"hint\">$msg.get('letter.card.activationHint')</div>",
                        "<div class=\"hint\">Voir " + word + " ici.</div>")
                : text.replace("<p>$msg.get('letter.activation.intro'", "<p>Voir " + word + " ici.</p>\n<p>$msg.get('letter.activation.intro'");
        assertThat(changed).isNotEqualTo(text);
        LetterEngine engine = Letters.engine(new fr.publipostage.templates.DraftTemplates(builtin, 1, name, changed), POOL, 1, 50);
        List<Account> pending = Letters.accounts(layout, false).stream().filter(a -> !a.activated()).toList();
        byte[] pdf = print(engine, selection(layout, false, false), pending);
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            float width = doc.getPage(0).getMediaBox().getWidth();
            float[] right = {0};
            org.apache.pdfbox.text.PDFTextStripper stripper = new org.apache.pdfbox.text.PDFTextStripper() {
                @Override
                protected void writeString(String s, List<org.apache.pdfbox.text.TextPosition> positions) throws java.io.IOException {
                    for (var p : positions) right[0] = Math.max(right[0], p.getXDirAdj() + p.getWidthDirAdj());
                    super.writeString(s, positions);
                }
            };
            String read = stripper.getText(doc).replaceAll("\\s+", "");
            assertThat(read).contains("Voir" + word + "ici.");
            assertThat(right[0]).as("rightmost character (pt) on a page %s pt wide", width).isLessThanOrEqualTo(width);
        }
    }
}

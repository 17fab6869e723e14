package fr.publipostage.customisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.letters.PagePreview;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.templates.StructureTemplates;
import fr.publipostage.templates.TemplateVersion;
import fr.publipostage.testing.TestDatabase;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A school customises its letters: versions, checks, previews that match the print, other schools untouched. */
class TemplateEditorIT {
    private static final String ACTIVATION = "print-activation.vm";

    private static TestDatabase.Fresh db;
    private App app;
    private TemplateEditor editor;
    private long lycee;
    private long college;

    @BeforeAll
    static void load() {
        db = TestDatabase.fresh();
        App loader = db.app(Map.of());
        loader.demo().loadIfEmpty();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    /**
     * Each test starts from the built-in set, with an application of its own (no cache carried over).
     * It is not closed: closing an App closes the database the tests share (its idle daemon pools stay).
     */
    @BeforeEach
    void open() throws Exception {
        try (var c = db.database().dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("delete from template_version");
        }
        app = db.app(Map.of());
        editor = app.templateEditor();
        lycee = app.structureByUai(DemoDirectory.LYCEE_UAI).id();
        college = app.structureByUai(DemoDirectory.COLLEGE_UAI).id();
    }

    private Account firstPending(long structureId) {
        return app.selections().list(Selection.everyone(structureId), Scope.LOCAL_ADMIN).stream()
                .filter(a -> !a.activated() && (a.language() == null || a.language().equals("fr")))
                .findFirst().orElseThrow();
    }

    private String letterText(long structureId, Account account) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        app.letters().printAccount(structureId, account.id(), 1, Scope.LOCAL_ADMIN, "admin.test", out);
        try (PDDocument doc = Loader.loadPDF(out.toByteArray())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            return new PDFTextStripper().getText(doc);
        }
    }

    /** A tiny PNG as a data: URI (images load only from data: URIs). */
    private static final String PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    @Test
    void anOverrideThatBreaksTheTaggedStructureIsSavedWithWarnings() {
        String builtin = editor.file(lycee, ACTIVATION).text();
        assertThat(editor.save(lycee, ACTIVATION, reworded(builtin), null, "admin.lycee", 0).warnings())
                .as("the built-in structure tags well").isEmpty();
        // An <img> without alt, on line 2 of the school's text, and a heading level skipped (h1 then h3).
        String broken = builtin.replaceFirst("<div class=\"letter\">", "<div class=\"letter\">\n<img src=\"" + PNG + "\"/>")
                .replace("<p><strong>$msg.get('letter.activation.stepsTitle')</strong></p>",
                        "<h3>$msg.get('letter.activation.stepsTitle')</h3>");
        TemplateEditor.Saved saved = editor.save(lycee, ACTIVATION, broken, "logo in the letter", "admin.lycee", 1);
        assertThat(saved.version()).as("saved all the same").isEqualTo(2);
        assertThat(saved.warnings()).extracting(Problem::key).containsExactly("editor.warn.alt", "editor.warn.heading");
        Problem alt = saved.warnings().get(0);
        assertThat(alt.line()).isEqualTo(lineOf(broken, "<img"));
        assertThat(app.messages().get("fr", alt.key(), alt.args().toArray())).contains("<img>").contains("alt");
        Problem heading = saved.warnings().get(1);
        assertThat(heading.args()).containsExactly("h1", "h3");
        assertThat(heading.line()).isEqualTo(lineOf(broken, "<h3"));
        // With a text alternative and the heading level in sequence: nothing to say.
        String fixed = broken.replace("<img src=\"" + PNG + "\"/>", "<img src=\"" + PNG + "\" alt=\"Logo du lycée\"/>")
                .replace("<h3>", "<h2>").replace("</h3>", "</h2>");
        assertThat(editor.save(lycee, ACTIVATION, fixed, null, "admin.lycee", 2).warnings()).isEmpty();
    }

    private static int lineOf(String text, String what) {
        return (int) text.substring(0, text.indexOf(what)).chars().filter(c -> c == '\n').count() + 1;
    }

    private static String reworded(String builtin) {
        String changed = builtin.replace("<p>$msg.get('letter.activation.intro', $structure.name, $structure.ofName, $structure.nameWithArticle)</p>",
                "<p>Bienvenue au lycée : votre compte vous attend, comme chaque rentrée.</p>");
        assertThat(changed).isNotEqualTo(builtin);
        return changed;
    }

    @Test
    void aSchoolRewordsItsActivationLetterOnlyForItself() throws IOException {
        String builtin = editor.file(lycee, ACTIVATION).text();
        assertThat(editor.file(lycee, ACTIVATION).overridden()).isFalse();

        TemplateEditor.Saved saved = editor.save(lycee, ACTIVATION, reworded(builtin), "wording 2026", "admin.lycee", 0);
        assertThat(saved.version()).isEqualTo(1);

        assertThat(letterText(lycee, firstPending(lycee))).contains("votre compte vous attend, comme chaque rentrée");
        assertThat(letterText(college, firstPending(college))).doesNotContain("comme chaque rentrée");
        assertThat(editor.files(lycee)).filteredOn(f -> f.name().equals(ACTIVATION)).singleElement()
                .satisfies(f -> {
                    assertThat(f.overridden()).isTrue();
                    assertThat(f.version()).isEqualTo(1);
                    assertThat(f.author()).isEqualTo("admin.lycee");
                    assertThat(f.comment()).isEqualTo("wording 2026");
                });
        assertThat(editor.files(college)).allSatisfy(f -> assertThat(f.overridden()).isFalse());
        assertThat(app.audit().recent(lycee, 3)).anySatisfy(e -> assertThat(e.action()).isEqualTo("template.save"));
    }

    @Test
    void historyDiffRollbackAndReset() throws IOException {
        String builtin = editor.file(lycee, ACTIVATION).text();
        String v1 = reworded(builtin);
        String v2 = v1.replace("comme chaque rentrée", "dès aujourd’hui");
        editor.save(lycee, ACTIVATION, v1, "first", "admin.lycee", 0);
        editor.save(lycee, ACTIVATION, v2, "second", "admin.lycee", 1);
        Account pupil = firstPending(lycee);
        assertThat(letterText(lycee, pupil)).contains("dès aujourd’hui");

        List<TextDiff.Line> diff = editor.diff(lycee, ACTIVATION, 1, 2);
        assertThat(diff).anySatisfy(l -> {
            assertThat(l.op()).isEqualTo('-');
            assertThat(l.text()).contains("comme chaque rentrée");
        });
        assertThat(diff).anySatisfy(l -> {
            assertThat(l.op()).isEqualTo('+');
            assertThat(l.text()).contains("dès aujourd’hui");
        });

        TemplateEditor.Saved back = editor.rollback(lycee, ACTIVATION, 1, null, "admin.lycee");
        assertThat(back.version()).isEqualTo(3);
        assertThat(letterText(lycee, pupil)).contains("comme chaque rentrée").doesNotContain("dès aujourd’hui");

        TemplateEditor.Saved reset = editor.reset(lycee, ACTIVATION, "admin.lycee");
        assertThat(reset.overridden()).isFalse();
        assertThat(letterText(lycee, pupil)).doesNotContain("comme chaque rentrée");
        assertThat(editor.file(lycee, ACTIVATION).text()).isEqualTo(builtin);

        List<TemplateVersion> history = editor.history(lycee, ACTIVATION);
        assertThat(history).extracting(TemplateVersion::version).containsExactly(4, 3, 2, 1);
        assertThat(history).extracting(TemplateVersion::action)
                .containsExactly(TemplateVersion.RESET, TemplateVersion.ROLLBACK, TemplateVersion.SAVE, TemplateVersion.SAVE);
        assertThat(history.get(1).restoredFrom()).isEqualTo(1);
        // Nothing is lost by a reset: version 2 can still be restored.
        editor.rollback(lycee, ACTIVATION, 2, "again", "admin.lycee");
        assertThat(letterText(lycee, pupil)).contains("dès aujourd’hui");
    }

    @Test
    void aSaveFromAStaleVersionChangesNothing() {
        String builtin = editor.file(lycee, ACTIVATION).text();
        editor.save(lycee, ACTIVATION, reworded(builtin), "mine", "admin.a", 0);
        assertThatThrownBy(() -> editor.save(lycee, ACTIVATION, builtin + "<p>x</p>", "theirs", "admin.b", 0))
                .isInstanceOf(StructureTemplates.ConcurrentEdit.class)
                .satisfies(e -> assertThat(((StructureTemplates.ConcurrentEdit) e).latest()).isEqualTo(1));
        assertThat(editor.history(lycee, ACTIVATION)).hasSize(1);
    }

    private List<Problem> refused(String name, String text) {
        int before = editor.history(lycee, name).size();
        String current = editor.file(lycee, name).text();
        List<Problem> problems = List.of();
        try {
            editor.save(lycee, name, text, null, "admin.lycee", null);
        } catch (TemplateRejected e) {
            problems = e.problems();
        }
        assertThat(problems).as("refused: " + text.substring(0, Math.min(80, text.length()))).isNotEmpty();
        assertThat(editor.history(lycee, name)).hasSize(before);
        assertThat(editor.file(lycee, name).text()).isEqualTo(current);
        return problems;
    }

    private String say(Problem p) {
        return app.messages().get("fr", p.key(), p.args().toArray());
    }

    @Test
    void brokenTemplatesAreRefusedWithTheirReasons() {
        String builtin = editor.file(lycee, ACTIVATION).text();
        assertThat(refused(ACTIVATION, builtin + "\n#if($account.activated)\n")).isNotEmpty();
        assertThat(say(refused(ACTIVATION, builtin.replace("$account.firstName", "$account.prenom")).get(0)))
                .contains("prenom");
        Problem xhtml = refused(ACTIVATION, builtin.replace("<h1>", "<h1><b>")).get(0);
        assertThat(xhtml.key()).isEqualTo("editor.check.xhtml");
        assertThat(xhtml.line()).isPositive();
        // The parser's own explanation, in the admin's language.
        assertThat(say(xhtml)).contains("balise de fin").contains("<h1><b>");
        assertThat(app.messages().get("en", xhtml.key(), xhtml.args().toArray())).contains("end-tag").contains("<h1><b>");
        // Six more paragraphs of text push the worst case's letter onto a second page.
        String longer = builtin.replace("<ol>", ("<p>" + "Un texte bien trop long pour tenir sur la page. ".repeat(12)
                + "</p>").repeat(6) + "<ol>");
        Problem overflow = refused(ACTIVATION, longer).get(0);
        assertThat(overflow.key()).isEqualTo("editor.check.overflow");
        assertThat(say(overflow)).contains("Lætitia").contains(ACTIVATION);
        Problem glyph = refused(ACTIVATION, builtin.replace("<h1>", "<h1>\uD83C\uDF92 ")).get(0);
        assertThat(glyph.key()).isEqualTo("editor.check.glyphs");
        assertThat(say(glyph)).contains("\uD83C\uDF92");
        assertThat(refused("messages_fr.properties", "letter.nosuchkey=Bonjour\n").get(0).key())
                .isEqualTo("editor.check.unknownKey");
        assertThat(refused("messages_fr.properties", "ui.title=Bonjour\n").get(0).key())
                .isEqualTo("editor.check.unknownKey");
        // The simple mode saves this file: a text too long for the page is refused like an overlong template.
        Problem longIntro = refused("messages_fr.properties",
                "letter.activation.intro=" + "Un texte bien trop long pour tenir sur la page. ".repeat(90) + "\n").get(0);
        assertThat(longIntro.key()).isEqualTo("editor.check.overflow");
        assertThat(refused("mail-activation.html.vm", "<p>$account.nosuch</p>")).isNotEmpty();
        assertThat(refused("print-document.vm", editor.file(lycee, "print-document.vm").text().replace("$content", ""))
                .get(0).key()).isEqualTo("editor.check.noContent");
    }

    /**
     * A class cover sheet is checked as a real class prints it, a full page of names: a longer instruction
     * that still fits above the worst case's four names but not above 28 is refused on save, not found
     * when a whole class's print fails.
     */
    @Test
    void aCoverSheetTextIsCheckedAboveAFullPageOfNames() throws IOException {
        String longer = "cover.instructions=" + "Un texte bien trop long pour tenir sur la page. ".repeat(30) + "\n";
        Problem overflow = refused("messages_fr.properties", longer).get(0);
        assertThat(overflow.key()).isEqualTo("editor.check.coverOverflow");
        assertThat(say(overflow)).contains("print-cover.vm");
        // What is accepted prints a class of more than a page of names with its cover sheets.
        editor.save(lycee, "messages_fr.properties",
                "cover.instructions=" + "Un texte un peu plus long que d’habitude. ".repeat(4) + "\n", null, "admin.lycee", null);
        java.util.Map<String, Long> sizes = new java.util.HashMap<>();
        for (Account a : app.selections().list(Selection.everyone(lycee), Scope.LOCAL_ADMIN)) {
            if (!a.classes().isEmpty()) sizes.merge(a.classes().get(0), 1L, Long::sum);
        }
        String big = sizes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(sizes.get(big)).isGreaterThan(28);
        Selection byClass = app.selections().parse(lycee, Map.of("class", List.of(big), "sort", List.of("class"),
                "cover", List.of("yes")));
        assertThat(app.letters().print(byClass, Scope.LOCAL_ADMIN, "admin.lycee", "test", java.io.OutputStream.nullOutputStream(),
                fr.publipostage.letters.LetterEngine.Progress.NONE).pages()).isGreaterThan(sizes.get(big).intValue());
    }

    /**
     * The checks on save see every page a print can have: the words only the cut-out cards show (layout 8)
     * are checked for characters the font cannot draw, and the window-envelope print's "hand over in
     * person" list (print-handover.vm, the cover.handover texts) is rendered like the other pages.
     */
    @Test
    void cardsAndTheHandOverListAreCheckedOnSave() {
        Problem cardGlyph = refused("messages_fr.properties",
                "letter.card.activationHint=D\u00e9coupez la carte \uD83D\uDE42 en suivant les pointill\u00e9s.\n").get(0);
        assertThat(cardGlyph.key()).isEqualTo("editor.check.glyphs");
        assertThat(say(cardGlyph)).contains("\uD83D\uDE42");
        assertThat(refused("messages_fr.properties", "cover.handover.title=\uD83D\uDCEC Lettres \u00e0 remettre\n").get(0).key())
                .isEqualTo("editor.check.glyphs");
        assertThat(say(refused("messages_fr.properties",
                "cover.handover.instructions=" + "Un texte bien trop long pour tenir sur la page. ".repeat(120) + "\n").get(0)))
                .contains("print-handover.vm");
        String handover = editor.file(lycee, "print-handover.vm").text();
        assertThat(say(refused("print-handover.vm", handover.replace("$structure.name", "$structure.nom")).get(0)))
                .contains("nom");
        assertThat(refused("print-handover.vm", handover.replace("<h1>", "<h1><b>")).get(0).key())
                .isEqualTo("editor.check.xhtml");
    }

    @Test
    void aSchoolsOwnTextsWinOverTheBundleInItsLanguageOnly() throws IOException {
        String title = app.messages().get("fr", "letter.activation.title");
        editor.save(lycee, "messages_fr.properties", "# ours\nletter.activation.title=Votre compte au lycée Montesquieu\n",
                null, "admin.lycee", null);
        String text = letterText(lycee, firstPending(lycee));
        assertThat(text).contains("Votre compte au lycée Montesquieu").doesNotContain(title);
        assertThat(letterText(college, firstPending(college))).contains(title);
        assertThat(editor.file(lycee, "messages_en.properties").text()).startsWith("#");
    }

    @Test
    void thePreviewIsPageOneOfThePrintedLetter() throws IOException {
        editor.save(lycee, ACTIVATION, reworded(editor.file(lycee, ACTIVATION).text()), null, "admin.lycee", null);
        Account pupil = firstPending(lycee);
        byte[] preview = editor.previewPage(lycee, ACTIVATION, null, Sample.account(pupil.id()), 1, null, Scope.LOCAL_ADMIN, "t.editor");
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        app.letters().printAccount(lycee, pupil.id(), 1, Scope.LOCAL_ADMIN, "admin.test", pdf);
        byte[] printed = new PagePreview(110f).png(pdf.toByteArray());
        BufferedImage a = ImageIO.read(new ByteArrayInputStream(preview));
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(printed));
        assertThat(a.getWidth()).isEqualTo(b.getWidth());
        assertThat(a.getHeight()).isEqualTo(b.getHeight());
        int different = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) if (a.getRGB(x, y) != b.getRGB(x, y)) different++;
        }
        assertThat(different).isZero();
        // A draft changes the preview, not the saved set.
        byte[] draft = editor.previewPage(lycee, ACTIVATION, editor.file(lycee, ACTIVATION).text()
                .replace("<h1>", "<h1>BROUILLON "), Sample.account(pupil.id()), 1, null, Scope.LOCAL_ADMIN, "t.editor");
        assertThat(draft).isNotEqualTo(preview);
        assertThat(letterText(lycee, pupil)).doesNotContain("BROUILLON");
    }

    @Test
    void mailPreviewsRenderTheDraft() {
        String html = editor.file(lycee, "mail-activation.subject.vm").text();
        TemplateEditor.MailPreview mail = editor.previewMail(lycee, "mail-activation.subject.vm",
                "Bienvenue $account.firstName", Sample.WORST_PENDING, "fr", Scope.LOCAL_ADMIN, "t.editor");
        assertThat(mail.subject()).isEqualTo("Bienvenue Lætitia-Anne-Sophie-Éléonore-Clémence");
        assertThat(mail.html()).contains("MWQMWQMW");
        assertThat(editor.file(lycee, "mail-activation.subject.vm").text()).isEqualTo(html);
    }

    @Test
    void theWindowEnvelopeIsCheckedOnSaveAndAStyleSheetCannotMoveTheAddress() throws IOException {
        // print-address.vm and print-handover.vm are files of the set like the others.
        assertThat(editor.files(lycee)).extracting(TemplateEditor.FileState::name).contains("print-address.vm", "print-handover.vm");
        // A style sheet that tries to move the frame saves (the engine pins it) and the address stays in the window.
        String css = editor.file(lycee, "print.css").text();
        editor.save(lycee, "print.css", css + "\n.postal-frame, .postal-frame div { left: 0 !important; top: 0 !important; font-size: 30pt !important; }\n"
                + "@page postal-window { margin: 40mm !important; }\n", "hostile", "admin.lycee", 0);
        Account parent = app.selections().list(app.selections().parse(lycee, Map.of("profile", List.of("Relative"),
                "postal", List.of("with"))), Scope.LOCAL_ADMIN).get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        app.letters().printAccount(lycee, parent.id(), app.selections().parse(lycee, Map.of("layout", List.of("postal"))),
                Scope.LOCAL_ADMIN, "admin.test", out);
        var pages = fr.publipostage.letters.PostalGeometry.runs(out.toByteArray());
        assertThat(pages).hasSize(1);
        var inFrame = pages.get(0).stream().filter(r -> r.box().intersects(fr.publipostage.letters.PostalGeometry.FRAME)).toList();
        assertThat(inFrame).isNotEmpty().allSatisfy(r -> assertThat(r.box().inside(fr.publipostage.letters.PostalGeometry.FRAME)).isTrue());

        // Text pulled into the window, or an address template that drops lines, is refused on save.
        List<Problem> pulled = refused("print.css", css + "\n.postal-letter h1 { margin-top: -90mm !important; }\n");
        assertThat(pulled).extracting(Problem::key).contains("render.windowCovered");
        assertThat(say(pulled.get(0))).contains("fenêtre de l’enveloppe");
        List<Problem> dropped = refused("print-address.vm", "<div>$account.firstName</div>");
        assertThat(dropped).extracting(Problem::key).contains("render.addressMissing");
        List<Problem> overflow = refused("print-address.vm", "#foreach($l in $address.lines)<div>$l</div>#end<div>1</div><div>2</div>");
        assertThat(overflow).extracting(Problem::key).contains("render.addressOverflow");
    }
}

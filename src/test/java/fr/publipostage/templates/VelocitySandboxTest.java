package fr.publipostage.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Profile;
import fr.publipostage.directory.Structure;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VelocitySandboxTest {
    static final Structure SCHOOL = new Structure(7, "0330001A", "Lycée Montesquieu", "1 rue X, Bordeaux", "fr", null,
            "https://ent.example.fr/");
    static final Account PUPIL = new Account(1, 7, Profile.Student, "Lefèvre", "Zoé", "zoe.lefevre", null, "AB12CD",
            false, null, "Seconde", List.of("2nde 3"), List.of(), List.of(), false, LocalDate.of(2025, 9, 1), null);

    /** An in-memory template set; structure 7 overrides "header.vm". */
    static final class MapResolver implements TemplateResolver {
        final Map<String, String> builtin = new HashMap<>();
        final Map<String, String> school7 = new HashMap<>();

        @Override
        public Optional<TemplateSource> resolve(Long structureId, String name) {
            if (!TemplateResolver.isValidName(name)) return Optional.empty();
            if (structureId != null && structureId == 7 && school7.containsKey(name)) {
                return Optional.of(new TemplateSource(name, "structure:7", 1, school7.get(name)));
            }
            return Optional.ofNullable(builtin.get(name)).map(t -> new TemplateSource(name, "builtin", 0, t));
        }
    }

    final MapResolver templates = new MapResolver();
    final VelocityRenderer renderer = new VelocityRenderer(templates, new VelocityRenderer.Limits(2_000, 100, 10_000, 5));
    final TemplateVariables variables = new TemplateVariables(new Messages(), new QrCodes());

    String render(String template) {
        return render(template, PUPIL);
    }

    private int counter;

    /** Renders a new template file (parsed templates are cached by name). */
    String render(String template, Account account) {
        String name = "t" + (++counter) + ".vm";
        templates.builtin.put(name, template);
        return renderer.render(7L, name, variables.forAccount(account, SCHOOL, LocalDate.of(2025, 9, 12)));
    }

    @Test
    void documentedVariablesRender() {
        String out = render("$account.firstName $account.lastName|$account.login|$account.activationCode|$account.profile"
                + "|$account.classes.get(0)|$account.activated|$structure.name|$structure.uai|$ent.url|$ent.activationUrl"
                + "|$date|$date.short|$msg.language");
        assertThat(out).isEqualTo("Zoé Lefèvre|zoe.lefevre|AB12CD|Élève|2nde 3|false|Lycée Montesquieu|0330001A"
                + "|https://ent.example.fr|https://ent.example.fr/auth/activation|12 septembre 2025|12/09/2025|fr");
        assertThat(render("$qr")).startsWith("data:image/png;base64,");
        assertThat(render("$qr.url")).isEqualTo("https://ent.example.fr/auth/activation?login=zoe.lefevre");
    }

    @Test
    void languageIsTheAccountsElseTheStructures() {
        Account english = new Account(2, 7, Profile.Teacher, "Smith", "Ann", "ann.smith", "asmith", null, true,
                "ann@example.org", null, List.of(), List.of(), List.of(), false, LocalDate.of(2025, 9, 1), "en");
        assertThat(render("$msg.language $account.profile $account.login $date", english))
                .isEqualTo("en Teacher asmith 12 September 2025");
        // One short date format per language, the application's (2025-09-12 in English, 12/09/2025 in French).
        assertThat(render("$date.short", english)).isEqualTo("2025-09-12");
        assertThat(render("$msg.language")).isEqualTo("fr");
    }

    @Test
    void messagesTakeArguments() {
        new Messages(); // bundle present
        assertThat(render("$msg.get('import.line', 3, 'login', 'x')")).isEqualTo("ligne 3, colonne login : x");
    }

    @Test
    void valuesAreXmlEscaped() {
        Account evil = new Account(3, 7, Profile.Guest, "<img src=\"file:///etc/passwd\"/>", "A&B", "x", null, "C",
                false, null, null, List.of(), List.of(), List.of(), false, LocalDate.now(), null);
        assertThat(render("$account.lastName $account.firstName", evil))
                .isEqualTo("&lt;img src=&quot;file:///etc/passwd&quot;/&gt; A&amp;B");
    }

    @Test
    void unknownVariableIsAnError() {
        assertThatThrownBy(() -> render("Bonjour $acount.firstName"))
                .isInstanceOf(TemplateError.class).hasMessageContaining("t1.vm").hasMessageContaining("acount");
        assertThatThrownBy(() -> render("$account.password")).isInstanceOf(TemplateError.class);
    }

    @Test
    void noReflectionNoClassAccess() {
        for (String t : List.of("$account.getClass().forName('java.lang.Runtime')", "$account.class",
                "$account.getClass()", "$msg.getClass().getClassLoader()", "$account.login.getClass().forName('java.lang.System')",
                "$account.classes.getClass()", "$date.class.name", "#set($c = $account.classes.toArray())$c",
                "$account.classes.stream()", "$ent.hashCode().getClass()")) {
            assertThatThrownBy(() -> render(t)).as(t).isInstanceOf(TemplateError.class);
        }
    }

    @Test
    void templatesCannotWriteIntoTheirData() {
        assertThatThrownBy(() -> render("#set($account.firstName = 'X')$account.firstName"))
                .isInstanceOf(TemplateError.class);
        assertThatThrownBy(() -> render("#set($x = $account.classes.add('6e 1'))")).isInstanceOf(TemplateError.class);
    }

    @Test
    void endlessLoopsAreStopped() {
        String out = render("#foreach($i in [1..100000000])x#end");
        assertThat(out).hasSize(100); // directive.foreach.max_loops
        assertThatThrownBy(() -> render("#foreach($i in [1..100000])#foreach($j in [1..100000])yyyyyyyy#end#end"))
                .isInstanceOf(TemplateError.class).hasMessageContaining("output larger than");
    }

    @Test
    void parseStaysInsideTheTemplateSet() {
        templates.builtin.put("header.vm", "built-in header");
        templates.builtin.put("footer.vm", "built-in footer");
        // Structure 7's override is found by #parse too, without the caller knowing.
        templates.school7.put("header.vm", "header of $structure.uai");
        assertThat(render("#parse('header.vm') #parse('footer.vm')")).isEqualTo("header of 0330001A built-in footer");
        templates.builtin.put("page.vm", "#parse('header.vm')");
        assertThat(renderer.render(null, "page.vm", Map.of())).isEqualTo("built-in header");
        assertThat(renderer.render(7L, "page.vm", variables.forAccount(PUPIL, SCHOOL, LocalDate.now())))
                .isEqualTo("header of 0330001A");
        for (String t : List.of("#parse('../pom.xml')", "#parse('/etc/passwd')", "#include('/etc/passwd')",
                "#parse('missing.vm')", "#include('file:///etc/passwd')", "#parse('templates/x.vm')")) {
            assertThatThrownBy(() -> render(t)).as(t).isInstanceOf(TemplateError.class);
        }
    }

    @Test
    void selfInclusionIsLimited() {
        templates.builtin.put("loop.vm", "a#parse('loop.vm')");
        assertThat(render("#parse('loop.vm')")).hasSizeLessThanOrEqualTo(5); // directive.parse.max_depth
        assertThatThrownBy(() -> render("#macro(m)#m()#end#m()")).isInstanceOf(TemplateError.class);
    }

    @Test
    void oversizedTemplatesAreRefused() {
        assertThatThrownBy(() -> render("x".repeat(2_001))).isInstanceOf(TemplateError.class)
                .hasMessageContaining("larger than 2000");
    }

    @Test
    void syntaxErrorsNameTheTemplate() {
        assertThatThrownBy(() -> render("#if($account.activated)")).isInstanceOf(TemplateError.class)
                .hasMessageContaining("t1.vm").hasMessageContaining("line 1");
    }

    TemplateError errorOf(String template) {
        try {
            render(template);
        } catch (TemplateError e) {
            return e;
        }
        throw new AssertionError("rendered: " + template);
    }

    @Test
    void syntaxErrorsGiveLineAndColumn() {
        TemplateError e = errorOf("<p>\n  Bonjour #if($account.activated)\n  #foreach($c in)x#end\n</p>");
        assertThat(e.reason()).isEqualTo(TemplateError.Reason.SYNTAX);
        assertThat(e.template()).isEqualTo("t1.vm");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(11); // Velocity points at the directive's arguments
        assertThat(e.detail()).isEqualTo("Too few arguments to the #foreach directive");
        assertThat(e.getMessage()).startsWith("t1.vm line 3, column 11: syntax error");
        assertThat(e.messageKey()).isEqualTo("template.error.syntax");
        assertThat(e.messageArgs()).containsExactly("t1.vm", 3, 11, e.detail());
        TemplateError end = errorOf("<p>\n  <b>$account.firstName</b>\n    </p>#end\n");
        assertThat(end.reason()).isEqualTo(TemplateError.Reason.SYNTAX);
        assertThat(end.line()).isEqualTo(3);
        assertThat(end.column()).isEqualTo(9);
        assertThat(end.detail()).isEqualTo("Encountered \"#end\"");
    }

    @Test
    void unknownVariablesGiveLineColumnAndName() {
        TemplateError e = errorOf("<p>\n<b>Bonjour</b> $account.firstName,\n  votre classe : $acount.classesText\n</p>");
        assertThat(e.reason()).isEqualTo(TemplateError.Reason.UNKNOWN_REFERENCE);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(18);
        assertThat(e.detail()).isEqualTo("$acount");
        assertThat(e.messageKey()).isEqualTo("template.error.unknown_reference");
        TemplateError property = errorOf("x\n    $account.pasword");
        assertThat(property.reason()).isEqualTo(TemplateError.Reason.UNKNOWN_REFERENCE);
        assertThat(property.line()).isEqualTo(2);
        assertThat(property.column()).isEqualTo(14); // the unknown property itself
        assertThat(property.detail()).isEqualTo("$account.pasword");
        assertThat(property.getMessage()).doesNotContain("fr.publipostage");
    }

    @Test
    void errorsInParsedFilesNameThatFile() {
        templates.builtin.put("broken.vm", "line 1\n  $nothing");
        TemplateError e = errorOf("#parse('broken.vm')");
        assertThat(e.template()).isEqualTo("broken.vm");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(3);
    }

    @Test
    void classicEscapesAreRefusedWithAReason() {
        Map<String, TemplateError.Reason> escapes = new java.util.LinkedHashMap<>();
        escapes.put("$account.getClass().forName('java.lang.Runtime')", TemplateError.Reason.FORBIDDEN_CALL);
        escapes.put("$account.login.getClass().forName('java.lang.System')", TemplateError.Reason.FORBIDDEN_CALL);
        escapes.put("$account.class.classLoader", TemplateError.Reason.FORBIDDEN_CALL);
        escapes.put("$msg.getClass()", TemplateError.Reason.FORBIDDEN_CALL);
        escapes.put("$msg.class", TemplateError.Reason.FORBIDDEN_CALL);
        escapes.put("$account.classes.getClass()", TemplateError.Reason.FORBIDDEN_CALL);
        escapes.put("$date.class.name", TemplateError.Reason.FORBIDDEN_CALL);
        escapes.put("#set($account.firstName = 'X')", TemplateError.Reason.FORBIDDEN_CALL);
        escapes.put("#set($x = $account.classes.add('6e 1'))", TemplateError.Reason.FORBIDDEN_CALL);
        escapes.put("$class", TemplateError.Reason.UNKNOWN_REFERENCE);
        escapes.put("$class.forName('java.lang.Runtime')", TemplateError.Reason.UNKNOWN_REFERENCE);
        escapes.put("#include('/etc/passwd')", TemplateError.Reason.NOT_IN_SET);
        escapes.put("#parse('../x')", TemplateError.Reason.NOT_IN_SET);
        escapes.put("#parse('../pom.xml')", TemplateError.Reason.NOT_IN_SET);
        escapes.put("#include('file:///etc/passwd')", TemplateError.Reason.NOT_IN_SET);
        escapes.put("#parse('missing.vm')", TemplateError.Reason.NOT_IN_SET);
        escapes.put("#parse('templates/x.vm')", TemplateError.Reason.NOT_IN_SET);
        escapes.put("#set($f = '/etc/passwd')#include($f)", TemplateError.Reason.NOT_IN_SET);
        escapes.forEach((template, reason) -> {
            TemplateError e = errorOf(template);
            assertThat(e.reason()).as(template + " → " + e.getMessage()).isEqualTo(reason);
            assertThat(e.getMessage()).as(template).doesNotContain("root:").doesNotContain("fr.publipostage")
                    .doesNotContain("java.lang");
            assertThat(e.detail()).as(template).isNotEmpty();
        });
        TemplateError forName = errorOf("\n  $account.getClass().forName('java.lang.Runtime')");
        assertThat(forName.line()).isEqualTo(2);
        assertThat(forName.column()).isEqualTo(12); // the refused method itself
        assertThat(forName.detail()).isEqualTo("getClass()");
        assertThat(errorOf("#include('/etc/passwd')").detail()).isEqualTo("#include('/etc/passwd')");
    }

    @Test
    void everyReasonHasATextInBothLanguages() {
        Messages messages = new Messages();
        for (TemplateError.Reason reason : TemplateError.Reason.values()) {
            for (String language : Messages.LANGUAGES) {
                assertThat(messages.keys(language)).as(language).contains(reason.messageKey());
            }
        }
        TemplateError e = errorOf("\n $nope");
        assertThat(messages.get("fr", e.messageKey(), e.messageArgs())).contains("t" + counter + ".vm")
                .contains("2").contains("nope");
    }

    @Test
    void builtinsAreReadByFlatNameOnly() {
        BuiltinTemplates builtins = new BuiltinTemplates();
        assertThat(builtins.resolve(null, "../pom.xml")).isEmpty();
        assertThat(builtins.resolve(null, "no-such-template.vm")).isEmpty();
        assertThat(TemplateResolver.isValidName("print-activation.vm")).isTrue();
        assertThat(TemplateResolver.isValidName("Print.vm")).isFalse();
        assertThat(TemplateResolver.isValidName("a/b.vm")).isFalse();
    }
}

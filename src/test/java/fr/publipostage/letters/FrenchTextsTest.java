package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.customisation.WorstCase;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.Structure;
import fr.publipostage.mailing.ComposedMail;
import fr.publipostage.mailing.MailKind;
import fr.publipostage.mailing.TemplateMailComposer;
import fr.publipostage.templates.BuiltinTemplates;
import fr.publipostage.templates.Messages;
import fr.publipostage.templates.QrCodes;
import fr.publipostage.templates.TemplateVariables;
import fr.publipostage.templates.VelocityRenderer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import fr.publipostage.templates.DraftTemplates;
import fr.publipostage.templates.TemplateResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * French that reads right in letters, cards and mails: the school named with its article ("du Lycée",
 * "de l’École", "de la Cité scolaire"), never a line broken right after an apostrophe, and reminders
 * that never mention an activation code.
 */
class FrenchTextsTest {
    static final ExecutorService POOL = Letters.pool(2);
    static final Pattern LINE_AFTER_APOSTROPHE = Pattern.compile("[’'ʼ][ \\t]*\\r?\\n");

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    static Structure school(String name) {
        return new Structure(1, "0330009Z", name, "1 rue de la Paix, 33000 Bordeaux", "fr", null, "https://ent.example.fr");
    }

    static List<Account> people() {
        List<Account> all = new ArrayList<>(Letters.accounts(12, false));
        all.add(WorstCase.of(1, false, "fr"));
        all.add(WorstCase.of(1, true, "fr"));
        all.add(WorstCase.of(1, false, "en"));
        all.add(WorstCase.of(1, true, "en"));
        return all;
    }

    static TemplateMailComposer mails(Structure school) {
        BuiltinTemplates templates = new BuiltinTemplates();
        return new TemplateMailComposer(new VelocityRenderer(templates), templates,
                new TemplateVariables(new Messages(), new QrCodes()), Clock.systemUTC());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Lycée Montesquieu|du Lycée Montesquieu", "École Jules-Ferry|de l’École Jules-Ferry",
            "Cité scolaire Grand-Air|de la Cité scolaire Grand-Air", "EREA Jean-Monnet|de l’EREA Jean-Monnet"})
    void theSchoolIsNamedWithItsArticle(String names) throws Exception {
        String name = names.split("\\|")[0];
        String of = names.split("\\|")[1];
        Structure school = school(name);
        LetterEngine engine = Letters.engine(school, new BuiltinTemplates(), POOL, 2, 50);
        String text = Pdfs.read(LetterEngineTest.print(engine, LetterEngineTest.selection(1, false, false),
                List.of(WorstCase.of(1, false, "fr"), WorstCase.of(1, true, "fr")))).text().replaceAll("\\s+", " ");
        assertThat(text).contains("(ENT) " + of).contains("secrétariat " + of).contains("travail " + of)
                .doesNotContain("de " + name).doesNotContain("secrétariat de " + name);
        ComposedMail mail = mails(school).compose(MailKind.activation, school, WorstCase.of(1, false, "fr"));
        assertThat(mail.text()).contains("(ENT) " + of).contains("l’ENT " + of).doesNotContain("de " + name);
        assertThat(mail.html()).contains("(ENT) " + of.replace("’", "’"));
        ComposedMail english = mails(school).compose(MailKind.activation, school, WorstCase.of(1, false, "en"));
        assertThat(english.text()).contains("of " + name);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8})
    void noLineEndsRightAfterAnApostrophe(int layout) throws Exception {
        Structure school = school("École d’application Jules-Ferry");
        LetterEngine engine = Letters.engine(school, new BuiltinTemplates(), POOL, 2, 50);
        String text = Pdfs.read(LetterEngineTest.print(engine, LetterEngineTest.selection(layout, false, false), people())).text();
        assertThat(text).contains("d’activation");
        assertThat(LINE_AFTER_APOSTROPHE.matcher(text).find()).as("a line of the PDF ends with an apostrophe:\n" + text).isFalse();
    }

    /**
     * French puts a space before : ; ! ? » and after «; a school's own words often use a plain space
     * there. The line must never break on that space: no line of the PDF starts with one of these signs
     * or ends with an opening guillemet, wherever the sentence falls in the line.
     */
    @Test
    void noLineStartsWithAHighPunctuationSignOrEndsWithAnOpeningGuillemet() throws Exception {
        String activation = new BuiltinTemplates().resolve(null, "print-activation.vm").orElseThrow().text();
        Pattern bad = Pattern.compile("(?m)^[ \\t]*[:;!?»].*$|^.*«[ \\t]*$");
        List<String> found = new ArrayList<>();
        for (int k = 0; k < 60; k++) {
            String words = "m".repeat(k + 1) + " Votre compte : activez-le ; c’est simple ! Une question ? "
                    + "Voyez « Mot de passe oublié » sur la page : elle vous guide ; ou demandez ! Pourquoi ? « Aide » aussi.";
            TemplateResolver school = new DraftTemplates(new BuiltinTemplates(), 1, "print-activation.vm",
                    activation.replace("<p>$msg.get('letter.activation.intro'", "<p>" + words + "</p>\n<p>$msg.get('letter.activation.intro'"));
            LetterEngine engine = Letters.engine(school, POOL, 1, 50);
            String text = Pdfs.read(LetterEngineTest.print(engine, LetterEngineTest.selection(1, false, false),
                    List.of(WorstCase.of(1, false, "fr")))).text();
            Matcher m = bad.matcher(text);
            while (m.find()) found.add(k + ": " + m.group());
        }
        assertThat(found).isEmpty();
    }

    @Test
    void mailsHaveNoLineEndingWithAnApostrophe() {
        Structure school = school("École élémentaire Jules-Ferry");
        for (Account a : people()) {
            ComposedMail mail = mails(school).compose(MailKind.of(a), school, a);
            assertThat(LINE_AFTER_APOSTROPHE.matcher(mail.text()).find()).as(mail.text()).isFalse();
            assertThat(LINE_AFTER_APOSTROPHE.matcher(mail.subject()).find()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8})
    void remindersNeverMentionAnActivationCode(int layout) throws Exception {
        LetterEngine engine = Letters.engine(POOL, 2, 50);
        List<Account> activated = List.of(WorstCase.of(1, true, "fr"), WorstCase.of(1, true, "en"));
        String text = Pdfs.read(LetterEngineTest.print(engine, LetterEngineTest.selection(layout, false, false), activated))
                .text().replaceAll("\\s+", " ").toLowerCase();
        assertThat(text).contains("mot de passe").doesNotContain("code").doesNotContain("activation");
        for (Account a : activated) {
            ComposedMail mail = mails(Letters.SCHOOL).compose(MailKind.reminder, Letters.SCHOOL, a);
            assertThat((mail.subject() + mail.text() + mail.html()).toLowerCase()).doesNotContain("code")
                    .doesNotContain("activation");
        }
    }
}

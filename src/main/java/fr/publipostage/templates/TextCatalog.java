package fr.publipostage.templates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The words of each document as the editor's simple mode shows them: per document (activation letter,
 * reminder, cards, cover sheet, activation and reminder mails, what the letters share), its fields in
 * reading order, each a message key of {@code i18n/} with the placeholders the templates give it. A
 * field is edited in the school's {@code messages_<lang>.properties}; a key may belong to more than one
 * document (the login label of letters and cards) and is then one text. The placeholders are what the
 * built-in templates pass to {@code $msg.get}: {@code TextCatalogTest} checks the two agree.
 */
public final class TextCatalog {
    /** One value a text receives: its index ({@code {0}}), its label key and an example for the field's hint. */
    public record Placeholder(int index, String name) {
        public String labelKey() {
            return "texts.ph." + name;
        }
    }

    /** One text of a document. */
    public record Field(String key, List<Placeholder> placeholders, boolean multiline) {
        public String labelKey() {
            return "texts.field." + key;
        }
    }

    public record Document(String id, List<Field> fields) {
        public String labelKey() {
            return "texts.doc." + id;
        }
    }

    private static final List<Placeholder> SCHOOL = List.of(new Placeholder(0, "school"), new Placeholder(1, "ofSchool"),
            new Placeholder(2, "theSchool"));
    private static final List<Placeholder> NONE = List.of();

    public static final List<Document> DOCUMENTS = List.of(
            doc("activation",
                    f("letter.activation.title"), f("letter.greeting", ph(0, "firstName")),
                    f("letter.postal.greeting", ph(0, "lastName")),
                    multi("letter.activation.intro", SCHOOL), f("letter.login"), f("letter.activationCode"),
                    f("letter.address"), f("letter.activation.stepsTitle"),
                    multi("letter.activation.step1", ph(0, "activationUrl")), multi("letter.activation.step2"),
                    multi("letter.activation.step3"), multi("letter.activation.step4"), multi("letter.help", SCHOOL),
                    multi("letter.notice")),
            doc("reminder",
                    f("letter.reminder.title"), f("letter.greeting", ph(0, "firstName")),
                    f("letter.postal.greeting", ph(0, "lastName")),
                    multi("letter.reminder.intro", SCHOOL), f("letter.login"), f("letter.address"),
                    f("letter.reminder.stepsTitle"), multi("letter.reminder.step1", ph(0, "resetUrl")),
                    multi("letter.reminder.step2"), multi("letter.reminder.step3"), multi("letter.help", SCHOOL),
                    multi("letter.reminder.notice")),
            doc("card",
                    f("letter.login"), f("letter.activationCode"), f("letter.address"),
                    multi("letter.card.activationHint"), multi("letter.card.reminderHint", ph(0, "resetUrl"))),
            doc("cover",
                    f("cover.title", ph(0, "className")), f("cover.count", ph(0, "count")), multi("cover.instructions"),
                    f("cover.number"), f("cover.lastName"), f("cover.firstName"), f("cover.login"), f("cover.given"),
                    f("cover.signature"), f("cover.page", ph(0, "page"), ph(1, "pages"))),
            doc("handover",
                    f("cover.handover.title"), f("cover.handover.count", ph(0, "count")),
                    multi("cover.handover.instructions")),
            doc("mailActivation",
                    f("mail.activation.subject", SCHOOL), f("mail.activation.title"), f("mail.greeting", ph(0, "firstName")),
                    multi("mail.activation.intro", SCHOOL), f("mail.parentOf"), f("mail.login"), f("mail.activationCode"),
                    f("mail.loginLine", ph(0, "login")), f("mail.activationCodeLine", ph(0, "activationCode")),
                    f("mail.activation.button"), multi("mail.activation.step1", ph(0, "activationUrl")),
                    multi("mail.activation.step2"), multi("mail.activation.step3"), multi("mail.activation.once"),
                    multi("mail.footer", SCHOOL)),
            doc("mailReminder",
                    f("mail.reminder.subject", SCHOOL), f("mail.reminder.title"), f("mail.greeting", ph(0, "firstName")),
                    multi("mail.reminder.intro", SCHOOL), f("mail.login"), f("mail.entAddress"),
                    f("mail.loginLine", ph(0, "login")), f("mail.entAddressLine", ph(0, "entUrl")),
                    f("mail.reminder.forgotTitle"), multi("mail.reminder.step1", ph(0, "resetUrl")),
                    multi("mail.reminder.step2"), multi("mail.reminder.step3"), f("mail.reminder.button"),
                    multi("mail.neverPassword"), multi("mail.footer", SCHOOL)),
            doc("shared",
                    f("letter.dateLine", ph(0, "date")), f("letter.parentOf", ph(0, "children")), f("letter.qrAlt"),
                    f("letter.document.title", SCHOOL), f("letter.profile.Student"), f("letter.profile.Relative"),
                    f("letter.profile.Teacher"), f("letter.profile.Personnel"), f("letter.profile.Guest")));

    private static final Map<String, Field> BY_KEY = index();

    private TextCatalog() {
    }

    /** The field of a key (the first document's, they are the same in every document). */
    public static Optional<Field> field(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** Every key of every document, once, in reading order. */
    public static List<String> keys() {
        return new ArrayList<>(BY_KEY.keySet());
    }

    /** The placeholders a key's text may use: {@code {0}}… up to this count minus one. */
    public static int placeholderCount(String key) {
        Field f = BY_KEY.get(key);
        return f == null ? -1 : f.placeholders().size();
    }

    private static Map<String, Field> index() {
        Map<String, Field> m = new LinkedHashMap<>();
        for (Document d : DOCUMENTS) for (Field f : d.fields()) m.putIfAbsent(f.key(), f);
        return m;
    }

    private static Document doc(String id, Field... fields) {
        return new Document(id, List.of(fields));
    }

    private static Placeholder ph(int index, String name) {
        return new Placeholder(index, name);
    }

    private static Field f(String key, Placeholder... placeholders) {
        return new Field(key, List.of(placeholders), false);
    }

    private static Field f(String key, List<Placeholder> placeholders) {
        return new Field(key, placeholders, false);
    }

    private static Field multi(String key, Placeholder... placeholders) {
        return new Field(key, List.of(placeholders), true);
    }

    private static Field multi(String key, List<Placeholder> placeholders) {
        return new Field(key, placeholders, true);
    }
}

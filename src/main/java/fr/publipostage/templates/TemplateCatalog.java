package fr.publipostage.templates;

import java.util.List;
import java.util.Optional;

/**
 * The files of the template set a structure may override, and the variables templates may use
 * (DESIGN.md §4), with the i18n keys that describe them in the editor. A test checks that every file
 * of the top-level {@code templates/} folder is listed here.
 */
public final class TemplateCatalog {
    /** What a file is for: which checks a new text must pass and how the editor previews it. */
    public enum Kind {
        /** A part of the printed letters (previewed as the real page). */
        PRINT,
        /** A part of the e-mails (previewed as the rendered mail). */
        MAIL,
        /** The structure's own wording of message keys (letters and mails), in one language. */
        TEXTS
    }

    /** One overridable file. {@code language} is set for {@link Kind#TEXTS} files. */
    public record Entry(String name, Kind kind, String language) {
        public String descriptionKey() {
            return "editor.file." + name.replace('.', '_');
        }
    }

    /** One documented variable. */
    public record Variable(String name, String descriptionKey) {
    }

    public static final List<Entry> FILES = List.of(
            new Entry("print-activation.vm", Kind.PRINT, null),
            new Entry("print-reminder.vm", Kind.PRINT, null),
            new Entry("print-card.vm", Kind.PRINT, null),
            new Entry("print-cover.vm", Kind.PRINT, null),
            new Entry("print-header.vm", Kind.PRINT, null),
            new Entry("print-recipient.vm", Kind.PRINT, null),
            new Entry("print-document.vm", Kind.PRINT, null),
            new Entry("print.css", Kind.PRINT, null),
            new Entry("print-address.vm", Kind.PRINT, null),
            new Entry("print-handover.vm", Kind.PRINT, null),
            new Entry("mail-activation.subject.vm", Kind.MAIL, null),
            new Entry("mail-activation.html.vm", Kind.MAIL, null),
            new Entry("mail-activation.txt.vm", Kind.MAIL, null),
            new Entry("mail-reminder.subject.vm", Kind.MAIL, null),
            new Entry("mail-reminder.html.vm", Kind.MAIL, null),
            new Entry("mail-reminder.txt.vm", Kind.MAIL, null),
            new Entry(MessageOverrides.file("fr"), Kind.TEXTS, "fr"),
            new Entry(MessageOverrides.file("en"), Kind.TEXTS, "en"));

    /** Key prefixes a structure may reword: the texts of letters, cover sheets and mails, not the console's. */
    public static final List<String> TEXT_PREFIXES = List.of("letter.", "cover.", "mail.");

    public static final List<Variable> VARIABLES = List.of(
            v("$account.firstName"), v("$account.lastName"), v("$account.displayName"), v("$account.login"),
            v("$account.activationCode"), v("$account.activated"), v("$account.profile"), v("$account.profileCode"),
            v("$account.level"), v("$account.classes"), v("$account.classesText"), v("$account.children"),
            v("$account.childrenText"), v("$account.email"),
            v("$structure.name"), v("$structure.nameWithArticle"), v("$structure.ofName"), v("$structure.toName"),
            v("$structure.uai"), v("$structure.address"), v("$structure.logoUrl"),
            v("$ent.url"), v("$ent.activationUrl"), v("$ent.resetUrl"),
            v("$qr"), v("$qr.url"),
            v("$msg.get('key', args)"), v("$msg.language"),
            v("$date"), v("$date.short"), v("$date.iso"),
            v("$layout"), v("$content"), v("$cover"),
            v("$postal"), v("$address.lines"), v("$address.abroad"));

    private static Variable v(String name) {
        String id = name.replaceAll("[^A-Za-z.]", "").replace("msg.getkeyargs", "msg.get");
        return new Variable(name, "editor.var." + id.replace('.', '_'));
    }

    private TemplateCatalog() {
    }

    public static Optional<Entry> entry(String name) {
        return FILES.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}

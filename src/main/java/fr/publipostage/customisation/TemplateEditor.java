package fr.publipostage.customisation;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Structure;
import fr.publipostage.letters.LetterFailure;
import fr.publipostage.letters.PagePreview;
import fr.publipostage.mailing.ComposedMail;
import fr.publipostage.mailing.MailKind;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.security.AuditLog;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionService;
import fr.publipostage.templates.DraftTemplates;
import fr.publipostage.templates.Messages;
import fr.publipostage.templates.StructureTemplates;
import fr.publipostage.templates.TemplateCatalog;
import fr.publipostage.templates.TextCatalog;
import fr.publipostage.templates.TemplateError;
import fr.publipostage.templates.TemplateSource;
import fr.publipostage.templates.TemplateVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A school's customisation of its letters and mails: the state of each file of its template set,
 * saving a new text (only after {@link TemplateChecks} passed: a broken template never replaces a
 * working one), the history with diffs, rollback, reset to the built-in file, and previews of the
 * real page or mail — of a saved text or of a draft — through the very code that prints and sends.
 * Access rights are the caller's (the web layer and the CLI).
 */
public final class TemplateEditor {
    /** A file of the set as the editor's list shows it. */
    public record FileState(String name, TemplateCatalog.Kind kind, String language, boolean overridden,
                            int version, String author, OffsetDateTime savedAt, String comment) {
    }

    /**
     * A file's text. {@code version} is the latest version number (0: never overridden), what a save
     * must name as its starting point.
     */
    public record FileText(String name, TemplateCatalog.Kind kind, String language, String text, boolean overridden,
                           int version, String builtinText) {
    }

    /** {@code warnings}: what the saved text breaks in the tagged (PDF/UA) letters, see {@link TemplateChecks#accessibility}. */
    public record Saved(String name, int version, boolean overridden, List<Problem> warnings) {
        public Saved {
            warnings = List.copyOf(warnings);
        }

        public Saved(String name, int version, boolean overridden) {
            this(name, version, overridden, List.of());
        }
    }

    public record MailPreview(String subject, String html, String text) {
    }

    /** One text of the simple mode: its built-in wording, the one in force, and what it receives. */
    public record TextField(String key, String defaultText, String text, boolean overridden, boolean multiline,
                            List<TextCatalog.Placeholder> placeholders) {
    }

    /**
     * The school's texts file of one language as the simple mode edits it: the documents and their
     * fields, and the file's own lines for keys no field shows (kept as they are by a simple-mode save).
     */
    public record TextFields(String name, String language, int version, boolean overridden,
                             Map<String, List<TextField>> documents, Map<String, String> otherTexts) {
    }

    /** What the sample page of a texts file shows: the letter (by the sample), a card, or a class cover sheet. */
    public enum PreviewDocument { LETTER, CARD, COVER }

    private final StructureTemplates templates;
    private final TemplateChecks checks;
    private final Rendering current;
    private final Rendering.Factory renderings;
    private final PagePreview pagePreview;
    private final LongFunction<Structure> structures;
    private final SelectionService selections;
    private final Messages messages;
    private final AuditLog audit;

    public TemplateEditor(StructureTemplates templates, Rendering current, Rendering.Factory renderings,
                          fr.publipostage.letters.Glyphs glyphs, int maxTemplateChars, PagePreview pagePreview,
                          LongFunction<Structure> structures, SelectionService selections, Messages messages,
                          AuditLog audit) {
        this.templates = templates;
        this.current = current;
        this.renderings = renderings;
        this.checks = new TemplateChecks(renderings, messages, glyphs, maxTemplateChars);
        this.pagePreview = pagePreview;
        this.structures = structures;
        this.selections = selections;
        this.messages = messages;
        this.audit = audit;
    }

    /** Every file of the set with its state for this structure, in the catalog's order. */
    public List<FileState> files(long structureId) {
        Map<String, TemplateVersion> latest = templates.latest(structureId);
        List<FileState> states = new ArrayList<>();
        for (TemplateCatalog.Entry e : TemplateCatalog.FILES) {
            TemplateVersion v = latest.get(e.name());
            states.add(v == null
                    ? new FileState(e.name(), e.kind(), e.language(), false, 0, null, null, null)
                    : new FileState(e.name(), e.kind(), e.language(), v.overrides(), v.version(), v.author(),
                    v.createdAt(), v.comment()));
        }
        return states;
    }

    /** The text in force for this structure (its override, else the built-in file). */
    public FileText file(long structureId, String name) {
        TemplateCatalog.Entry entry = entry(name);
        TemplateVersion latest = templates.latest(structureId).get(name);
        String builtin = builtinText(entry);
        boolean overridden = latest != null && latest.overrides();
        return new FileText(name, entry.kind(), entry.language(), overridden ? latest.text() : builtin, overridden,
                latest == null ? 0 : latest.version(), builtin);
    }

    /** The texts file {@code name} (messages_fr or messages_en) as fields, for the editor's simple mode. */
    public TextFields textFields(long structureId, String name) {
        TemplateCatalog.Entry entry = entry(name);
        if (entry.kind() != TemplateCatalog.Kind.TEXTS) throw new NoSuchTemplate(name);
        FileText file = file(structureId, name);
        Map<String, String> own = new LinkedHashMap<>(file.overridden()
                ? fr.publipostage.templates.MessageOverrides.parse(file.text()) : Map.of());
        Map<String, List<TextField>> documents = new LinkedHashMap<>();
        for (TextCatalog.Document d : TextCatalog.DOCUMENTS) {
            List<TextField> fields = new ArrayList<>();
            for (TextCatalog.Field f : d.fields()) {
                String builtin = messages.get(entry.language(), f.key());
                String mine = own.get(f.key());
                fields.add(new TextField(f.key(), builtin, mine == null ? builtin : mine, mine != null, f.multiline(),
                        f.placeholders()));
            }
            documents.put(d.id(), fields);
        }
        Map<String, String> others = new java.util.TreeMap<>(own);
        others.keySet().removeAll(TextCatalog.keys());
        return new TextFields(name, entry.language(), file.version(), file.overridden(), documents, others);
    }

    public List<TemplateVersion> history(long structureId, String name) {
        entry(name);
        return templates.history(structureId, name);
    }

    /** The text of one version (a reset's text is the built-in file's). */
    public String versionText(long structureId, String name, int version) {
        TemplateCatalog.Entry entry = entry(name);
        if (version == 0) return builtinText(entry);
        TemplateVersion v = templates.version(structureId, name, version)
                .orElseThrow(() -> new NoSuchTemplate(name + " v" + version));
        return v.overrides() ? v.text() : builtinText(entry);
    }

    /** Line diff from version {@code from} to version {@code to} (0 = the built-in file). */
    public List<TextDiff.Line> diff(long structureId, String name, int from, int to) {
        return TextDiff.lines(versionText(structureId, name, from), versionText(structureId, name, to));
    }

    /** What this (saved) text breaks in the letters' tagged structure: reported, not refused. */
    private List<Problem> warnings(long structureId, String name, String text) {
        return checks.accessibility(structure(structureId), entry(name), text,
                new DraftTemplates(templates, structureId, name, text));
    }

    /** Everything wrong with this text; empty when it may be saved. Nothing is stored. */
    public List<Problem> check(long structureId, String name, String text) {
        TemplateCatalog.Entry entry = entry(name);
        String normalised = normalise(text);
        return checks.check(structure(structureId), entry, normalised,
                new DraftTemplates(templates, structureId, name, normalised));
    }

    /**
     * Saves a new version after the checks.
     *
     * @param expectedVersion the version the admin started from ({@link FileText#version()}), or null not to check
     * @throws TemplateRejected                    with every problem found; nothing changed
     * @throws StructureTemplates.ConcurrentEdit   someone saved meanwhile; nothing changed
     */
    public Saved save(long structureId, String name, String text, String comment, String author, Integer expectedVersion) {
        String normalised = normalise(text);
        List<Problem> problems = check(structureId, name, normalised);
        if (!problems.isEmpty()) throw new TemplateRejected(problems);
        int version = templates.append(new TemplateVersion(structureId, name, 0, normalised, author, null,
                blankToNull(comment), TemplateVersion.SAVE, null), expectedVersion);
        record(author, "template.save", structureId, name, version, comment);
        return new Saved(name, version, true, warnings(structureId, name, normalised));
    }

    /** Makes an earlier version's text the current one again (as a new version), after the same checks. */
    public Saved rollback(long structureId, String name, int version, String comment, String author) {
        entry(name);
        TemplateVersion old = templates.version(structureId, name, version)
                .orElseThrow(() -> new NoSuchTemplate(name + " v" + version));
        if (!old.overrides()) return reset(structureId, name, author);
        List<Problem> problems = check(structureId, name, old.text());
        if (!problems.isEmpty()) throw new TemplateRejected(problems);
        String why = blankToNull(comment) == null ? messages.get(Messages.DEFAULT_LANGUAGE, "editor.rollbackComment", version) : comment;
        int v = templates.append(new TemplateVersion(structureId, name, 0, old.text(), author, null, why,
                TemplateVersion.ROLLBACK, version), null);
        record(author, "template.rollback", structureId, name, v, why);
        return new Saved(name, v, true, warnings(structureId, name, old.text()));
    }

    /** Back to the built-in file (recorded as a version; the history stays). */
    public Saved reset(long structureId, String name, String author) {
        entry(name);
        TemplateVersion latest = templates.latest(structureId).get(name);
        if (latest == null || !latest.overrides()) return new Saved(name, latest == null ? 0 : latest.version(), false);
        int v = templates.append(new TemplateVersion(structureId, name, 0, null, author, null, null,
                TemplateVersion.RESET, null), null);
        record(author, "template.reset", structureId, name, v, null);
        return new Saved(name, v, false);
    }

    /**
     * PNG of page 1 of the PDF the engine prints for this sample with this text of {@code name}
     * ({@code draft} null: the saved set). The cover sheet's file shows a cover, the card's layout 8.
     *
     * @throws TemplateRejected when the page cannot be printed (the same reasons a save would give)
     */
    public byte[] previewPage(long structureId, String name, String draft, Sample sample, int layout, String language,
                              Scope scope, String viewer) throws IOException {
        return previewPage(structureId, name, draft, sample, layout, language, scope, viewer, PreviewDocument.LETTER);
    }

    /** Same, showing {@code document} for a texts file (its cover sheet's or card's words). */
    public byte[] previewPage(long structureId, String name, String draft, Sample sample, int layout, String language,
                              Scope scope, String viewer, PreviewDocument document) throws IOException {
        entry(name);
        Rendering rendering = rendering(structureId, name, draft);
        Account account = account(structureId, sample, language, scope);
        boolean cover = name.equals("print-cover.vm") || document == PreviewDocument.COVER;
        int shown = name.equals("print-card.vm") || document == PreviewDocument.CARD ? 8 : cover ? 1 : layout;
        Selection selection = TemplateChecks.sheetSelection(structureId, shown, cover);
        ByteArrayOutputStream pdf = new ByteArrayOutputStream(64 * 1024);
        try {
            if (draft != null) {
                // The engine would refuse them silently: the admin is told which resource is not allowed.
                // A page the save refuses as not well-formed (a control character pasted from a word
                // processor) is told so here too, with its line, rather than failing in the engine.
                TemplateChecks.Page page = TemplateChecks.read(rendering.letters().xhtml(selection, List.of(account)));
                if (page.notWellFormed() != null) throw new TemplateRejected(List.of(page.notWellFormed()));
                List<Problem> outside = TemplateChecks.resources(page.document());
                if (!outside.isEmpty()) throw new TemplateRejected(outside);
            }
            rendering.letters().print(selection, List.of(account), pdf);
            if (sample.kind() == Sample.Kind.ACCOUNT) {
                // A real account's page shows his activation code: recorded like his PDF.
                audit.record(viewer, AuditEvent.PDF_LETTERS, structureId, 1, Map.of("channel", "editor-preview",
                        "template", name, "layout", shown, "accountId", account.id()));
            }
        } catch (TemplateError e) {
            throw new TemplateRejected(List.of(TemplateChecks.templateProblem(e)));
        } catch (LetterFailure e) {
            throw new TemplateRejected(List.of(TemplateChecks.overflowProblem(shown, e)));
        }
        return pagePreview.png(pdf.toByteArray());
    }

    /** The mail this sample would receive (subject, HTML and text parts) with this text of {@code name}. */
    public MailPreview previewMail(long structureId, String name, String draft, Sample sample, String language,
                                   Scope scope, String viewer) {
        entry(name);
        Rendering rendering = rendering(structureId, name, draft);
        Account account = account(structureId, sample, language, scope);
        MailKind kind = name.startsWith("mail-reminder") ? MailKind.reminder
                : name.startsWith("mail-activation") ? MailKind.activation : MailKind.of(account);
        // A reminder previewed for a person still to activate would show no code: the sample follows the file.
        Account shown = kind == MailKind.of(account) ? account
                : WorstCase.of(structureId, kind == MailKind.reminder, language);
        try {
            ComposedMail mail = rendering.mails().compose(kind, structure(structureId), shown);
            if (shown == account && sample.kind() == Sample.Kind.ACCOUNT) {
                audit.record(viewer, AuditEvent.MAIL_PREVIEW, structureId, 1, Map.of("template", name,
                        "accountId", account.id()));
            }
            return new MailPreview(mail.subject(), mail.html(), mail.text());
        } catch (TemplateError e) {
            throw new TemplateRejected(List.of(TemplateChecks.templateProblem(e)));
        }
    }

    private Rendering rendering(long structureId, String name, String draft) {
        return draft == null ? current
                : renderings.through(new DraftTemplates(templates, structureId, name, normalise(draft)));
    }

    /** The sample's account: the synthetic worst case, or a real one the admin may see (else {@link NoSuchTemplate}). */
    private Account account(long structureId, Sample sample, String language, Scope scope) {
        String lang = language == null ? null : Messages.language(language);
        return switch (sample.kind()) {
            case WORST_PENDING -> WorstCase.of(structureId, false, lang);
            case WORST_ACTIVATED -> WorstCase.of(structureId, true, lang);
            case ACCOUNT -> selections.account(structureId, sample.accountId(), scope)
                    .orElseThrow(() -> new NoSuchTemplate("account " + sample.accountId()));
        };
    }

    private Structure structure(long structureId) {
        Structure s = structures.apply(structureId);
        if (s == null) throw new NoSuchTemplate("structure " + structureId);
        return s;
    }

    private static TemplateCatalog.Entry entry(String name) {
        return TemplateCatalog.entry(name).orElseThrow(() -> new NoSuchTemplate(String.valueOf(name)));
    }

    /**
     * The built-in text of a file. The texts files have none: the editor starts from every key the
     * structure may reword, commented out with its built-in text.
     */
    private String builtinText(TemplateCatalog.Entry entry) {
        if (entry.kind() != TemplateCatalog.Kind.TEXTS) {
            return templates.builtin(entry.name()).map(TemplateSource::text).orElse("");
        }
        StringBuilder sb = new StringBuilder();
        sb.append(messages.get(entry.language(), "editor.textsHeader")).append('\n');
        messages.keys(entry.language()).stream().sorted()
                .filter(k -> TemplateCatalog.TEXT_PREFIXES.stream().anyMatch(k::startsWith))
                .forEach(k -> sb.append("# ").append(k).append(" = ")
                        .append(messages.get(entry.language(), k).replace("\n", "\\n")).append('\n'));
        return sb.toString();
    }

    private static String normalise(String text) {
        return text == null ? "" : text.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private void record(String author, String action, long structureId, String name, int version, String comment) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("template", name);
        details.put("version", version);
        if (comment != null) details.put("comment", comment);
        audit.record(author, action, structureId, null, details);
    }
}

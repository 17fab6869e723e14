package fr.publipostage.cli;

import fr.publipostage.App;
import fr.publipostage.customisation.NoSuchTemplate;
import fr.publipostage.customisation.Problem;
import fr.publipostage.customisation.TemplateEditor;
import fr.publipostage.customisation.TemplateRejected;
import fr.publipostage.directory.Structure;
import fr.publipostage.templates.Messages;
import fr.publipostage.templates.TemplateVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code template list|get|set|reset|history|rollback --structure UAI [NAME] [FILE|VERSION] [--comment TEXT]}:
 * a school's template overrides for platform operators who roll a template out to many schools. A
 * text goes through the same checks as in the editor; a refused one exits 1 with the reasons and
 * changes nothing.
 */
public final class TemplateCommand {
    static final String USAGE = "cli.error.usageTemplate";

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public TemplateCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public int run(App app, String lang, Args args) throws IOException {
        args.allowOnly(Set.of("structure", "comment"));
        List<String> words = args.positional();
        if (words.isEmpty()) throw CliError.of(USAGE);
        String uai = args.require("structure");
        Structure structure = app.structureByUai(uai);
        if (structure == null) throw CliError.of("cli.error.unknownStructure", uai);
        long id = structure.id();
        TemplateEditor editor = app.templateEditor();
        Messages messages = app.messages();
        String author = "cli:" + System.getProperty("user.name", "operator");
        try {
            switch (words.get(0)) {
                case "list" -> {
                    expect(words, 1);
                    for (TemplateEditor.FileState f : editor.files(id)) {
                        out.println(String.join("\t", f.name(), messages.get(lang, f.overridden() ? "cli.template.overridden" : "cli.template.default"),
                                f.version() == 0 ? "-" : "v" + f.version(), f.author() == null ? "-" : f.author(),
                                f.savedAt() == null ? "-" : fr.publipostage.templates.DateView.dateTime(f.savedAt(), lang), f.comment() == null ? "" : f.comment()));
                    }
                    return 0;
                }
                case "get" -> {
                    if (words.size() != 2 && words.size() != 3) throw CliError.of(USAGE);
                    String text = editor.file(id, words.get(1)).text();
                    if (words.size() == 3 && !words.get(2).equals("-")) {
                        Files.writeString(CliFiles.output(Path.of(words.get(2))), text, StandardCharsets.UTF_8);
                    } else {
                        out.print(text);
                        out.flush();
                    }
                    return 0;
                }
                case "set" -> {
                    expect(words, 3);
                    String text = read(words.get(2));
                    TemplateEditor.Saved saved = editor.save(id, words.get(1), text, args.option("comment"), author, null);
                    out.println(messages.get(lang, "cli.template.saved", saved.name(), uai, saved.version()));
                    for (var w : saved.warnings()) {
                        out.println(messages.get(lang, "cli.template.warning", w.line(), messages.get(lang, w.key(), w.args().toArray())));
                    }
                    return 0;
                }
                case "reset" -> {
                    expect(words, 2);
                    TemplateEditor.Saved saved = editor.reset(id, words.get(1), author);
                    out.println(messages.get(lang, "cli.template.reset", saved.name(), uai));
                    return 0;
                }
                case "history" -> {
                    expect(words, 2);
                    for (TemplateVersion v : editor.history(id, words.get(1))) {
                        out.println(String.join("\t", "v" + v.version(), v.action(), v.author(), fr.publipostage.templates.DateView.dateTime(v.createdAt(), lang),
                                v.comment() == null ? "" : v.comment()));
                    }
                    return 0;
                }
                case "rollback" -> {
                    expect(words, 3);
                    int version;
                    try {
                        version = Integer.parseInt(words.get(2));
                    } catch (NumberFormatException e) {
                        throw CliError.of("cli.error.versionNumber", words.get(2));
                    }
                    TemplateEditor.Saved saved = editor.rollback(id, words.get(1), version, args.option("comment"), author);
                    out.println(messages.get(lang, "cli.template.saved", saved.name(), uai, saved.version()));
                    return 0;
                }
                default -> throw CliError.of(USAGE);
            }
        } catch (NoSuchTemplate e) {
            throw new CliError(messages.get(lang, "cli.template.unknown", e.getMessage()));
        } catch (TemplateRejected e) {
            err.println(messages.get(lang, "cli.template.refused", words.get(1), uai, e.problems().size()));
            for (Problem p : e.problems()) {
                String reason = messages.get(lang, p.key(), p.args().toArray());
                // The sandbox's own messages already say file, line and column.
                boolean placed = p.line() == 0 || p.key().startsWith("template.error.");
                err.println(placed ? "  " + reason : "  " + messages.get(lang, "cli.template.at", p.line(), p.column(), reason));
            }
            return 1;
        }
    }

    private static void expect(List<String> words, int count) {
        if (words.size() != count) throw CliError.of(USAGE);
    }

    /** The new text, UTF-8, from a file or from standard input ({@code -}). */
    private String read(String file) throws IOException {
        byte[] bytes;
        try {
            bytes = file.equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw CliError.of("cli.error.fileNotFound", file);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString().replaceFirst("^\uFEFF", "");
        } catch (CharacterCodingException e) {
            throw CliError.of("cli.error.notUtf8", file);
        }
    }
}

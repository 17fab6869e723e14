package fr.publipostage.cli;

import fr.publipostage.App;
import fr.publipostage.directory.ImportProblem;
import fr.publipostage.directory.ImportRejected;
import fr.publipostage.directory.ImportReport;
import fr.publipostage.templates.Messages;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code import FILE.csv [--structure UAI] [--dry-run]}: all or nothing, every bad line reported by
 * line and column; {@code --dry-run} says what the import would do and writes nothing. Recorded in the
 * audit log as {@code cli:<user>}.
 */
public final class ImportCommand {
    private static final int LISTED = 20;
    private final PrintStream out;
    private final PrintStream err;

    public ImportCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(App app, String lang, Args args) throws IOException {
        args.allowOnly(Set.of("structure", "dry-run"));
        if (args.positional().size() != 1) throw CliError.of("cli.error.usageImport");
        Path file = CliFiles.input(Path.of(args.positional().get(0)));
        boolean apply = !args.has("dry-run");
        Messages messages = app.messages();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ImportReport report = app.imports().importFile(in, args.option("structure"), apply,
                    "cli:" + System.getProperty("user.name"), file.getFileName().toString());
            print(messages, lang, report);
            return 0;
        } catch (NoSuchFileException e) {
            throw CliError.of("cli.error.fileNotFound", file);
        } catch (ImportRejected e) {
            err.println(messages.get(lang, "import.rejected", e.total()));
            for (ImportProblem p : e.problems()) err.println(line(messages, lang, p));
            if (e.total() > e.problems().size()) err.println(messages.get(lang, "import.moreProblems", e.total() - e.problems().size()));
            return 1;
        }
    }

    /** One problem as the CLI and the web page write it. */
    static String line(Messages messages, String lang, ImportProblem p) {
        String reason = messages.get(lang, p.reason(), p.args().toArray());
        return p.line() == 0 ? reason : messages.get(lang, "import.line", p.line(), p.column(), reason);
    }

    private void print(Messages messages, String lang, ImportReport r) {
        out.println(messages.get(lang, r.applied() ? "import.done" : "import.dryRun", r.format(), r.lines(), r.created(),
                r.updated(), String.join(", ", r.structures())));
        List<String> fields = new ArrayList<>();
        for (Map.Entry<String, Integer> f : r.changedFields().entrySet()) {
            fields.add(messages.get(lang, "import.field." + f.getKey()) + " " + f.getValue());
        }
        out.println(messages.get(lang, "import.summary", r.unchanged(), fields.isEmpty() ? "—" : String.join(", ", fields),
                r.newClasses(), r.absent()));
        if (!r.applied()) {
            list(messages, lang, "import.listCreated", r.created(), r.createdAccounts());
            list(messages, lang, "import.listUpdated", r.updated(), r.updatedAccounts());
        }
        list(messages, lang, "import.listAbsent", r.absent(), r.absentAccounts());
    }

    private void list(Messages messages, String lang, String title, int count, List<ImportReport.Entry> entries) {
        if (count == 0) return;
        out.println(messages.get(lang, title, count));
        for (ImportReport.Entry e : entries.subList(0, Math.min(LISTED, entries.size()))) {
            StringBuilder s = new StringBuilder("  ");
            if (e.line() > 0) s.append(messages.get(lang, "import.atLine", e.line())).append(' ');
            s.append(e.firstName()).append(' ').append(e.lastName()).append(" (").append(e.login()).append(')');
            if (!e.fields().isEmpty()) {
                s.append(" : ").append(String.join(", ", e.fields().stream().map(f -> messages.get(lang, "import.field." + f)).toList()));
            }
            out.println(s);
        }
        if (count > LISTED) out.println("  " + messages.get(lang, "import.andMore", count - LISTED));
    }
}

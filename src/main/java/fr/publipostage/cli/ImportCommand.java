package fr.publipostage.cli;

import fr.publipostage.App;
import fr.publipostage.directory.ImportProblem;
import fr.publipostage.directory.ImportRejected;
import fr.publipostage.directory.ImportReport;
import fr.publipostage.templates.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/** {@code import FILE.csv [--structure UAI]}: all or nothing, every bad line reported. */
public final class ImportCommand {
    private final PrintStream out;
    private final PrintStream err;

    public ImportCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(App app, String lang, Args args) throws IOException {
        args.allowOnly(Set.of("structure"));
        if (args.positional().size() != 1) throw CliError.of("cli.error.usageImport");
        Path file = Path.of(args.positional().get(0));
        Messages messages = app.messages();
        try (InputStream in = Files.newInputStream(file)) {
            ImportReport report = app.importer().importCsv(in, args.option("structure"));
            out.println(messages.get(lang, "import.done", report.format(), report.lines(),
                    report.created(), report.updated(), String.join(", ", report.structures())));
            return 0;
        } catch (NoSuchFileException e) {
            throw CliError.of("cli.error.fileNotFound", file);
        } catch (ImportRejected e) {
            err.println(messages.get(lang, "import.rejected", e.problems().size()));
            for (ImportProblem p : e.problems()) {
                String reason = messages.get(lang, p.reason(), p.args().toArray());
                err.println(p.line() == 0 ? reason : messages.get(lang, "import.line", p.line(), p.column(), reason));
            }
            return 1;
        }
    }
}

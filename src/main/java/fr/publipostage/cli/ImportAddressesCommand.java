package fr.publipostage.cli;

import fr.publipostage.App;
import fr.publipostage.directory.AddressImporter;
import fr.publipostage.directory.ImportProblem;
import fr.publipostage.directory.ImportRejected;
import fr.publipostage.directory.Structure;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.templates.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code import-addresses FILE.csv --structure UAI}: postal addresses keyed by login (or Id Siecle /
 * external id); all or nothing, every problem by line and column, like {@code import}. Recorded in the
 * audit log as {@code cli:<user>}.
 */
public final class ImportAddressesCommand {
    private final PrintStream out;
    private final PrintStream err;

    public ImportAddressesCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(App app, String lang, Args args) throws IOException {
        args.allowOnly(Set.of("structure"));
        if (args.positional().size() != 1) throw CliError.of("cli.error.usageImportAddresses");
        String uai = args.require("structure");
        Path file = CliFiles.input(Path.of(args.positional().get(0)));
        Messages messages = app.messages();
        try (InputStream in = Files.newInputStream(file)) {
            AddressImporter.Report report = app.addresses().importCsv(in, uai);
            Structure structure = app.structureByUai(uai);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("channel", "cli");
            details.put("file", file.getFileName().toString());
            details.put("withAddress", report.withAddress());
            details.put("cleared", report.cleared());
            app.audit().record("cli:" + System.getProperty("user.name"), AuditEvent.ADDRESS_IMPORT,
                    structure == null ? null : structure.id(), report.lines(), details);
            out.println(messages.get(lang, "addresses.done", report.uai(), report.lines(), report.withAddress(), report.cleared()));
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

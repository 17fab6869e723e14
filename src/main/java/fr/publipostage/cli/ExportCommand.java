package fr.publipostage.cli;

import fr.publipostage.App;
import fr.publipostage.directory.Structure;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.selection.InvalidSelection;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionParser;
import fr.publipostage.templates.Messages;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code export --structure UAI [filters] [--sort class,profile] --out FILE.csv} ({@code --out -}: standard
 * output): the check step's list as the web's "Télécharger la liste (CSV)" writes it — the same filters,
 * the same CSV (Excel-FR: {@code ;}, quoted, UTF-8 with BOM, CRLF, headers in PUBLIPOSTAGE_LANGUAGE) —
 * with the scope of {@code letters}: a local admin's (the platform's super-admin accounts stay hidden).
 * Recorded in the audit log as {@code cli:<user>} before the first byte is written.
 */
public final class ExportCommand {
    /** The selection's own parameters; layout and cover are the letters'. */
    private static final Set<String> NOT_FILTERS = Set.of("layout", "cover");

    private final OutputStream stdout;
    private final PrintStream err;

    public ExportCommand(OutputStream stdout, PrintStream err) {
        this.stdout = stdout;
        this.err = err;
    }

    public int run(App app, String lang, Args args) throws IOException {
        Set<String> known = new HashSet<>(SelectionParser.PARAMETERS);
        known.removeAll(NOT_FILTERS);
        known.add("structure");
        known.add("out");
        args.allowOnly(known);
        if (!args.positional().isEmpty()) throw CliError.of("cli.error.unexpected", args.positional().get(0));
        String uai = args.require("structure");
        String out = args.require("out");
        Structure structure = app.structureByUai(uai);
        if (structure == null) throw CliError.of("cli.error.unknownStructure", uai);
        Map<String, List<String>> params = new LinkedHashMap<>(args.options());
        params.remove("structure");
        params.remove("out");
        Messages messages = app.messages();
        Selection selection;
        try {
            selection = app.selections().parse(structure.id(), params);
        } catch (InvalidSelection e) {
            throw new CliError(messages.get(lang, e.key(), e.value()));
        }
        String operator = "cli:" + System.getProperty("user.name");
        Scope scope = Scope.LOCAL_ADMIN;
        int count = app.selections().count(selection, scope).total();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("uai", structure.uai());
        details.put("role", "cli");
        details.put("selection", selection.toParameters());
        details.put("language", lang);
        details.put("file", out);
        app.audit().record(operator, AuditEvent.CSV_EXPORT, structure.id(), count, details);

        int written;
        if (out.equals("-")) {
            written = app.csv().write(selection, scope, lang, stdout);
            stdout.flush();
        } else {
            Path file = Path.of(out);  // its folder checked before the database started (CliFiles)
            Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".part");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                written = app.csv().write(selection, scope, lang, os);
            } catch (RuntimeException | IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        err.println(messages.get(lang, "export.done", written, out.equals("-") ? messages.get(lang, "export.stdout") : out));
        return 0;
    }
}

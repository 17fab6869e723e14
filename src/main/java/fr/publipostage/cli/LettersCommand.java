package fr.publipostage.cli;

import fr.publipostage.App;
import fr.publipostage.directory.Structure;
import fr.publipostage.letters.LetterEngine;
import fr.publipostage.letters.LetterFailure;
import fr.publipostage.letters.LetterService;
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
 * {@code letters --structure UAI [filters] [--sort class,profile] [--layout 1|2|8|postal] [--cover]
 * [--without-address refuse|hand] --out FILE.pdf}.
 *
 * <p>The command line is the platform operator's tool, run on the server: it prints with the scope
 * of a local admin of the school ({@link Scope#LOCAL_ADMIN}: every account of the school except the
 * platform's super-admin accounts). A school's letters are handed out in the school; super-admin
 * accounts belong to the platform, not to the school, and their credentials never go into a
 * school's print. It is also exactly what the school's own admin gets from the browser for the same
 * filters. The run is audited as {@code cli:<user>}.
 */
public final class LettersCommand {
    private final PrintStream out;
    private final PrintStream err;

    public LettersCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(App app, String lang, Args args) throws IOException {
        Set<String> known = new HashSet<>(SelectionParser.PARAMETERS);
        known.add("structure");
        known.add("out");
        args.allowOnly(known);
        if (!args.positional().isEmpty()) throw new CliError("unexpected argument " + args.positional().get(0));
        String uai = args.require("structure");
        Path file = Path.of(args.require("out"));
        Structure structure = app.structureByUai(uai);
        if (structure == null) throw new CliError("unknown structure " + uai);
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
        if (selection.cover() && !selection.sortedByClass()) throw new CliError("--cover needs --sort class");
        Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".part");
        LetterEngine.Result result;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            result = app.letters().print(selection, Scope.LOCAL_ADMIN, "cli:" + System.getProperty("user.name"), "cli",
                    os, (done, total) -> err.print("\r" + messages.get(lang, "render.progress", done, total)));
        } catch (LetterFailure e) {
            Files.deleteIfExists(tmp);
            err.println();
            throw new CliError(messages.get(lang, e.key(), e.args().toArray()));
        } catch (LetterService.JobUnavailable e) {
            Files.deleteIfExists(tmp);
            throw new CliError(messages.get(lang, e.key()));
        } catch (LetterService.WithoutPostalAddress e) {
            Files.deleteIfExists(tmp);
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < Math.min(20, e.listed().size()); i++) {
                if (i > 0) names.append(", ");
                names.append(e.listed().get(i).displayName()).append(" (").append(e.listed().get(i).displayLogin()).append(')');
            }
            if (e.count() > 20) names.append(", …");
            throw new CliError(messages.get(lang, "render.noPostalAddress", e.count(), names) + " (--without-address hand)");
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        err.println();
        if (result.accounts() == 0) {
            Files.deleteIfExists(tmp);
            throw new CliError(messages.get(lang, "render.empty"));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        out.println(messages.get(lang, "render.pages", result.pages(), file));
        return 0;
    }
}

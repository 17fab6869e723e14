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
 * [--without-address refuse|hand] [--pdfa] --out FILE.pdf},
 * and {@code letters --campaign ID --outcome unreached --out FILE.pdf}: the letters of the accounts a
 * campaign did not reach (no address, failed, bounced), its school taken from the campaign.
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
        known.add("pdfa");
        args.allowOnly(known);
        if (!args.positional().isEmpty()) throw CliError.of("cli.error.unexpected", args.positional().get(0));
        Path file = Path.of(args.require("out"));  // its folder checked before the database started (CliFiles)
        Messages messages = app.messages();
        Structure structure;
        if (args.has("campaign") && !args.has("structure")) {
            long campaignId;
            try {
                campaignId = Long.parseLong(args.option("campaign"));
            } catch (NumberFormatException e) {
                throw new CliError("--campaign: " + messages.get(lang, "selection.badCampaign", args.option("campaign")));
            }
            structure = app.campaigns().structureOfCampaign(campaignId);
            if (structure == null) throw new CliError(messages.get(lang, "campaign.cli.notFound", campaignId));
        } else {
            String uai = args.require("structure");
            structure = app.structureByUai(uai);
            if (structure == null) throw CliError.of("cli.error.unknownStructure", uai);
        }
        Map<String, List<String>> params = new LinkedHashMap<>(args.options());
        params.remove("structure");
        params.remove("out");
        params.remove("pdfa");
        // --pdfa (or --pdfa=yes|no): a PDF/A-2u archive copy; without it, the school's default.
        boolean archive = args.has("pdfa") ? switch (args.option("pdfa")) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw CliError.of("cli.error.badPdfa", args.option("pdfa"));
        } : app.printDefaults().archive(structure.id());
        Selection selection;
        try {
            selection = app.selections().parse(structure.id(), params);
        } catch (InvalidSelection e) {
            throw new CliError("--" + e.parameter() + ": " + messages.get(lang, e.key(), e.value()));
        }
        if (selection.cover() && !selection.sortedByClass()) throw CliError.of("cli.error.coverNeedsSort");
        Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".part");
        LetterEngine.Result result;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            result = app.letters().print(selection, Scope.LOCAL_ADMIN, "cli:" + System.getProperty("user.name"), "cli",
                    os, (done, total) -> err.print("\r" + messages.get(lang, "render.progress", done, total)), archive);
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

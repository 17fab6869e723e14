package fr.publipostage;

import fr.publipostage.cli.AdminCommand;
import fr.publipostage.cli.Args;
import fr.publipostage.cli.CliError;
import fr.publipostage.cli.ImportAddressesCommand;
import fr.publipostage.cli.ImportCommand;
import fr.publipostage.cli.LettersCommand;
import fr.publipostage.cli.MailCommand;
import fr.publipostage.cli.RenderHtmlCommand;
import fr.publipostage.cli.ServeCommand;
import fr.publipostage.cli.TemplateCommand;
import fr.publipostage.db.Database;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Entry point of target/publipostage.jar: dispatches the command-line verbs of DESIGN.md §4. */
public final class Main {
    private Main() {
    }

    /** An application that is closed when the command ends, and on Ctrl-C too (PostgreSQL stopped cleanly). */
    private static App openClosedOnExit(Config config) {
        App app = App.open(config);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "publipostage-close"));
        return app;
    }

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv)));
    }

    static int run(List<String> argv) {
        String verb = argv.isEmpty() ? "serve" : argv.get(0);
        List<String> rest = argv.isEmpty() ? List.of() : argv.subList(1, argv.size());
        try {
            if (verb.equals("render-html")) {
                // Timed with JVM start-up by the peer benchmark: nothing but the engine.
                return new RenderHtmlCommand().run(rest);
            }
            Config config = Config.fromEnvironment();
            Logging.apply(config);
            String lang = config.get(Setting.LANGUAGE);
            switch (verb) {
                case "serve":
                    return new ServeCommand(System.out).run(config, new Args(rest, Set.of()));
                case "import":
                    try (App app = openClosedOnExit(config)) {
                        return new ImportCommand(System.out, System.err).run(app, lang, new Args(rest, Set.of()));
                    }
                case "import-addresses":
                    try (App app = openClosedOnExit(config)) {
                        return new ImportAddressesCommand(System.out, System.err).run(app, lang, new Args(rest, Set.of()));
                    }
                case "admin":
                    try (App app = openClosedOnExit(config)) {
                        return new AdminCommand(System.in, System.out).run(app, lang, new Args(rest, Set.of("super")));
                    }
                case "mail":
                    try (App app = openClosedOnExit(config)) {
                        return new MailCommand(System.out).run(app, lang, new Args(rest, Set.of()));
                    }
                case "letters":
                    try (App app = openClosedOnExit(config)) {
                        return new LettersCommand(System.out, System.err).run(app, lang, new Args(rest, Set.of("cover")));
                    }
                case "template":
                    try (App app = openClosedOnExit(config)) {
                        return new TemplateCommand(System.in, System.out, System.err).run(app, lang, new Args(rest, Set.of()));
                    }
                case "help", "--help", "-h":
                    System.out.println("verbs: serve [--port N] | import FILE.csv [--structure UAI] | admin create --login L [--super | --structure UAI ... | --structure UAI --class NAME ...] | admin reset-totp --login L"
                            + " | import-addresses FILE.csv --structure UAI"
                            + " | letters --structure UAI [filters] [--sort class,profile] [--layout 1|2|8|postal] [--cover] [--without-address refuse|hand] --out FILE.pdf | render-html IN.xhtml OUT.pdf"
                            + " | mail --structure UAI [filters] | mail --campaign ID"
                            + " | template list|get|set|reset|history|rollback --structure UAI [NAME] [FILE|VERSION] [--comment TEXT]");
                    return 0;
                default:
                    throw new CliError("unknown command \"" + verb + "\" (try: serve, import, import-addresses, admin, letters, render-html, mail, template, help)");
            }
        } catch (CliError | Config.ConfigException | Database.DatabaseUnavailable e) {
            System.err.println("publipostage: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (Exception e) {
            System.err.println("publipostage: " + e);
            return 1;
        }
    }
}

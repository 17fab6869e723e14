package fr.publipostage;

import fr.publipostage.cli.AdminCommand;
import fr.publipostage.cli.BackupCommand;
import fr.publipostage.cli.CliFiles;
import fr.publipostage.cli.RestoreCommand;
import fr.publipostage.cli.Args;
import fr.publipostage.cli.CliError;
import fr.publipostage.cli.ExportCommand;
import fr.publipostage.cli.ImportAddressesCommand;
import fr.publipostage.cli.ImportCommand;
import fr.publipostage.cli.LettersCommand;
import fr.publipostage.cli.MailCommand;
import fr.publipostage.cli.RenderHtmlCommand;
import fr.publipostage.cli.ServeCommand;
import fr.publipostage.cli.TemplateCommand;
import fr.publipostage.db.DatabaseUnavailable;
import fr.publipostage.templates.Messages;
import java.util.function.Consumer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Entry point of target/publipostage.jar: dispatches the command-line verbs of DESIGN.md §4. */
public final class Main {
    private Main() {
    }

    /** Exit code when the embedded database stopped and could not be started again. */
    public static final int DATABASE_LOST = 3;

    /** An application that is closed when the command ends, and on Ctrl-C too (PostgreSQL stopped cleanly). */
    private static App openClosedOnExit(Config config) {
        App app = App.open(config, lost(config.get(Setting.LANGUAGE)));
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "publipostage-close"));
        return app;
    }

    /**
     * What a verb does when its embedded database stopped and every attempt to start it again failed:
     * the reason on stderr, then exit non-zero (a service manager restarts {@code serve}).
     */
    public static Consumer<DatabaseUnavailable> lost(String lang) {
        return reason -> {
            printDatabaseProblem(new Messages(), lang, reason);
            // Not on the supervisor's thread: the shutdown hooks it would wait for stop that thread.
            new Thread(() -> System.exit(DATABASE_LOST), "publipostage-exit").start();
        };
    }

    /** A database problem as the operator reads it: one sentence, then PostgreSQL's or the system's words. */
    public static void printDatabaseProblem(Messages messages, String lang, DatabaseUnavailable e) {
        System.err.println("publipostage: " + messages.get(lang, e.key(), e.args()));
        if (e.detail() != null && !e.detail().isBlank()) System.err.println("  " + e.detail());
    }

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv)));
    }

    static int run(List<String> argv) {
        String verb = argv.isEmpty() ? "serve" : argv.get(0);
        List<String> rest = argv.isEmpty() ? List.of() : argv.subList(1, argv.size());
        String lang = Messages.language(System.getenv(Setting.LANGUAGE.envName));
        try {
            if (verb.equals("render-html")) {
                // Timed with JVM start-up by the peer benchmark: nothing but the engine.
                return new RenderHtmlCommand().run(rest);
            }
            Config config = Config.fromEnvironment();
            Logging.apply(config, verb.equals("serve"));
            lang = Messages.language(config.get(Setting.LANGUAGE));
            switch (verb) {
                case "serve":
                    return new ServeCommand(System.out, lost(lang)).run(config, new Args(rest, Set.of()));
                case "import":
                    try (App app = openClosedOnExit(config)) {
                        return new ImportCommand(System.out, System.err).run(app, lang, new Args(rest, Set.of("dry-run")));
                    }
                case "export": {
                    Args args = CliFiles.outputChecked(new Args(rest, Set.of()));
                    try (App app = openClosedOnExit(config)) {
                        return new ExportCommand(System.out, System.err).run(app, lang, args);
                    }
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
                case "letters": {
                    Args args = CliFiles.outputChecked(new Args(rest, Set.of("cover", "pdfa")));
                    try (App app = openClosedOnExit(config)) {
                        return new LettersCommand(System.out, System.err).run(app, lang, args);
                    }
                }
                case "template":
                    try (App app = openClosedOnExit(config)) {
                        return new TemplateCommand(System.in, System.out, System.err).run(app, lang, new Args(rest, Set.of()));
                    }
                case "backup":
                    try (App app = openClosedOnExit(config)) {
                        return new BackupCommand(System.out).run(app, lang, new Args(rest, Set.of()));
                    }
                case "restore":
                    return new RestoreCommand(System.out, lost(lang)).run(config, lang, new Args(rest, Set.of()));
                case "help", "--help", "-h":
                    System.out.println(new Messages().get(lang, "cli.help"));
                    return 0;
                default:
                    throw CliError.of("cli.error.unknownCommand", verb);
            }
        } catch (DatabaseUnavailable e) {
            printDatabaseProblem(new Messages(), lang, e);
            return 2;
        } catch (CliError e) {
            System.err.println("publipostage: " + e.message(new Messages(), cliLanguage()));
            return 2;
        } catch (Config.ConfigException e) {
            System.err.println("publipostage: " + e.message(new Messages(), cliLanguage()));
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (java.nio.file.FileSystemException e) {
            // A file the checks above did not foresee (permissions changed meanwhile…): one sentence, exit 2.
            System.err.println("publipostage: " + new Messages().get(cliLanguage(), "cli.error.file", e.getFile(),
                    e.getReason() == null ? "" : e.getReason()));
            return 2;
        } catch (Exception e) {
            System.err.println("publipostage: " + e);
            return 1;
        }
    }

    /** The language of command-line messages (PUBLIPOSTAGE_LANGUAGE), French when it cannot be read. */
    private static String cliLanguage() {
        try {
            return Messages.language(Config.fromEnvironment().get(Setting.LANGUAGE));
        } catch (RuntimeException e) {
            return Messages.DEFAULT_LANGUAGE;
        }
    }
}

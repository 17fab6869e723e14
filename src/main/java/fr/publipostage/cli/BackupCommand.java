package fr.publipostage.cli;

import fr.publipostage.App;
import fr.publipostage.db.EmbeddedBackup;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * {@code backup --out DIR}: an online, consistent copy of the embedded default (beside a running
 * {@code serve}, or on its own); with an external database, the sentence pointing to the DBA's tools.
 */
public final class BackupCommand {
    private final PrintStream out;

    public BackupCommand(PrintStream out) {
        this.out = out;
    }

    public int run(App app, String lang, Args args) {
        args.allowOnly(Set.of("out"));
        if (!args.positional().isEmpty()) throw new CliError("usage: backup --out DIR");
        Path dir = Path.of(args.require("out"));
        EmbeddedBackup.Backup b = EmbeddedBackup.backup(app.database(), dir);
        out.println(app.messages().get(lang, "cli.backup.done", b.directory(), b.files(), megabytes(b.bytes()),
                String.format(Locale.ROOT, "%.1f", b.took().toMillis() / 1000.0), b.serverVersion(), b.startLsn(), b.stopLsn()));
        return 0;
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1_048_576.0);
    }
}

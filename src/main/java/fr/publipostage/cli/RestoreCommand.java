package fr.publipostage.cli;

import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.db.DatabaseUnavailable;
import fr.publipostage.db.EmbeddedBackup;
import fr.publipostage.db.SummaryMapper;
import fr.publipostage.templates.Messages;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code restore DIR}: a backup made by {@code backup} into the empty data directory of
 * PUBLIPOSTAGE_DATA_DIR, then a trial start (PostgreSQL replays the backup's WAL) that counts what is
 * there — so the operator knows at once that the copy works.
 */
public final class RestoreCommand {
    private final PrintStream out;
    private final Consumer<DatabaseUnavailable> databaseLost;

    public RestoreCommand(PrintStream out, Consumer<DatabaseUnavailable> databaseLost) {
        this.out = out;
        this.databaseLost = databaseLost;
    }

    public int run(Config config, String lang, Args args) {
        args.allowOnly(Set.of());
        if (args.positional().size() != 1) throw new CliError("usage: restore DIR   (into the empty data directory of PUBLIPOSTAGE_DATA_DIR)");
        if (config.has(Setting.DB_URL)) throw new DatabaseUnavailable("db.backup.external", null, null);
        Messages messages = new Messages();
        EmbeddedBackup.Restore r = EmbeddedBackup.restore(Path.of(args.positional().get(0)), Path.of(config.get(Setting.DATA_DIR)));
        out.println(messages.get(lang, "cli.restore.done", r.label(), r.dataDirectory(), r.files(), BackupCommand.megabytes(r.bytes())));
        try (App app = App.open(config, databaseLost)) {
            SummaryMapper.Summary s = app.databaseSummary();
            out.println(messages.get(lang, "cli.restore.verified", s.structures(), s.accounts(), s.campaigns(), s.ledgerRows()));
        }
        return 0;
    }
}

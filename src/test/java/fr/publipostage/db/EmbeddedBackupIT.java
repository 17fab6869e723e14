package fr.publipostage.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.cli.Args;
import fr.publipostage.cli.RestoreCommand;
import fr.publipostage.mailing.Campaign;
import fr.publipostage.mailing.CampaignProgress;
import fr.publipostage.selection.Scope;
import fr.publipostage.testing.AppProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online backup of the embedded default while a campaign sends, restored into a new data directory
 * and started: the accounts and the campaign's ledger are there, consistent.
 */
class EmbeddedBackupIT {
    private static final int TEACHERS = 100;

    @TempDir
    Path work;

    private Config config(Path dataDir) {
        return Config.of(Map.of(Setting.DATA_DIR, dataDir.toString(), Setting.DEMO_DATA, "false",
                // The sandbox mailbox, slowed down so that the campaign is still sending during the backup.
                Setting.SMTP_RATE, "600", Setting.MAIL_POLL, "100ms", Setting.MAIL_BATCH, "5"));
    }

    private static void importSchool(App app) throws Exception {
        StringBuilder csv = new StringBuilder("uai;structure_name;profile;last_name;first_name;login;activation_code;email\n");
        for (int i = 0; i < TEACHERS; i++) {
            csv.append("0330001A;Lycée Montesquieu;Teacher;Lefèvre").append(i).append(";Élodie;t").append(i)
                    .append(";CODE").append(1000 + i).append(";t").append(i).append("@example.org\n");
        }
        for (int i = 0; i < 50; i++) csv.append("0330001A;Lycée Montesquieu;Student;Élève").append(i).append(";Noé;e").append(i).append(";E").append(i).append(";\n");
        app.importer().importCsv(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), null);
    }

    private Path privateDir(String name) throws Exception {
        Path dir = work.resolve(name);
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return dir;
    }

    @Test
    void backupWhileACampaignSendsThenRestoreIntoANewDirectoryAndStart() throws Exception {
        Path original = privateDir("original");
        Path backup = work.resolve("backup");
        long campaignId;
        int sentAtBackupStart;
        EmbeddedBackup.Backup made;
        try (App app = App.open(config(original))) {
            importSchool(app);
            long structure = app.structureByUai("0330001A").id();
            Campaign campaign = app.campaigns().start(app.selections().parse(structure, Map.of("profile", List.of("Teacher"))),
                    Scope.LOCAL_ADMIN, "admin.test");
            campaignId = campaign.id();
            app.startMailWorker();
            long deadline = System.currentTimeMillis() + 60_000;
            while (app.campaigns().progress(campaignId).counts().sent() < 5 && System.currentTimeMillis() < deadline) Thread.sleep(50);
            sentAtBackupStart = app.campaigns().progress(campaignId).counts().sent();
            assertThat(sentAtBackupStart).isGreaterThanOrEqualTo(5);

            made = EmbeddedBackup.backup(app.database(), backup);

            CampaignProgress after = app.campaigns().progress(campaignId);
            assertThat(after.campaign().status()).as("the campaign was still sending during the backup").isEqualTo(Campaign.Status.running);
            assertThat(after.counts().sent()).isLessThan(TEACHERS);
        }
        assertThat(Files.getPosixFilePermissions(backup)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(backup.resolve("postgres/backup_label"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(backup.resolve("postgres/backup_label"))).contains("START WAL LOCATION").contains(made.label());
        assertThat(backup.resolve("postgres/postmaster.pid")).doesNotExist();

        // Restore into a new, empty data directory with the verb, which starts the copy and counts.
        Path restored = privateDir("restored");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new RestoreCommand(new PrintStream(out, true, StandardCharsets.UTF_8), e -> { })
                .run(config(restored), "en", new Args(List.of(backup.toString()), Set.of()));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("restored into " + restored)
                .contains("Verified: PostgreSQL started on the copy; 1 school(s), " + (TEACHERS + 50) + " account(s), 1 campaign(s) and "
                        + TEACHERS + " ledger row(s)");

        try (App app = App.open(config(restored).with(Setting.MAIL_WORKER, "false"))) {
            assertThat(app.databaseSummary().accounts()).isEqualTo(TEACHERS + 50);
            CampaignProgress copy = app.campaigns().progress(campaignId);
            assertThat(copy.counts().total()).isEqualTo(TEACHERS);
            // What was sent before the backup began is in the copy; the ledger adds up.
            assertThat(copy.counts().sent()).isGreaterThanOrEqualTo(sentAtBackupStart);
            assertThat(copy.counts().sent() + copy.counts().pending() + copy.counts().sending() + copy.counts().failed()
                    + copy.counts().skipped() + copy.counts().cancelled()).isEqualTo(TEACHERS);
            assertThat(copy.campaign().status()).isEqualTo(Campaign.Status.running);
            System.out.printf("backup: %d files, %.1f MB in %.1f s; %d sent at its start, %d in the copy%n", made.files(),
                    made.bytes() / 1048576.0, made.took().toMillis() / 1000.0, sentAtBackupStart, copy.counts().sent());
        }
    }

    @Test
    void aDamagedBackupOrAnOccupiedDataDirectoryIsRefusedAndNothingIsWritten() throws Exception {
        Path original = privateDir("original");
        Path backup = work.resolve("backup");
        try (App app = App.open(config(original))) {
            importSchool(app);
            EmbeddedBackup.backup(app.database(), backup);
            // Into the data directory itself, or into a folder that is not empty: refused.
            assertThatThrownBy(() -> EmbeddedBackup.backup(app.database(), original.resolve("copy")))
                    .isInstanceOf(DatabaseUnavailable.class).extracting(e -> ((DatabaseUnavailable) e).key()).isEqualTo("db.backup.insideData");
            assertThatThrownBy(() -> EmbeddedBackup.backup(app.database(), backup))
                    .isInstanceOf(DatabaseUnavailable.class).extracting(e -> ((DatabaseUnavailable) e).key()).isEqualTo("db.backup.notEmpty");
            // The running server's own data directory is not empty.
            assertThatThrownBy(() -> EmbeddedBackup.restore(backup, original))
                    .isInstanceOf(DatabaseUnavailable.class).extracting(e -> ((DatabaseUnavailable) e).key()).isEqualTo("db.restore.notEmpty");
        }
        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(backup.resolve("postgres/base"))) {
            // Non-empty files only: which file is in the middle depends on the migrations, and an empty
            // relation file has no byte to damage (with the import branch's migrations it was one).
            walk.filter(Files::isRegularFile).filter(f -> f.toFile().length() > 0).forEach(files::add);
        }
        Path victim = files.get(files.size() / 2);
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(victim, bytes);
        Path target = privateDir("target");
        assertThatThrownBy(() -> EmbeddedBackup.restore(backup, target))
                .isInstanceOf(DatabaseUnavailable.class).extracting(e -> ((DatabaseUnavailable) e).key()).isEqualTo("db.restore.damaged");
        assertThat(target.resolve("postgres")).doesNotExist();
    }

    @Test
    void aRestoreKilledMidwayLeavesNoClusterToStartAndCanBeRunAgain() throws Exception {
        Path original = privateDir("original");
        Path backup = work.resolve("backup");
        try (App app = App.open(config(original))) {
            importSchool(app);
            EmbeddedBackup.backup(app.database(), backup);
        }
        Path target = privateDir("target");
        try (AppProcess restore = AppProcess.start(work, "restore", Map.of("PUBLIPOSTAGE_DATA_DIR", target.toString(),
                "PUBLIPOSTAGE_DEMO_DATA", "false"), "restore", backup.toString())) {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
            while (filesUnder(target) < 200 && System.nanoTime() < deadline && restore.process().isAlive()) Thread.sleep(2);
            restore.process().destroyForcibly(); // SIGKILL while the files arrive
            restore.awaitExit(java.time.Duration.ofSeconds(30));
            assertThat(filesUnder(target)).as(restore.log()).isGreaterThanOrEqualTo(200);
            assertThat(target.resolve("embedded-postgres.properties")).as("killed before the end of the copy").doesNotExist();
        }
        // No half cluster where a start would take it for a whole one.
        assertThat(target.resolve("postgres/PG_VERSION")).doesNotExist();
        EmbeddedBackup.restore(backup, target);
        try (App restored = App.open(config(target))) {
            assertThat(restored.databaseSummary().accounts()).isEqualTo(TEACHERS + 50);
        }
    }

    private static long filesUnder(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).count();
        } catch (java.io.UncheckedIOException e) {
            return 0; // a file moved while walking
        }
    }

    @Test
    void aBackupThatFailsMidwayLeavesNoPartialCopy() throws Exception {
        Path original = privateDir("original");
        Path out = work.resolve("failed-backup");
        try (App app = App.open(config(original))) {
            importSchool(app);
            java.util.concurrent.CompletableFuture<EmbeddedBackup.Backup> running =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> EmbeddedBackup.backup(app.database(), out));
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (filesUnder(out) < 50 && !running.isDone() && System.nanoTime() < deadline) Thread.sleep(2);
            assertThat(running).as("still copying").isNotDone();
            // The server dies while its files are being copied: the backup cannot be finished.
            ProcessHandle.of(app.database().embeddedServerPid()).orElseThrow().destroyForcibly();
            assertThatThrownBy(running::join).cause().isInstanceOf(DatabaseUnavailable.class)
                    .extracting(e -> ((DatabaseUnavailable) e).key()).isEqualTo("db.backup.failed");
        }
        // Nothing half-made left (it holds activation codes), and the same command can be run again.
        assertThat(out).doesNotExist();
    }
}

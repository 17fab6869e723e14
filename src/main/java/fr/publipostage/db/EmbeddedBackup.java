package fr.publipostage.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Online backup and restore of the embedded default, by PostgreSQL's documented low-level method
 * ("Making a Base Backup Using the Low Level API"): in one session, {@code pg_backup_start}, a copy of
 * the cluster's files while the server runs, {@code pg_backup_stop}, whose backup label is written
 * into the copy, then the WAL written meanwhile (held by a temporary replication slot, so no
 * checkpoint recycles it during the copy). Started on the copy, PostgreSQL replays that WAL from the
 * label's checkpoint to a consistent state.
 *
 * <p>The copy holds activation codes: folders 0700, files 0600, and a SHA-256 list of every file that
 * {@link #restore} checks before anything is written.
 */
public final class EmbeddedBackup {
    static final String INFO = "publipostage-backup.properties";
    static final String SUMS = "SHA256SUMS";
    private static final String CLUSTER = "postgres";
    private static final String SECRETS = "embedded-postgres.properties";
    /** Folders whose contents PostgreSQL rebuilds at start (pg_basebackup leaves them empty too). */
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_stat_tmp", "pg_replslot", "pg_dynshmem", "pg_notify",
            "pg_serial", "pg_snapshots", "pg_subtrans");
    /** Files never copied: the running server's, zonky's lock, and stale copies of what the backup writes. */
    private static final Set<String> SKIPPED = Set.of("postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map",
            "backup_label.old", "postgresql.auto.conf.tmp", "current_logfiles", "epg-lock", "pg_internal.init");
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private EmbeddedBackup() {
    }

    /** What a backup wrote. */
    public record Backup(Path directory, String label, int files, long bytes, String startLsn, String stopLsn,
                         String serverVersion, Duration took) {
    }

    /** What a restore wrote. */
    public record Restore(Path dataDirectory, String label, int files, long bytes) {
    }

    /** A consistent copy of the running embedded server into {@code out} (absent or an empty folder). */
    public static Backup backup(Database database, Path out) {
        if (!database.embedded()) throw new DatabaseUnavailable("db.backup.external", null, null);
        EmbeddedServer server = database.embeddedServer();
        out = out.toAbsolutePath().normalize();
        Path cluster = server.clusterDirectory();
        if (out.startsWith(server.dataDirectory())) {
            throw new DatabaseUnavailable("db.backup.insideData", null, null, out.toString(), server.dataDirectory().toString());
        }
        boolean created = !Files.exists(out);
        prepareEmptyDirectory(out, "db.backup.notEmpty");
        try {
            return copy(server, cluster, out);
        } catch (RuntimeException e) {
            // A half-made copy holds activation codes and cannot be restored: nothing of it is kept.
            removeCopy(out, created);
            throw e;
        }
    }

    private static Backup copy(EmbeddedServer server, Path cluster, Path out) {
        long started = System.nanoTime();
        String label = "publipostage " + Instant.now();
        String slot = "publipostage_backup_" + ProcessHandle.current().pid();
        Map<String, String> sums = new TreeMap<>();
        long[] bytes = {0};
        // A session of its own, closed at the end: if anything fails, PostgreSQL ends the backup and drops the slot.
        try (Connection c = server.connectDirect("publipostage-backup")) {
            String version = single(c, "show server_version");
            try (PreparedStatement st = c.prepareStatement("select pg_create_physical_replication_slot(?, true, true)")) {
                st.setString(1, slot);
                st.execute();
            }
            String startLsn;
            try (PreparedStatement st = c.prepareStatement("select pg_backup_start(?, true)")) {
                st.setString(1, label);
                startLsn = first(st);
            }
            String firstSegment;
            try (PreparedStatement st = c.prepareStatement("select pg_walfile_name(?::pg_lsn)")) {
                st.setString(1, startLsn);
                firstSegment = first(st);
            }
            Path target = out.resolve(CLUSTER);
            copyCluster(cluster, target, sums, bytes);
            String stopLsn;
            String labelFile;
            String tablespaceMap;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select lsn, labelfile, spcmapfile from pg_backup_stop(false)")) {
                rs.next();
                stopLsn = rs.getString(1);
                labelFile = rs.getString(2);
                tablespaceMap = rs.getString(3);
            }
            // After the stop, so the copy holds the WAL up to the end of the backup.
            copyWal(cluster.resolve("pg_wal"), target.resolve("pg_wal"), firstSegment, out, sums, bytes);
            writeFile(target.resolve("backup_label"), labelFile, out, sums, bytes);
            if (tablespaceMap != null && !tablespaceMap.isBlank()) writeFile(target.resolve("tablespace_map"), tablespaceMap, out, sums, bytes);
            Properties secret = new Properties();
            secret.setProperty(EmbeddedFiles.PASSWORD, server.password());
            EmbeddedFiles.writePrivate(out.resolve(SECRETS), secret, "The password of the backed-up embedded PostgreSQL.");
            sums.put(SECRETS, sha256(out.resolve(SECRETS)));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Properties info = new Properties();
            info.setProperty("label", label);
            info.setProperty("created", Instant.now().toString());
            info.setProperty("server.version", version);
            info.setProperty("start.lsn", startLsn);
            info.setProperty("stop.lsn", stopLsn);
            info.setProperty("files", String.valueOf(sums.size()));
            info.setProperty("bytes", String.valueOf(bytes[0]));
            EmbeddedFiles.writePrivate(out.resolve(INFO), info, "Publipostage backup of the embedded PostgreSQL: restore with `restore DIR`.");
            StringBuilder list = new StringBuilder();
            sums.forEach((file, sum) -> list.append(sum).append("  ").append(file).append('\n'));
            Files.writeString(out.resolve(SUMS), list, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            Files.setPosixFilePermissions(out.resolve(SUMS), PosixFilePermissions.fromString("rw-------"));
            return new Backup(out, label, sums.size(), bytes[0], startLsn, stopLsn, version, took);
        } catch (SQLException e) {
            throw new DatabaseUnavailable("db.backup.failed", DatabaseErrors.detail(e), e, out.toString());
        } catch (IOException | UncheckedIOException e) {
            throw new DatabaseUnavailable("db.backup.failed", e.getMessage(), e, out.toString());
        }
    }

    /**
     * Puts a backup back as the cluster of {@code dataDir}, which must hold no database: every file's
     * checksum is verified first, nothing is written if one differs. The next start replays the WAL.
     */
    public static Restore restore(Path backup, Path dataDir) {
        backup = backup.toAbsolutePath().normalize();
        EmbeddedFiles files = new EmbeddedFiles(dataDir);
        if (!Files.isRegularFile(backup.resolve(INFO)) || !Files.isRegularFile(backup.resolve(SUMS))
                || !Files.isRegularFile(backup.resolve(CLUSTER).resolve("backup_label"))) {
            throw new DatabaseUnavailable("db.restore.notABackup", null, null, backup.toString());
        }
        try {
            Files.createDirectories(files.dataDir, PRIVATE_DIR);
        } catch (IOException e) {
            throw new DatabaseUnavailable("db.restore.failed", e.getMessage(), e, files.dataDir.toString());
        }
        // The data directory's lock: no server may start on it while the files arrive.
        try (FileChannel channel = FileChannel.open(files.lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = tryLock(channel)) {
            if (lock == null || !files.clusterAbsentOrEmpty()) {
                throw new DatabaseUnavailable("db.restore.notEmpty", null, null, files.cluster.toString());
            }
            // What a restore killed midway left; the copy goes aside and into place only once complete.
            files.removeUnfinished();
            Map<String, String> expected = readSums(backup);
            verify(backup, expected);
            long bytes = 0;
            Path building = files.unfinished();
            Files.createDirectories(building, PRIVATE_DIR);
            Files.setPosixFilePermissions(building, PosixFilePermissions.fromString("rwx------"));
            Path source = backup.resolve(CLUSTER);
            List<Path> dirs = new ArrayList<>();
            try (var walk = Files.walk(source)) {
                walk.forEach(dirs::add);
            }
            for (Path from : dirs) {
                Path to = building.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to, PRIVATE_DIR);
                } else {
                    Files.copy(from, to);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
                    bytes += Files.size(to);
                }
            }
            Properties secret = new Properties();
            try (InputStream in = Files.newInputStream(backup.resolve(SECRETS))) {
                secret.load(in);
            }
            Properties kept = new Properties();
            kept.setProperty(EmbeddedFiles.PASSWORD, secret.getProperty(EmbeddedFiles.PASSWORD));
            files.writeSecrets(kept);
            files.moveIntoPlace(building);
            Properties info = new Properties();
            try (InputStream in = Files.newInputStream(backup.resolve(INFO))) {
                info.load(in);
            }
            return new Restore(files.dataDir, info.getProperty("label"), expected.size(), bytes);
        } catch (IOException e) {
            throw new DatabaseUnavailable("db.restore.failed", e.getMessage(), e, files.dataDir.toString());
        }
    }

    /** Removes what a failed backup wrote: the folder it created, or what it put into the empty one it was given. */
    private static void removeCopy(Path out, boolean created) {
        try {
            if (created) {
                EmbeddedFiles.deleteTree(out);
            } else {
                try (var entries = Files.list(out)) {
                    for (Path p : (Iterable<Path>) entries::iterator) EmbeddedFiles.deleteTree(p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // The sentence still says the copy failed; what is left is not a backup (no SHA256SUMS).
        }
    }

    /** The lock, or null when a process (this one included) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return null;
        }
    }

    private static void prepareEmptyDirectory(Path out, String refusal) {
        try {
            if (Files.exists(out)) {
                try (var entries = Files.list(out)) {
                    if (entries.findAny().isPresent()) throw new DatabaseUnavailable(refusal, null, null, out.toString());
                }
                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwx------"));
            } else {
                Files.createDirectories(out, PRIVATE_DIR);
            }
        } catch (IOException e) {
            throw new DatabaseUnavailable("db.backup.failed", e.getMessage(), e, out.toString());
        }
    }

    /** The cluster's files, except what PostgreSQL rebuilds; files that vanish during the copy are skipped. */
    private static void copyCluster(Path cluster, Path target, Map<String, String> sums, long[] bytes) throws IOException {
        Path root = target.getParent();
        Files.walkFileTree(cluster, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path rel = cluster.relativize(dir);
                Files.createDirectories(target.resolve(rel.toString()), PRIVATE_DIR);
                if (rel.getNameCount() == 1 && EMPTIED.contains(rel.toString())) return FileVisitResult.SKIP_SUBTREE;
                if (dir.getFileName().toString().startsWith("pgsql_tmp")) return FileVisitResult.SKIP_SUBTREE;
                if (rel.toString().equals("pg_tblspc")) {
                    try (var entries = Files.list(dir)) {
                        if (entries.findAny().isPresent()) throw new IOException("tablespaces are not supported by this backup");
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (SKIPPED.contains(file.getFileName().toString()) || !attrs.isRegularFile()) return FileVisitResult.CONTINUE;
                Path to = target.resolve(cluster.relativize(file).toString());
                try {
                    bytes[0] += copy(file, to, root, sums);
                } catch (NoSuchFileException e) {
                    // Dropped during the copy (a temporary table, a rewritten relation): the WAL replay removes it anyway.
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw e;
            }
        });
        Files.createDirectories(target.resolve("pg_wal").resolve("archive_status"), PRIVATE_DIR);
    }

    /** The WAL segments from the backup's first one on (same timeline), and the timeline history files. */
    private static void copyWal(Path wal, Path target, String firstSegment, Path root, Map<String, String> sums, long[] bytes)
            throws IOException {
        List<Path> segments = new ArrayList<>();
        try (var entries = Files.list(wal)) {
            entries.filter(Files::isRegularFile).forEach(segments::add);
        }
        for (Path segment : segments) {
            String name = segment.getFileName().toString();
            boolean walSegment = name.matches("[0-9A-F]{24}");
            if (walSegment && name.compareTo(firstSegment) < 0) continue;
            if (!walSegment && !name.endsWith(".history")) continue;
            try {
                bytes[0] += copy(segment, target.resolve(name), root, sums);
            } catch (NoSuchFileException e) {
                // Recycled: older than the backup's start.
            }
        }
    }

    private static long copy(Path from, Path to, Path root, Map<String, String> sums) throws IOException {
        MessageDigest digest = sha();
        long n;
        try (InputStream in = Files.newInputStream(from);
             OutputStream out = new DigestOutputStream(Files.newOutputStream(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), digest)) {
            n = in.transferTo(out);
        }
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
        sums.put(root.relativize(to).toString(), HexFormat.of().formatHex(digest.digest()));
        return n;
    }

    private static void writeFile(Path to, String content, Path root, Map<String, String> sums, long[] bytes) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        Files.write(to, data, StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
        sums.put(root.relativize(to).toString(), HexFormat.of().formatHex(sha().digest(data)));
        bytes[0] += data.length;
    }

    private static Map<String, String> readSums(Path backup) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        for (String line : Files.readAllLines(backup.resolve(SUMS), StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            int space = line.indexOf("  ");
            if (space != 64) throw new DatabaseUnavailable("db.restore.damaged", line, null, backup.toString());
            String file = line.substring(space + 2);
            Path resolved = backup.resolve(file).normalize();
            if (!resolved.startsWith(backup)) throw new DatabaseUnavailable("db.restore.damaged", file, null, backup.toString());
            sums.put(file, line.substring(0, space));
        }
        return sums;
    }

    /** Every listed file is there with its checksum, and nothing else is in the cluster's copy. */
    private static void verify(Path backup, Map<String, String> expected) throws IOException {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path file = backup.resolve(e.getKey());
            if (!Files.isRegularFile(file) || !sha256(file).equals(e.getValue())) {
                throw new DatabaseUnavailable("db.restore.damaged", e.getKey(), null, backup.toString());
            }
        }
        try (var walk = Files.walk(backup.resolve(CLUSTER))) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p) && !expected.containsKey(backup.relativize(p).toString())) {
                    throw new DatabaseUnavailable("db.restore.damaged", backup.relativize(p) + " (not in " + SUMS + ")", null, backup.toString());
                }
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = sha();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String first(PreparedStatement st) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}

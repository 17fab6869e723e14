package fr.publipostage.db;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The embedded default's files in the data directory:
 * <ul>
 *   <li>{@code postgres/} — the PostgreSQL cluster;</li>
 *   <li>{@code embedded-postgres.properties} (mode 0600) — the password of its {@code postgres} role,
 *   and the loopback port and process of the running server, so that a command line beside
 *   {@code serve} connects to it instead of starting its own;</li>
 *   <li>{@code embedded-postgres.lock} — held by the process that runs the server;</li>
 *   <li>{@code postgres.log} — the server's own log (start, stop, crashes, recovery);</li>
 *   <li>{@code postgres.new-<pid>/} — a cluster being created or restored, moved to {@code postgres/} once complete.</li>
 * </ul>
 */
final class EmbeddedFiles {
    static final String PASSWORD = "password";
    static final String PORT = "port";
    static final String PID = "postmaster.pid";
    static final String OWNER_PID = "owner.pid";
    static final String STARTED = "started";
    /** Prefix of the folders where a cluster is built before it is moved to its name. */
    static final String UNFINISHED = "postgres.new-";

    final Path dataDir;
    final Path cluster;
    final Path secrets;
    final Path lock;
    final Path log;

    EmbeddedFiles(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.cluster = this.dataDir.resolve("postgres");
        this.secrets = this.dataDir.resolve("embedded-postgres.properties");
        this.lock = this.dataDir.resolve("embedded-postgres.lock");
        this.log = this.dataDir.resolve("postgres.log");
    }

    /** True when the cluster has been created (initdb ran to the end). */
    boolean initialised() {
        return Files.isRegularFile(cluster.resolve("PG_VERSION"));
    }

    /** True when nothing of a cluster is there (missing or an empty folder). */
    boolean clusterAbsentOrEmpty() {
        if (!Files.exists(cluster)) return true;
        try (var entries = Files.list(cluster)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The folder where this process builds a cluster (initdb, restore) before {@link #moveIntoPlace}
     * gives it its name: a process killed meanwhile leaves no half cluster under {@code postgres/}.
     */
    Path unfinished() {
        return dataDir.resolve(UNFINISHED + ProcessHandle.current().pid());
    }

    /** Removes the clusters that processes killed while building them left (the lock holder only). */
    void removeUnfinished() throws IOException {
        try (var entries = Files.list(dataDir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (p.getFileName().toString().startsWith(UNFINISHED)) deleteTree(p);
            }
        }
    }

    /** The complete cluster built in {@code building} becomes {@code postgres/} (absent or empty) in one move. */
    void moveIntoPlace(Path building) throws IOException {
        if (Files.isDirectory(cluster)) Files.delete(cluster);
        Files.move(building, cluster, StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }

    Properties readSecrets() {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(secrets, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            // No file yet: a new data directory, or one made by an older version (no password).
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + secrets, e);
        }
        return p;
    }

    /** Writes the file whole, readable by this user only, replacing the old one in one move. */
    void writeSecrets(Properties p) {
        writePrivate(secrets, p, "Publipostage: the embedded PostgreSQL of this data directory. Secret: keep it mode 0600.");
    }

    static void writePrivate(Path file, Properties p, String comment) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, comment);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** What PostgreSQL's own {@code postmaster.pid} says: its process, port and status. */
    record PidFile(long pid, int port, String status) {
        boolean ready() {
            return "ready".equals(status);
        }
    }

    Optional<PidFile> pidFile() {
        try {
            List<String> lines = Files.readAllLines(cluster.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            if (lines.size() < 4) return Optional.empty();
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            String status = lines.size() >= 8 ? lines.get(7).trim() : "";
            return Optional.of(new PidFile(pid, port, status));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            // Being written or removed at this very moment: read again later.
            return Optional.empty();
        }
    }

    long logSize() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The reason PostgreSQL gave in its log since {@code offset}: the last FATAL or PANIC line, else the
     * last line; null when it wrote nothing.
     */
    String reasonSince(long offset) {
        try {
            if (!Files.exists(log)) return null;
            byte[] all = Files.readAllBytes(log);
            if (offset > all.length) offset = 0;
            String text = new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
            String last = null;
            String fatal = null;
            String error = null;
            for (String line : text.split("\n")) {
                if (line.isBlank()) continue;
                String clean = line.strip().replaceFirst("^\\d{4}-\\d\\d-\\d\\d [\\d:.]+ \\S+ \\[\\d+\\] ", "");
                last = clean;
                if (clean.contains("FATAL:") || clean.contains("PANIC:")) fatal = clean;
                else if (fatal == null && clean.toLowerCase(java.util.Locale.ROOT).contains("error")) error = clean;
            }
            if (fatal == null) return last;
            // "syntax error in file … line 12" says more than "configuration file … contains errors".
            return error != null ? error + " — " + fatal : fatal;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Starts a new log when the old one has grown past 10 MB (one old file is kept). The log is this
     * user's only (0600): PostgreSQL writes the statements and key values of failed queries into it.
     */
    void rotateLog() {
        try {
            if (Files.exists(log) && Files.size(log) > 10L * 1024 * 1024) {
                Files.move(log, log.resolveSibling("postgres.log.1"), StandardCopyOption.REPLACE_EXISTING);
            }
            if (!Files.exists(log)) {
                Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            // Keep writing into the old file.
        }
    }
}

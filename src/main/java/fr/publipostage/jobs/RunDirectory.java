package fr.publipostage.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's scratch space for files that hold credentials (letter chunks, merged PDFs): one
 * directory per run, mode 0700, under {@code <tmp>/publipostage} (0700 too), holding a lock file for
 * as long as the process lives. Files in it are created 0600.
 *
 * <p>Every start removes what dead runs left: a run directory whose lock is free (the operating system
 * releases it when its process dies, SIGKILL included), and the {@code letters-*} directories that
 * versions before run directories wrote straight under the root, once nothing in them was written for
 * ten minutes (such a version may still be printing during a rolling upgrade). A live instance's
 * directory on the same machine is never touched: its lock is held (RunDirectoryIT: two JVMs).
 */
public final class RunDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
    private static final String LOCK = ".lock";
    /** A run directory without its lock yet is being created; older than this, it is a crash's. */
    private static final Duration UNLOCKED_GRACE = Duration.ofMinutes(1);
    /** A {@code letters-*} folder of an earlier version untouched this long belongs to a dead run. */
    private static final Duration LEGACY_IDLE = Duration.ofMinutes(10);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path root;
    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final int removedLeftovers;

    private RunDirectory(Path root, Path dir, FileChannel lockChannel, FileLock lock, int removedLeftovers) {
        this.root = root;
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.removedLeftovers = removedLeftovers;
    }

    /** Removes dead runs' leftovers under {@code base/publipostage}, then creates and locks this run's directory. */
    public static RunDirectory open(Path base) {
        try {
            Path root = ownRoot(base);
            int removed = removeDeadRuns(root);
            if (removed > 0) LOG.info("removed {} temporary folder(s) left by stopped runs in {}", removed, root);
            Path dir = Files.createTempDirectory(root, "run-" + ProcessHandle.current().pid() + "-", dirAttributes());
            FileChannel channel = FileChannel.open(dir.resolve(LOCK), Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), fileAttributes());
            FileLock lock = channel.lock();
            return new RunDirectory(root, dir, channel, lock, removed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the temporary folder under " + base, e);
        }
    }

    /** This run's directory (0700). */
    public Path path() {
        return dir;
    }

    public Path root() {
        return root;
    }

    /** How many leftovers of dead runs this start removed. */
    public int removedLeftovers() {
        return removedLeftovers;
    }

    /** A new empty file readable by this user only (0600), created atomically. */
    public static Path createPrivateFile(Path file) throws IOException {
        return Files.createFile(file, fileAttributes());
    }

    /** A new directory for this user only (0700) under {@code parent}. */
    public static Path createPrivateDirectory(Path parent, String prefix) throws IOException {
        return Files.createTempDirectory(parent, prefix, dirAttributes());
    }

    /** The root, created 0700, or made 0700 when it is ours; another user's root sends us to our own. */
    private static Path ownRoot(Path base) throws IOException {
        Path root = base.resolve("publipostage");
        try {
            return prepare(root);
        } catch (java.nio.file.FileSystemException e) { // another user's root (AccessDeniedException), or not a folder
            Path mine = base.resolve("publipostage-" + System.getProperty("user.name", "user"));
            LOG.info("{} is not usable by this user ({}); using {}", root, e.getMessage(), mine);
            return prepare(mine);
        }
    }

    private static Path prepare(Path root) throws IOException {
        Files.createDirectories(root.getParent());
        try {
            Files.createDirectory(root, dirAttributes());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new java.nio.file.FileSystemException(root.toString(), null, "not a directory");
            }
            if (POSIX) Files.setPosixFilePermissions(root, DIR); // fails unless it is ours
        }
        return root;
    }

    private static int removeDeadRuns(Path root) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                boolean dead;
                if (name.startsWith("run-")) dead = isDead(p);
                else dead = name.startsWith("letters-") && untouchedFor(p, LEGACY_IDLE); // earlier versions' prints
                if (dead && deleteTree(p)) removed++;
            }
        }
        return removed;
    }

    /**
     * True when nothing in the folder was written, added or removed for {@code idle}: an earlier
     * version's print that is still running writes a chunk every second or so, or its merged file
     * (during a rolling upgrade on one machine, it may well be alive), while a dead one's folder stays
     * as it was. Every file counts, not only the folder's own time: a long merge writes into one file
     * without touching its folder. When in doubt (unreadable, changing under us), it is kept.
     */
    static boolean untouchedFor(Path dir, Duration idle) {
        Instant limit = Instant.now().minus(idle);
        try (Stream<Path> all = Files.walk(dir)) {
            return all.allMatch(p -> {
                try {
                    return Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(limit);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** True when no live process holds the run's lock. */
    private static boolean isDead(Path run) {
        // Another App of this very JVM: never probed, because closing any descriptor of a file drops
        // every lock this process holds on it (POSIX record locks), which would unlock that App's run.
        if (run.getFileName().toString().startsWith("run-" + ProcessHandle.current().pid() + "-")) return false;
        Path lockFile = run.resolve(LOCK);
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // held by this very JVM (another App in it)
            }
            if (l == null) return false;
            l.release();
            return true;
        } catch (NoSuchFileException e) {
            try {
                FileTime created = Files.getLastModifiedTime(run);
                return created.toInstant().isBefore(Instant.now().minus(UNLOCKED_GRACE));
            } catch (IOException gone) {
                return false;
            }
        } catch (IOException e) {
            return false; // not ours to judge (permissions)
        }
    }

    static boolean deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            return false;
        }
        return !Files.exists(dir);
    }

    private static FileAttribute<?>[] dirAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIR)} : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Deletes this run's directory and everything in it. */
    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
        deleteTree(dir);
    }
}

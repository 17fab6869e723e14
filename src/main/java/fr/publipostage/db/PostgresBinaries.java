package fr.publipostage.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL programs of the embedded default (initdb, postgres, pg_ctl): zonky's archive from
 * the jar, unpacked once into {@code <tmp>/embedded-pg/PG-<md5>} — the folder zonky itself uses, with
 * its lock and marker files, so the tests' zonky server and the application share one copy.
 *
 * <p>zonky starts these programs itself, but only once per object and with {@code -F} (fsync off);
 * the application needs to start the server again on the same data directory after it died, with
 * durable settings, so it runs them itself, the way zonky does: as root, through {@code unshare -U}
 * (PostgreSQL refuses to run as root; in a new user namespace it is "nobody").
 */
final class PostgresBinaries {
    private static final String LOCK_FILE = "epg-lock";
    private static final String DONE_MARKER = ".exists";

    private final Path home;
    private final boolean unshare;

    private PostgresBinaries(Path home, boolean unshare) {
        this.home = home;
        this.unshare = unshare;
    }

    /** The unpacked programs (unpacked now when missing, e.g. after a clean of /tmp). */
    static PostgresBinaries unpacked() {
        String arch = System.getProperty("os.arch");
        if ("amd64".equals(arch)) arch = "x86_64";
        byte[] archive;
        String digest;
        try (InputStream raw = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", arch)) {
            if (raw == null) throw new IllegalStateException("no PostgreSQL binaries in the jar for Linux " + arch);
            DigestInputStream in = new DigestInputStream(raw, MessageDigest.getInstance("MD5"));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            archive = bytes.toByteArray();
            digest = HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the PostgreSQL binaries from the jar", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path work = Path.of(System.getProperty("ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
        Path home = work.resolve("PG-" + digest);
        try {
            unpackOnce(archive, home);
            checkNotWritableByOthers(home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack PostgreSQL into " + home + ": " + e.getMessage(), e);
        }
        return new PostgresBinaries(home, LinuxUtils.isUnshareAvailable());
    }

    Path home() {
        return home;
    }

    /** The command line running one of the programs with these arguments. */
    List<String> command(String program, List<String> args) {
        List<String> command = new ArrayList<>();
        if (unshare) {
            command.add("unshare");
            command.add("-U");
        }
        command.add(home.resolve("bin").resolve(program).toString());
        command.addAll(args);
        return command;
    }

    private static void unpackOnce(byte[] archive, Path home) throws IOException {
        Path marker = home.resolve(DONE_MARKER);
        if (Files.exists(marker) && Files.isExecutable(home.resolve("bin/postgres"))) return;
        Files.createDirectories(home);
        try (FileChannel channel = FileChannel.open(home.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            if (Files.exists(marker) && Files.isExecutable(home.resolve("bin/postgres"))) return;
            Files.deleteIfExists(marker);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = home.resolve(entry.getName()).normalize();
                    if (!target.startsWith(home)) throw new IOException("archive entry outside its folder: " + entry.getName());
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else if (entry.isFile()) {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        if (entry.getName().startsWith("bin/") || entry.getName().startsWith("./bin/")) {
                            target.toFile().setExecutable(true, false);
                        }
                    }
                }
            }
            Files.createFile(marker);
        }
    }

    /** Programs another local user could replace would run with this process's rights: refuse them. */
    private static void checkNotWritableByOthers(Path home) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(home.resolve("bin"));
            if (perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE)) {
                throw new IOException(home.resolve("bin") + " is writable by other users");
            }
            Object owner = Files.getAttribute(home.resolve("bin"), "unix:uid");
            Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!owner.equals(self)) {
                throw new IOException(home.resolve("bin") + " belongs to another user (uid " + owner
                        + "); set -Dot.epg.working-dir to a folder of your own");
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // Not a POSIX file system: nothing to check.
        }
    }
}

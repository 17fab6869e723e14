package fr.publipostage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's private temp folder: modes, and what a start removes (dead runs, earlier versions' idle
 * folders) and keeps (this JVM's other runs, an earlier version's folder still being written). The
 * multi-process side — a SIGKILLed run removed, a live instance's kept — is in LetterJobInstancesIT.
 */
class RunDirectoryTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void privateFoldersAndFiles() throws Exception {
        try (RunDirectory run = RunDirectory.open(tmp)) {
            assertThat(run.path().getParent()).isEqualTo(tmp.resolve("publipostage"));
            assertThat(mode(run.root())).isEqualTo("rwx------");
            assertThat(mode(run.path())).isEqualTo("rwx------");
            assertThat(run.path().getFileName().toString()).startsWith("run-" + ProcessHandle.current().pid() + "-");
            Path print = RunDirectory.createPrivateDirectory(run.path(), "letters-");
            Path chunk = RunDirectory.createPrivateFile(print.resolve("chunk-00000.pdf"));
            assertThat(mode(print)).isEqualTo("rwx------");
            assertThat(mode(chunk)).isEqualTo("rw-------");
            Path dir = run.path();
            run.close();
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void aStartRemovesDeadRunsAndIdleOldFoldersButNotLiveOnes() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("publipostage"));
        // A run whose process is gone: its lock file is there, nobody holds it.
        Path dead = Files.createDirectories(root.resolve("run-999999999-1"));
        Files.createFile(dead.resolve(".lock"));
        Files.write(Files.createDirectories(dead.resolve("letters-1")).resolve("chunk-00000.pdf"), new byte[] {1});
        // Earlier versions wrote straight under the root: an idle one is dead, a fresh one may be printing.
        Path oldIdle = Files.createDirectories(root.resolve("letters-42"));
        Files.write(oldIdle.resolve("chunk-00000.pdf"), new byte[] {1});
        Files.setLastModifiedTime(oldIdle.resolve("chunk-00000.pdf"), FileTime.from(Instant.now().minus(Duration.ofMinutes(11))));
        Files.setLastModifiedTime(oldIdle, FileTime.from(Instant.now().minus(Duration.ofMinutes(11))));
        Path oldBusy = Files.createDirectories(root.resolve("letters-43"));
        try (RunDirectory first = RunDirectory.open(tmp); RunDirectory second = RunDirectory.open(tmp)) {
            assertThat(dead).doesNotExist();
            assertThat(oldIdle).doesNotExist();
            assertThat(oldBusy).exists();
            assertThat(first.removedLeftovers()).isEqualTo(2);
            // Another application of this JVM: kept, and still locked (it is not probed).
            assertThat(first.path()).exists();
            assertThat(second.removedLeftovers()).isZero();
        }
    }
}

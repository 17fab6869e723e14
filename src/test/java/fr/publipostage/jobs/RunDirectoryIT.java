package fr.publipostage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two live runs in JVMs of their own sharing one temp root (as two instances, or an instance and the
 * CLI, on one machine): the cleanup done by a start removes only what dead runs left, never a live
 * run's files — neither another JVM's run folder nor a folder an earlier version (which wrote
 * {@code letters-*} straight under the root) is still writing into.
 */
class RunDirectoryIT {
    @TempDir
    Path tmp;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() {
        for (Process p : children) p.destroyForcibly();
    }

    /** The other JVM: opens its run under {@code args[0]}, writes a chunk in it, says where, and waits. */
    public static void main(String[] args) throws Exception {
        RunDirectory run = RunDirectory.open(Path.of(args[0]));
        Path letters = RunDirectory.createPrivateDirectory(run.path(), "letters-");
        Path chunk = RunDirectory.createPrivateFile(letters.resolve("chunk-00000.pdf"));
        Files.write(chunk, "%PDF-1.7 codes in clear".getBytes(StandardCharsets.US_ASCII));
        System.out.println("RUN " + run.path());
        System.out.println("CHUNK " + chunk);
        System.out.flush();
        // Lives until the test closes our stdin (or kills us).
        while (System.in.read() >= 0) {
            // waiting
        }
        run.close();
    }

    private record Other(Process process, Path run, Path chunk) {
    }

    private Other startOther() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                RunDirectoryIT.class.getName(), tmp.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Path run = null;
        Path chunk = null;
        for (String line; (run == null || chunk == null) && (line = out.readLine()) != null; ) {
            if (line.startsWith("RUN ")) run = Path.of(line.substring(4));
            if (line.startsWith("CHUNK ")) chunk = Path.of(line.substring(6));
        }
        assertThat(chunk).as("the other JVM's run started").isNotNull();
        return new Other(p, run, chunk);
    }

    @Test
    void aStartLeavesAnotherLiveJvmsRunAndRemovesItOnceThatJvmIsKilled() throws Exception {
        Other other = startOther();
        // Old timestamps must not matter for a live run: only its lock does.
        Files.setLastModifiedTime(other.run(), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Files.setLastModifiedTime(other.chunk(), FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        try (RunDirectory mine = RunDirectory.open(tmp)) {
            assertThat(mine.removedLeftovers()).isZero();
            assertThat(other.chunk()).exists().hasContent("%PDF-1.7 codes in clear");
            assertThat(mine.path()).isNotEqualTo(other.run());
        }
        // This start's own cleanup (a second start while the other still lives) leaves it too.
        try (RunDirectory again = RunDirectory.open(tmp)) {
            assertThat(other.chunk()).exists();
        }

        other.process().destroyForcibly(); // SIGKILL: its run folder stays behind, chunk and all
        assertThat(other.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(other.chunk()).exists();
        try (RunDirectory next = RunDirectory.open(tmp)) {
            assertThat(next.removedLeftovers()).isEqualTo(1);
            assertThat(other.run()).doesNotExist();
        }
    }

    @Test
    void anEarlierVersionsFolderIsKeptWhileAnythingInItIsWrittenAndRemovedOnceIdleTenMinutes() throws Exception {
        // Another live JVM's run beside them (started first: its own start cleans up too).
        Other other = startOther();
        Path root = tmp.resolve("publipostage");
        // An earlier version printing: its folder was created long ago, its merged file is still written.
        Path printing = Files.createDirectories(root.resolve("letters-100"));
        Path merging = Files.createDirectories(printing.resolve("merge"));
        Path merged = Files.createFile(merging.resolve("merged.pdf"));
        Files.setLastModifiedTime(printing, FileTime.from(Instant.now().minus(Duration.ofMinutes(30))));
        Files.setLastModifiedTime(merging, FileTime.from(Instant.now().minus(Duration.ofMinutes(30))));
        try (OutputStream w = Files.newOutputStream(merged)) {
            w.write(new byte[4096]);
        }
        // One that stopped 11 minutes ago, everything in it untouched since.
        Path stopped = Files.createDirectories(root.resolve("letters-101"));
        Path oldChunk = Files.createFile(stopped.resolve("chunk-00000.pdf"));
        Files.setLastModifiedTime(oldChunk, FileTime.from(Instant.now().minus(Duration.ofMinutes(11))));
        Files.setLastModifiedTime(stopped, FileTime.from(Instant.now().minus(Duration.ofMinutes(11))));

        try (RunDirectory mine = RunDirectory.open(tmp)) {
            assertThat(merged).as("a file written now keeps its folder").exists();
            assertThat(stopped).as("idle eleven minutes: a dead run's").doesNotExist();
            assertThat(other.chunk()).exists();
            assertThat(mine.removedLeftovers()).isEqualTo(1);
        }
    }
}

package fr.publipostage.db;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory whose server died without removing its {@code postmaster.pid} (power cut, SIGKILL of
 * the whole service), when the process number in it now belongs to the PostgreSQL of another data
 * directory of the same user (a second instance on the machine; PIDs are handed out again after a
 * reboot): the start must leave that other server alone and start its own.
 */
class EmbeddedStaleLockIT {
    private static final Map<String, String> FAST = Map.of("fsync", "off", "synchronous_commit", "off");

    @TempDir
    Path root;

    private Config config(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        return Config.of(Map.of(Setting.DATA_DIR, dataDir.toString(), Setting.DEMO_DATA, "false"));
    }

    private static int one(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery("select 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aStalePostmasterPidNamingAnotherDataDirectorysServerDoesNotStopIt() throws Exception {
        Config configA = config(root.resolve("a"));
        Config configB = config(root.resolve("b"));
        Path pidFileA = root.resolve("a").resolve("postgres").resolve("postmaster.pid");
        List<String> staleA;
        try (Database a = TestEmbedded.open(configA, FAST)) {
            assertThat(one(a)).isEqualTo(1);
            staleA = new ArrayList<>(Files.readAllLines(pidFileA, StandardCharsets.UTF_8));
        }
        try (Database b = TestEmbedded.open(configB, FAST)) {
            long otherPid = b.embeddedServerPid();
            ProcessHandle other = ProcessHandle.of(otherPid).orElseThrow();
            // A's server died leaving its postmaster.pid; its number is now B's server's.
            staleA.set(0, String.valueOf(otherPid));
            Files.write(pidFileA, staleA, StandardCharsets.UTF_8);

            try (Database a = TestEmbedded.open(configA, FAST)) {
                assertThat(one(a)).isEqualTo(1);
                assertThat(a.embeddedServerPid()).isNotEqualTo(otherPid);
            }
            assertThat(other.isAlive()).as("the other data directory's PostgreSQL (pid %d) is left running", otherPid).isTrue();
            assertThat(b.embeddedServerPid()).isEqualTo(otherPid);
            assertThat(one(b)).isEqualTo(1);
        }
    }
}

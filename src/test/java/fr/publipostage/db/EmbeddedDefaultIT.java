package fr.publipostage.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default exactly as {@code serve} and the command line open it (no test settings):
 * durable, and reachable only with the secret of its data directory.
 */
class EmbeddedDefaultIT {
    @TempDir
    Path dataDir;

    private Config config() throws Exception {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        return Config.of(Map.of(Setting.DATA_DIR, dataDir.toString(), Setting.DEMO_DATA, "false"));
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void durableSettingsThroughTheApplicationsOwnPool() throws Exception {
        try (App app = App.open(config()); Connection c = app.database().dataSource().getConnection()) {
            assertThat(show(c, "fsync")).isEqualTo("on");
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
            assertThat(show(c, "full_page_writes")).isEqualTo("on");
        }
        // The server's own log and the secret file are this user's only.
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("postgres.log"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("embedded-postgres.properties"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void nobodyConnectsWithoutTheDataDirectorysSecret() throws Exception {
        try (App app = App.open(config())) {
            int port;
            try (Connection c = app.database().dataSource().getConnection();
                 ResultSet rs = c.createStatement().executeQuery("select inet_server_port()")) {
                rs.next();
                port = rs.getInt(1);
            }
            // Another local user of the machine knows the port (it is in postmaster.pid, ss -ltn…), not the secret.
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "").close())
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "guess").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void aDataDirectoryOfAnOlderVersionIsGivenAPassword() throws Exception {
        Config config = config();
        // As older versions made it: zonky's initdb with trust authentication, no secret file.
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres old = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres")).setCleanDataDirectory(false).start();
             Connection c = old.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("create schema older; create table older.kept (v text); insert into older.kept values ('avant')");
        }
        try (Database db = Database.open(config); Connection c = db.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("select v, inet_server_port() from older.kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("avant");
            String url = "jdbc:postgresql://127.0.0.1:" + rs.getInt(2) + "/postgres";
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "").close()).isInstanceOf(SQLException.class);
        }
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("embedded-postgres.properties")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(dataDir.resolve("embedded-postgres.properties"))).containsPattern("password=[0-9a-f]{48}");
    }
}

package fr.publipostage.db;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseIT {
    @TempDir
    Path dataDir;

    @Test
    void usesAnExternalPostgresqlWhenDbUrlIsSet() throws Exception {
        try (TestDatabase.Fresh fresh = TestDatabase.fresh();
             Database db = Database.open(Config.of(Map.of(Setting.DB_URL, fresh.jdbcUrl(), Setting.DB_USER, "postgres")))) {
            assertThat(db.isUp()).isTrue();
            assertThat(db.description()).startsWith("external PostgreSQL");
            try (Connection c = db.dataSource().getConnection(); ResultSet rs = c.createStatement()
                    .executeQuery("select count(*) from flyway_schema_history where success")) {
                rs.next();
                assertThat(rs.getInt(1)).as("migrations applied").isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void embeddedServerKeepsItsDataBetweenStarts() throws Exception {
        // As root, the embedded server runs as "nobody", which must be able to reach its data directory.
        java.nio.file.Files.setPosixFilePermissions(dataDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Config config = Config.of(Map.of(Setting.DATA_DIR, dataDir.toString()));
        try (Database first = Database.open(config); Connection c = first.dataSource().getConnection()) {
            c.createStatement().execute("insert into structure (uai, name) values ('0999999Z', 'Persistante')");
        }
        try (Database second = Database.open(config); Connection c = second.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("select name from structure where uai = '0999999Z'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("Persistante");
        }
    }
}

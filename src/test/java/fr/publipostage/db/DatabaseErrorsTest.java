package fr.publipostage.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** The sentence chosen for what PostgreSQL, the driver or a wrapper (Flyway, HikariCP) threw. */
class DatabaseErrorsTest {
    private static Exception server(String state, String message) {
        PSQLException e = new PSQLException(new ServerErrorMessage("SERROR\u0000C" + state + "\u0000M" + message + "\u0000"));
        // As Flyway and HikariCP wrap it, with their own words and class names in front.
        return new RuntimeException("org.flywaydb.core.internal.command.DbMigrate$FlywayMigrateException: Migration failed", e);
    }

    private static DatabaseUnavailable explain(Exception e) {
        return DatabaseErrors.explain(e, "jdbc:postgresql://db/publipostage", "app", "publipostage");
    }

    @Test
    void ownershipCollationAndTableRights() {
        DatabaseUnavailable owner = explain(server("42501", "must be owner of table account"));
        assertThat(owner.key()).isEqualTo("db.privilege.owner");
        assertThat(owner.args()).containsExactly("app", "account");

        DatabaseUnavailable table = explain(server("42501", "permission denied for table structure"));
        assertThat(table.key()).isEqualTo("db.privilege.object");
        assertThat(table.args()).containsExactly("app", "structure", "publipostage");

        DatabaseUnavailable icu = explain(server("42704", "collation \"fr-x-icu\" for encoding \"UTF8\" does not exist"));
        assertThat(icu.key()).isEqualTo("db.noIcu");

        DatabaseUnavailable extension = explain(server("42501", "permission denied to create extension \"pgcrypto\""));
        assertThat(extension.key()).isEqualTo("db.privilege.extension");
    }

    @Test
    void theDetailIsTheServersWordsWithoutClassNames() {
        DatabaseUnavailable e = explain(server("42501", "permission denied for schema public"));
        assertThat(e.detail()).isEqualTo("ERROR: permission denied for schema public");
        DatabaseUnavailable refused = explain(new RuntimeException("com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: Failed",
                new PSQLException("Connection to db:5432 refused.", org.postgresql.util.PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                        new ConnectException("Connection refused"))));
        assertThat(refused.key()).isEqualTo("db.unreachable");
        assertThat(refused.detail()).isEqualTo("Connection to db:5432 refused.");
    }

    @Test
    void connectionFailuresAreToldFromRefusals() {
        assertThat(DatabaseErrors.isConnectionFailure(new SQLException("gone", "08006"))).isTrue();
        assertThat(DatabaseErrors.isConnectionFailure(server("57P01", "terminating connection due to administrator command"))).isTrue();
        assertThat(DatabaseErrors.isConnectionFailure(server("42501", "permission denied for table account"))).isFalse();
        assertThat(DatabaseErrors.isConnectionFailure(server("23505", "duplicate key"))).isFalse();
    }
}

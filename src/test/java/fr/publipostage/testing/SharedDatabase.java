package fr.publipostage.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.db.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * One database that several application processes share, for the multi-instance tests:
 * <ul>
 * <li>{@link Kind#EMBEDDED}: a fresh database of the tests' embedded PostgreSQL;</li>
 * <li>{@link Kind#EXTERNAL}: the database a DBA gives — in {@code .ci/run}, Debian's {@code postgresql}
 * server with a database owned by a role that is not a superuser, named by {@code IT_PG_URL},
 * {@code IT_PG_USER}, {@code IT_PG_PASSWORD}. Its schema is emptied first. Without these variables
 * the external case is skipped, unless {@code CI} is set: then it fails.</li>
 * </ul>
 */
public final class SharedDatabase implements AutoCloseable {
    public enum Kind { EMBEDDED, EXTERNAL }

    private final Kind kind;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Database database;
    private final AutoCloseable owner;

    private SharedDatabase(Kind kind, String jdbcUrl, String user, String password, Database database, AutoCloseable owner) {
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.database = database;
        this.owner = owner;
    }

    public static SharedDatabase open(Kind kind) {
        if (kind == Kind.EMBEDDED) {
            TestDatabase.Fresh fresh = TestDatabase.fresh();
            return new SharedDatabase(kind, fresh.jdbcUrl(), "postgres", "", fresh.database(), fresh);
        }
        String url = System.getenv("IT_PG_URL");
        if (url == null || url.isBlank()) {
            String ci = System.getenv("CI");
            if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
                Assertions.fail("CI is set but IT_PG_URL is not: .ci/run starts Debian's PostgreSQL and sets it");
            }
            Assumptions.abort("no external PostgreSQL (IT_PG_URL unset): the external case runs in .ci/run");
        }
        String user = System.getenv().getOrDefault("IT_PG_USER", "publipostage");
        String password = System.getenv().getOrDefault("IT_PG_PASSWORD", "");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        HikariDataSource ds = new HikariDataSource(config);
        // The role owns the database, not the server: it empties its own schema, as an operator would.
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists public cascade");
            st.execute("create schema public");
        } catch (SQLException e) {
            ds.close();
            throw new IllegalStateException("cannot reset the external database " + url + ": " + e.getMessage(), e);
        }
        return new SharedDatabase(kind, url, user, password, Database.over(ds, "external PostgreSQL " + url), ds);
    }

    public Kind kind() {
        return kind;
    }

    public Database database() {
        return database;
    }

    /** An application in this JVM over the database (to load data and read the ledger). */
    public App app(Map<Setting, String> settings) {
        return new App(Config.of(settings), database);
    }

    /** The settings that point another process at this database. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PUBLIPOSTAGE_DB_URL", jdbcUrl);
        env.put("PUBLIPOSTAGE_DB_USER", user);
        env.put("PUBLIPOSTAGE_DB_PASSWORD", password);
        return env;
    }

    /** A one-column, one-row query. */
    public long queryLong(String sql) {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public String queryString(String sql) {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() throws Exception {
        owner.close();
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase();
    }
}

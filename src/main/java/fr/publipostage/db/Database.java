package fr.publipostage.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL the application uses: an external one when PUBLIPOSTAGE_DB_URL is set, else the
 * embedded default of the data directory (run by this process, or by another one — {@code serve} —
 * on the same data directory). Opening it applies the Flyway migrations.
 *
 * <p>{@link #dataSource()} fails at once, with SQLState 08006, while the database is known to be
 * unavailable (the embedded server died and is being started again; an external server stopped
 * answering), instead of making every caller wait for the pool's timeout.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final HikariDataSource pool;
    private final GuardedDataSource guarded;
    private final EmbeddedServer embedded;
    private final ExternalProbe probe;
    private final DatabaseStatus status;
    private final String description;
    private final String schema;
    private volatile boolean migrated;

    private Database(HikariDataSource pool, EmbeddedServer embedded, ExternalProbe probe, String description, String schema) {
        this.pool = pool;
        this.embedded = embedded;
        this.probe = probe;
        this.status = embedded != null ? embedded : probe;
        this.guarded = new GuardedDataSource(pool, status, this::connectionFailed);
        this.description = description;
        this.schema = schema;
    }

    /** Opens the configured database; if the embedded server dies and cannot be started again, only logs it. */
    public static Database open(Config config) {
        return open(config, reason -> LOG.error("the database is lost: {}", reason.getMessage()));
    }

    /**
     * Opens the configured database.
     *
     * @param lost told when the embedded server died and every attempt to start it again failed
     *             ({@code serve} and the command line exit non-zero with the reason)
     */
    public static Database open(Config config, Consumer<DatabaseUnavailable> lost) {
        return open(config, lost, Map.of());
    }

    /** As {@link #open(Config, Consumer)}, with server settings on top of the durable ones (tests only). */
    static Database open(Config config, Consumer<DatabaseUnavailable> lost, Map<String, String> embeddedTestSettings) {
        String schema = schema(config);
        if (config.has(Setting.DB_URL)) return openExternal(config, schema);
        Path dir = Path.of(config.get(Setting.DATA_DIR)).toAbsolutePath().normalize();
        EmbeddedServer server = EmbeddedServer.open(dir, new EmbeddedServer.Options(config.getInt(Setting.EMBEDDED_DB_PORT),
                config.getInt(Setting.EMBEDDED_DB_RESTARTS), Duration.ofSeconds(60), embeddedTestSettings));
        PGSimpleDataSource target = new PGSimpleDataSource();
        target.setServerNames(new String[] {"127.0.0.1"});
        target.setPortNumbers(new int[] {server.port()});
        target.setDatabaseName(EmbeddedServer.DATABASE);
        target.setUser(EmbeddedServer.USER);
        target.setPassword(server.password());
        target.setApplicationName("publipostage");
        target.setConnectTimeout(5);
        if (schema != null) target.setCurrentSchema(schema);
        HikariConfig hikari = poolConfig(config);
        hikari.setDataSource(target);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            server.close();
            throw DatabaseErrors.explain(e, "127.0.0.1:" + server.port(), EmbeddedServer.USER, schemaName(schema));
        }
        Database db = new Database(pool, server, null, "embedded PostgreSQL in " + dir.resolve("postgres") + " (port "
                + server.port() + ", " + (server.owner() ? "started by this process" : "run by another process, pid "
                + server.postmasterPid()) + ")", schema);
        server.listen(new EmbeddedServer.Listener() {
            @Override
            public void restarted(int port) {
                // Same port as before unless it was taken meanwhile; connections to the dead server are dropped.
                target.setPortNumbers(new int[] {port});
                HikariPoolMXBean bean = pool.getHikariPoolMXBean();
                if (bean != null) bean.softEvictConnections();
            }

            @Override
            public void gaveUp(DatabaseUnavailable reason) {
                lost.accept(reason);
            }
        });
        try {
            db.migrate();
        } catch (RuntimeException e) {
            db.close();
            throw DatabaseErrors.explain(e, "127.0.0.1:" + server.port(), EmbeddedServer.USER, schemaName(schema));
        }
        return db;
    }

    private static Database openExternal(Config config, String schema) {
        String url = config.get(Setting.DB_URL);
        String user = config.get(Setting.DB_USER);
        HikariConfig hikari = poolConfig(config);
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        hikari.setPassword(config.get(Setting.DB_PASSWORD));
        if (schema != null) hikari.addDataSourceProperty("currentSchema", schema);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw DatabaseErrors.explain(e, url, user, schemaName(schema));
        }
        Database db = new Database(pool, null, new ExternalProbe(pool), "external PostgreSQL " + url
                + (schema == null ? "" : " (schema " + schema + ")"), schema);
        try {
            refuseReadOnly(pool, url, user, schemaName(schema));
            db.migrate();
        } catch (DatabaseUnavailable e) {
            db.close();
            throw e;
        } catch (RuntimeException e) {
            db.close();
            throw DatabaseErrors.explain(e, url, user, schemaName(schema));
        }
        return db;
    }

    /** A database over a data source someone else owns (tests share one server per run). */
    public static Database over(HikariDataSource dataSource, String description) {
        Database db = new Database(dataSource, null, new ExternalProbe(dataSource), description, null);
        db.migrate();
        return db;
    }

    /**
     * A server that takes no writes (a standby, or {@code default_transaction_read_only} for this user)
     * is refused at start with one sentence: with its migrations applied it would open, then fail every
     * import, login and print.
     */
    private static void refuseReadOnly(DataSource pool, String where, String user, String schema) {
        try (Connection c = pool.getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select pg_is_in_recovery(), current_setting('transaction_read_only')")) {
            rs.next();
            if (rs.getBoolean(1)) throw new DatabaseUnavailable("db.readOnly", "pg_is_in_recovery() = true (a standby)", null, where);
            if ("on".equals(rs.getString(2))) throw new DatabaseUnavailable("db.readOnly", "transaction_read_only = on", null, where);
        } catch (SQLException e) {
            throw DatabaseErrors.explain(e, where, user, schema);
        }
    }

    private static HikariConfig poolConfig(Config config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setMaximumPoolSize(config.getInt(Setting.DB_POOL_SIZE));
        hikari.setPoolName("publipostage");
        return hikari;
    }

    private static String schema(Config config) {
        if (!config.has(Setting.DB_SCHEMA)) return null;
        String schema = config.get(Setting.DB_SCHEMA);
        if (!SCHEMA.matcher(schema).matches()) {
            throw new Config.ConfigException("config.error.schemaName", Setting.DB_SCHEMA.envName, schema);
        }
        return schema;
    }

    private static String schemaName(String schema) {
        return schema == null ? "public" : schema;
    }

    private void migrate() {
        var flyway = Flyway.configure().dataSource(pool).locations("classpath:db/migration");
        if (schema != null) flyway = flyway.schemas(schema).defaultSchema(schema);
        flyway.load().migrate();
        migrated = true;
    }

    /** True once this process has applied (or found applied) every migration. */
    public boolean migrated() {
        return migrated;
    }

    private void connectionFailed(SQLException e) {
        if (embedded != null) embedded.connectionFailed();
        else probe.connectionFailed(e);
    }

    /**
     * Told by a caller whose statement failed because the connection broke (the server went away while
     * the connection was in use): the database is checked at once, and marked unavailable until it answers.
     */
    public void connectionBroke(Throwable failure) {
        if (!DatabaseErrors.isConnectionFailure(failure)) return;
        SQLException sql = failure instanceof SQLException e ? e : new SQLException(DatabaseErrors.detail(failure), "08006", failure);
        connectionFailed(sql);
    }

    /** The pool, failing fast while the database is known to be unavailable. */
    public DataSource dataSource() {
        return guarded;
    }

    /** Whether the database can be used now, and when it will be tried again. */
    public DatabaseStatus status() {
        return status;
    }

    public String description() {
        return description;
    }

    /** The schema Publipostage works in (PUBLIPOSTAGE_DB_SCHEMA), or null for the user's default. */
    public String schema() {
        return schema;
    }

    /** True for the embedded default (backup and restore of its files are possible). */
    public boolean embedded() {
        return embedded != null;
    }

    /** The embedded server, or null with an external database. */
    EmbeddedServer embeddedServer() {
        return embedded;
    }

    /** The embedded server's data directory, for backup; null with an external database. */
    public Path embeddedDataDirectory() {
        return embedded == null ? null : embedded.dataDirectory();
    }

    /** The embedded server's process id, -1 with an external database. */
    public long embeddedServerPid() {
        return embedded == null ? -1 : embedded.postmasterPid();
    }

    /**
     * A connection of its own, outside the pool, as the pool's user (a backup's session, a lock held for
     * the life of the process).
     */
    Connection directConnection(String applicationName) throws SQLException {
        if (embedded != null) return embedded.connectDirect(applicationName);
        java.util.Properties p = new java.util.Properties();
        p.putAll(pool.getDataSourceProperties());
        if (pool.getUsername() != null) p.setProperty("user", pool.getUsername());
        if (pool.getPassword() != null) p.setProperty("password", pool.getPassword());
        p.setProperty("ApplicationName", applicationName);
        return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), p);
    }

    /** A lock held by this process until it is closed or the process ends (a PostgreSQL session lock). */
    public interface HeldLock extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the named lock if no running process holds it: a session-level advisory lock on a
     * connection of its own, so it goes with this process (or its connection) without anyone's help.
     * Empty when another process holds it. The lock is per schema: two deployments in one database
     * do not share it.
     */
    public java.util.Optional<HeldLock> tryLock(String name) {
        try {
            Connection c = directConnection("publipostage-lock");
            try (java.sql.PreparedStatement st = c.prepareStatement("select pg_try_advisory_lock(hashtext('publipostage'), hashtext(current_schema() || ':' || ?))")) {
                st.setString(1, name);
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        c.close();
                        return java.util.Optional.empty();
                    }
                }
            }
            return java.util.Optional.of(() -> {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // Closing the session releases the lock anyway.
                }
            });
        } catch (SQLException e) {
            throw DatabaseErrors.explain(e, description, "", schemaName(schema));
        }
    }

    /**
     * Publishes the pool's usage (hikaricp_connections_active, _idle, _pending, acquire and usage times)
     * through HikariCP's Micrometer tracker. Once per pool: a second application over the same pool
     * (tests) keeps the first registration.
     */
    public void publishPoolMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        if (pool.getMetricsTrackerFactory() != null || pool.getMetricRegistry() != null) return;
        try {
            pool.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
        } catch (IllegalStateException e) {
            LOG.warn("pool metrics not published: {}", e.getMessage());
        }
    }

    /** True when a connection can be had and answers a trivial query. */
    public boolean isUp() {
        if (!status.available()) return false;
        try (Connection c = guarded.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (probe != null) probe.close();
        pool.close();
        if (embedded != null) embedded.close();
    }
}

package fr.publipostage.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.LoggerFactory;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL the application uses: an external one when PUBLIPOSTAGE_DB_URL is set, else an
 * embedded server (real PostgreSQL binaries from Maven) whose data lives in the data directory.
 * Opening it applies the Flyway migrations.
 */
public final class Database implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final HikariDataSource dataSource;
    private final String description;

    private Database(EmbeddedPostgres embedded, HikariDataSource dataSource, String description) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.description = description;
    }

    public static Database open(Config config) {
        EmbeddedPostgres embedded = null;
        HikariConfig hikari = new HikariConfig();
        hikari.setMaximumPoolSize(config.getInt(Setting.DB_POOL_SIZE));
        hikari.setPoolName("publipostage");
        String description;
        try {
            if (config.has(Setting.DB_URL)) {
                hikari.setJdbcUrl(config.get(Setting.DB_URL));
                hikari.setUsername(config.get(Setting.DB_USER));
                hikari.setPassword(config.get(Setting.DB_PASSWORD));
                description = "external PostgreSQL " + config.get(Setting.DB_URL);
            } else {
                Path dir = Path.of(config.get(Setting.DATA_DIR)).toAbsolutePath().normalize().resolve("postgres");
                embedded = startEmbedded(dir, config.getInt(Setting.EMBEDDED_DB_PORT));
                hikari.setJdbcUrl(embedded.getJdbcUrl("postgres", "postgres"));
                hikari.setUsername("postgres");
                description = "embedded PostgreSQL in " + dir + " (port " + embedded.getPort() + ")";
            }
            HikariDataSource dataSource = new HikariDataSource(hikari);
            migrate(dataSource);
            return new Database(embedded, dataSource, description);
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw e;
        }
    }

    /** A database over a data source someone else owns (tests share one server per run). */
    public static Database over(HikariDataSource dataSource, String description) {
        migrate(dataSource);
        return new Database(null, dataSource, description);
    }

    private static EmbeddedPostgres startEmbedded(Path dir, int port) {
        try {
            Files.createDirectories(dir.getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // App's own hook stops PostgreSQL after the work that uses it, not in parallel with it.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100");
            if (port > 0) builder.setPort(port);
            return builder.start();
        } catch (IOException | IllegalStateException e) {
            throw new DatabaseUnavailable("cannot start the embedded PostgreSQL in " + dir + ": " + e.getMessage()
                    + " (is another Publipostage using this data directory? set PUBLIPOSTAGE_DATA_DIR)", e);
        }
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String description() {
        return description;
    }

    /**
     * Publishes the pool's usage (hikaricp_connections_active, _idle, _pending, acquire and usage times)
     * through HikariCP's Micrometer tracker. Once per pool: a second application over the same pool
     * (tests) keeps the first registration.
     */
    public void publishPoolMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        if (dataSource.getMetricsTrackerFactory() != null || dataSource.getMetricRegistry() != null) return;
        try {
            dataSource.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
        } catch (IllegalStateException e) {
            LoggerFactory.getLogger(Database.class).warn("pool metrics not published: {}", e.getMessage());
        }
    }

    /** True when a connection can be had and answers a trivial query. */
    public boolean isUp() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        if (pg == null) return;
        try {
            pg.close();
        } catch (IOException ignored) {
            // Shutting down: nothing better to do than let the process end.
        }
    }

    public static final class DatabaseUnavailable extends RuntimeException {
        public DatabaseUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

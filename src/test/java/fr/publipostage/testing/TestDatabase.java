package fr.publipostage.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.db.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded PostgreSQL for the whole test run (started on first use, stopped by the JVM's
 * exit), and a fresh database per test from a migrated template, so tests are isolated and fast.
 *
 * <p>Usage: {@code try (TestDatabase.Fresh db = TestDatabase.fresh()) { App app = db.app(); … }}
 */
public final class TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static boolean templateReady;

    private TestDatabase() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setServerConfig("max_connections", "1000")
                        .setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off").start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // JVM exiting.
                }
            }));
        }
        return server;
    }

    private static synchronized void ensureTemplate() {
        if (templateReady) return;
        execute("postgres", "create database publipostage_template");
        try (HikariDataSource ds = dataSource("publipostage_template", 2)) {
            Database.over(ds, "template").dataSource();
        }
        templateReady = true;
    }

    /** A new, migrated, empty database of its own. */
    public static Fresh fresh() {
        return fresh(8, java.time.Duration.ofSeconds(30));
    }

    /**
     * A new database whose pool has {@code poolSize} connections and gives up waiting for one after
     * {@code connectionTimeout} (tests of what happens when the pool is short).
     */
    public static Fresh fresh(int poolSize, java.time.Duration connectionTimeout) {
        ensureTemplate();
        String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        synchronized (TestDatabase.class) {
            execute("postgres", "create database " + name + " template publipostage_template");
        }
        return new Fresh(name, poolSize, connectionTimeout);
    }

    static HikariDataSource dataSource(String database, int poolSize) {
        return dataSource(database, poolSize, java.time.Duration.ofSeconds(30));
    }

    static HikariDataSource dataSource(String database, int poolSize, java.time.Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server().getJdbcUrl("postgres", database));
        config.setUsername("postgres");
        config.setMaximumPoolSize(poolSize);
        // Tests that leave their pool open must not starve later ones of server connections.
        config.setMinimumIdle(1);
        config.setIdleTimeout(10_000);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        return new HikariDataSource(config);
    }

    private static void execute(String database, String sql) {
        try (Connection c = server().getDatabase("postgres", database).getConnection();
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** One test's database; closing it drops nothing (the server goes with the JVM) but closes the pool. */
    public static final class Fresh implements AutoCloseable {
        private final String name;
        private final HikariDataSource dataSource;
        private final Database database;

        Fresh(String name, int poolSize, java.time.Duration connectionTimeout) {
            this.name = name;
            this.dataSource = dataSource(name, poolSize, connectionTimeout);
            this.database = Database.over(dataSource, "test database " + name);
        }

        public String name() {
            return name;
        }

        public Database database() {
            return database;
        }

        /** JDBC URL of this database, for a second application process pointed at it. */
        public String jdbcUrl() {
            return server().getJdbcUrl("postgres", name);
        }

        /** An application over this database, with settings on top of the defaults. */
        public App app(Map<Setting, String> settings) {
            return new App(Config.of(settings), database);
        }

        public App app() {
            return app(Map.of());
        }

        @Override
        public void close() {
            dataSource.close();
        }
    }
}

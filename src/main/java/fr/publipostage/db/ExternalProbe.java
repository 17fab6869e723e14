package fr.publipostage.db;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of a database this process does not run (an external server): unavailable from the first
 * failed connection until a direct connection, tried every two seconds, succeeds again.
 */
final class ExternalProbe implements DatabaseStatus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalProbe.class);
    private static final long PERIOD_MILLIS = 2_000;

    private final HikariDataSource pool;
    private ScheduledExecutorService timer;
    private volatile boolean down;
    private volatile long nextProbeNanos;
    private boolean closed;

    ExternalProbe(HikariDataSource pool) {
        this.pool = pool;
    }

    @Override
    public boolean available() {
        return !down;
    }

    @Override
    public int retryInSeconds() {
        long wait = nextProbeNanos - System.nanoTime();
        return (int) Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
    }

    synchronized void connectionFailed(SQLException e) {
        if (down || closed) return;
        down = true;
        LOG.warn("the database does not answer ({}); trying again every {} s", DatabaseErrors.detail(e), PERIOD_MILLIS / 1000);
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "database-probe");
                t.setDaemon(true);
                return t;
            });
        }
        // At once first: one broken connection after a blip must not mean two seconds of 503.
        schedule(0);
    }

    private void schedule(long delayMillis) {
        nextProbeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        timer.schedule(this::probe, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void probe() {
        Properties p = new Properties();
        p.putAll(pool.getDataSourceProperties());
        if (pool.getUsername() != null) p.setProperty("user", pool.getUsername());
        if (pool.getPassword() != null) p.setProperty("password", pool.getPassword());
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "5");
        try (Connection c = DriverManager.getConnection(pool.getJdbcUrl(), p)) {
            if (c.isValid(2)) {
                synchronized (this) {
                    down = false;
                }
                // Connections opened before the outage are dead: the pool replaces them.
                if (pool.getHikariPoolMXBean() != null) pool.getHikariPoolMXBean().softEvictConnections();
                LOG.info("the database answers again");
                return;
            }
        } catch (SQLException e) {
            LOG.debug("database still unavailable: {}", DatabaseErrors.detail(e));
        }
        synchronized (this) {
            if (!closed) schedule(PERIOD_MILLIS);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) timer.shutdownNow();
    }
}

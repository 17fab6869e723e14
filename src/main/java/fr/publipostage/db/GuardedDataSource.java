package fr.publipostage.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool as the application sees it: while the database is known to be unavailable, asking for a
 * connection fails at once (SQLState 08006) instead of waiting for the pool's 30 s timeout, so web
 * requests answer 503 at once and background work and shutdown are not held up; a failed
 * connection is reported, so that the outage is noticed even before the server's process is seen gone.
 */
final class GuardedDataSource implements DataSource {
    private final DataSource pool;
    private final DatabaseStatus status;
    private final Consumer<SQLException> failed;

    GuardedDataSource(DataSource pool, DatabaseStatus status, Consumer<SQLException> failed) {
        this.pool = pool;
        this.status = status;
        this.failed = failed;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!status.available()) {
            throw new SQLTransientConnectionException("the database is unavailable; next attempt in "
                    + status.retryInSeconds() + " s", "08006");
        }
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            if (DatabaseErrors.isConnectionFailure(e)) failed.accept(e);
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool has one user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) return type.cast(this);
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}

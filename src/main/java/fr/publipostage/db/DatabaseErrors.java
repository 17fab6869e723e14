package fr.publipostage.db;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what PostgreSQL, the JDBC driver, HikariCP or Flyway threw into one sentence an operator can
 * act on (wrong password, server unreachable, database missing, a missing privilege named with the
 * statement that grants it), keeping the server's own words as the detail.
 */
public final class DatabaseErrors {
    private static final Pattern DENIED = Pattern.compile("permission denied for (schema|database|table|sequence|function|view|relation) \"?([^\"\\s]+)\"?");
    private static final Pattern OWNER = Pattern.compile("must be owner of (\\w+(?: \\w+)?) \"?([^\"\\s]+)\"?");
    private static final Pattern ROLE_MISSING = Pattern.compile("role \"([^\"]+)\" does not exist");
    private static final Pattern DATABASE_MISSING = Pattern.compile("database \"([^\"]+)\" does not exist");

    private DatabaseErrors() {
    }

    /**
     * The sentence for a failure while connecting to or migrating the database.
     *
     * @param where the server as the operator wrote it (the JDBC URL), for the sentence
     * @param user  the database user
     * @param schema the schema Publipostage works in (the setting, or "public")
     */
    public static DatabaseUnavailable explain(Throwable failure, String where, String user, String schema) {
        String state = sqlState(failure);
        String detail = detail(failure);
        if (state != null) {
            switch (state) {
                case "28P01":
                    return new DatabaseUnavailable("db.badPassword", detail, failure, user, where);
                case "28000":
                    Matcher role = ROLE_MISSING.matcher(detail);
                    if (role.find()) return new DatabaseUnavailable("db.noSuchRole", detail, failure, role.group(1), where);
                    return new DatabaseUnavailable("db.refused", detail, failure, user, where);
                case "3D000":
                    Matcher db = DATABASE_MISSING.matcher(detail);
                    return new DatabaseUnavailable("db.noSuchDatabase", detail, failure, db.find() ? db.group(1) : where, where);
                case "42501":
                    return permission(detail, fullText(failure), failure, user, schema);
                case "42704":
                    if (detail.contains("collation") && detail.contains("icu")) {
                        return new DatabaseUnavailable("db.noIcu", detail, failure, where);
                    }
                    break;
                case "25006":
                    return new DatabaseUnavailable("db.readOnly", detail, failure, where);
                case "53300":
                    return new DatabaseUnavailable("db.tooManyConnections", detail, failure, where);
                case "57P03":
                    return new DatabaseUnavailable("db.starting", detail, failure, where);
                default:
                    break;
            }
            if (state.startsWith("08") && isUnreachable(failure)) {
                return new DatabaseUnavailable("db.unreachable", detail, failure, where);
            }
        }
        if (isUnreachable(failure)) return new DatabaseUnavailable("db.unreachable", detail, failure, where);
        if (detail.contains("must be owner of")) return permission(detail, fullText(failure), failure, user, schema);
        return new DatabaseUnavailable("db.failed", detail, failure, where);
    }

    private static DatabaseUnavailable permission(String detail, String full, Throwable failure, String user, String schema) {
        Matcher denied = DENIED.matcher(detail);
        if (denied.find()) {
            String kind = denied.group(1);
            String name = denied.group(2);
            switch (kind) {
                case "schema":
                    return new DatabaseUnavailable("db.privilege.schemaCreate", detail, failure, user, name);
                case "database":
                    if (full.contains("CONNECT")) return new DatabaseUnavailable("db.privilege.connect", detail, failure, user, name);
                    // Flyway creates the configured schema when it is missing: that needs CREATE on the database.
                    return new DatabaseUnavailable("db.privilege.createSchema", detail, failure, user, schema, name);
                default:
                    return new DatabaseUnavailable("db.privilege.object", detail, failure, user, name, schema);
            }
        }
        if (full.contains("CONNECT privilege")) {
            return new DatabaseUnavailable("db.privilege.connect", detail, failure, user, "?");
        }
        Matcher owner = OWNER.matcher(detail);
        if (owner.find()) return new DatabaseUnavailable("db.privilege.owner", detail, failure, user, owner.group(2));
        if (detail.contains("create extension")) return new DatabaseUnavailable("db.privilege.extension", detail, failure, user);
        return new DatabaseUnavailable("db.privilege.other", detail, failure, user);
    }

    /** True when the failure says the server could not be reached or the connection broke (not a refusal). */
    public static boolean isConnectionFailure(Throwable failure) {
        String state = sqlState(failure);
        if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"))) {
            return true;
        }
        return isUnreachable(failure);
    }

    /**
     * True when PostgreSQL refused a character of the text it was given (22021: a NUL, which no text
     * column holds): the sender's input, not a server fault.
     */
    public static boolean isCharacterRefused(Throwable failure) {
        return "22021".equals(sqlState(failure));
    }

    private static boolean isUnreachable(Throwable failure) {
        return find(failure, ConnectException.class) != null || find(failure, UnknownHostException.class) != null
                || find(failure, NoRouteToHostException.class) != null || find(failure, SocketTimeoutException.class) != null;
    }

    /** The whole message of the first SQL exception with a state (PostgreSQL's Detail and Hint lines included). */
    private static String fullText(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null && e.getMessage() != null) return e.getMessage();
        }
        return failure.getMessage() == null ? "" : failure.getMessage();
    }

    /** One line for a log: the server's or the system's words, without the wrappers' stack of messages. */
    public static String describe(Throwable failure) {
        String state = sqlState(failure);
        return (state == null ? "" : "SQLState " + state + ": ") + detail(failure);
    }

    /** The first SQLState in the chain of causes (and of chained SQL exceptions), or null. */
    static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e) {
                for (SQLException s = e; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null) return s.getSQLState();
                }
            }
        }
        return null;
    }

    /**
     * The innermost message worth showing: PostgreSQL's own text (without the driver's class name),
     * or the system's ("Connection refused").
     */
    static String detail(Throwable failure) {
        String best = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null) {
                best = t.getMessage();
                if (((SQLException) t).getSQLState() != null) break;
            } else if (t instanceof UnknownHostException) {
                best = "unknown host " + t.getMessage();
            } else if (t.getMessage() != null && best == null) {
                best = t.getMessage();
            }
        }
        if (best == null) best = failure.getClass().getSimpleName();
        // Flyway and Hikari prefix their own words and class names; keep the first line of the server's text.
        String line = best.strip().lines().findFirst().orElse(best);
        return line.replaceAll("\\b(?:[a-z]+\\.)+[A-Z][A-Za-z]+(?:\\$[A-Za-z]+)?:\\s*", "");
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
        }
        return null;
    }
}

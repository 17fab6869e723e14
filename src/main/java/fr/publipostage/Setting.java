package fr.publipostage;

/**
 * Every setting the application reads, with its default and meaning. README.md's settings table
 * is this list; add a setting here and there in the same commit.
 */
public enum Setting {
    PORT("PUBLIPOSTAGE_PORT", "7070", "HTTP port of `serve`"),
    DATA_DIR("PUBLIPOSTAGE_DATA_DIR", "./data", "where the embedded PostgreSQL keeps its data (kept between runs)"),
    DB_URL("PUBLIPOSTAGE_DB_URL", "", "JDBC URL of an external PostgreSQL; empty = embedded PostgreSQL in the data directory"),
    DB_USER("PUBLIPOSTAGE_DB_USER", "postgres", "user of the external PostgreSQL"),
    DB_PASSWORD("PUBLIPOSTAGE_DB_PASSWORD", "", "password of the external PostgreSQL"),
    DB_POOL_SIZE("PUBLIPOSTAGE_DB_POOL_SIZE", "10", "maximum JDBC connections (HikariCP)"),
    EMBEDDED_DB_PORT("PUBLIPOSTAGE_EMBEDDED_DB_PORT", "0", "port of the embedded PostgreSQL on loopback; 0 = any free port"),
    LANGUAGE("PUBLIPOSTAGE_LANGUAGE", "fr", "language of command-line messages (fr or en); the web UI follows each admin's choice"),
    DEMO_DATA("PUBLIPOSTAGE_DEMO_DATA", "true", "load the two demo schools and demo admins on first start of an empty database"),
    SESSION_IDLE_MINUTES("PUBLIPOSTAGE_SESSION_IDLE_MINUTES", "60", "a web session unused this long ends (sessions also end 12 hours after login)"),
    COOKIE_SECURE("PUBLIPOSTAGE_COOKIE_SECURE", "false", "mark the session cookie Secure (set true when users reach the application over HTTPS)"),
    TOTP_REQUIRED("PUBLIPOSTAGE_TOTP_REQUIRED", "false", "every output carrying credentials (CSV, PDF letters, e-mail campaigns) asks for a fresh TOTP code; admins must enrol an authenticator app"),
    TOTP_FRESH_MINUTES("PUBLIPOSTAGE_TOTP_FRESH_MINUTES", "5", "how long a TOTP code typed before an output stays valid for further outputs in the same session");

    public final String envName;
    public final String defaultValue;
    public final String description;

    Setting(String envName, String defaultValue, String description) {
        this.envName = envName;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The key of this setting in a properties file: PUBLIPOSTAGE_DB_URL → publipostage.db.url. */
    public String propertyName() {
        return envName.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    }
}

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
    PDF_THREADS("PUBLIPOSTAGE_PDF_THREADS", "0", "threads rendering PDF chunks in parallel; 0 = one per available core"),
    PDF_CHUNK_PAGES("PUBLIPOSTAGE_PDF_CHUNK_PAGES", "100", "pages per XHTML document (chunk) of a letters PDF; fonts are embedded once per chunk"),
    PDF_DIRECT_MAX("PUBLIPOSTAGE_PDF_DIRECT_MAX", "300", "selections up to this many accounts print directly; larger ones run as a background job"),
    PDF_JOB_TTL_MINUTES("PUBLIPOSTAGE_PDF_JOB_TTL_MINUTES", "60", "a finished letters job's PDF is deleted after this many minutes if not downloaded (it is deleted at once after its download)");

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

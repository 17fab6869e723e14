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
    DB_SCHEMA("PUBLIPOSTAGE_DB_SCHEMA", "", "schema that holds Publipostage's tables (Flyway's schema and the connections' search_path); empty = the user's default (public)"),
    DB_POOL_SIZE("PUBLIPOSTAGE_DB_POOL_SIZE", "10", "maximum JDBC connections (HikariCP)"),
    EMBEDDED_DB_PORT("PUBLIPOSTAGE_EMBEDDED_DB_PORT", "0", "port of the embedded PostgreSQL on loopback; 0 = the previous one when free, else any"),
    EMBEDDED_DB_RESTARTS("PUBLIPOSTAGE_EMBEDDED_DB_RESTARTS", "5", "attempts to start the embedded PostgreSQL again after it stopped (waits of 1, 2, 4, 8, 16… s); then the process exits with code 3"),
    LANGUAGE("PUBLIPOSTAGE_LANGUAGE", "fr", "language of command-line messages (fr or en); the web UI follows each admin's choice"),
    DEMO_DATA("PUBLIPOSTAGE_DEMO_DATA", "true", "load the two demo schools and demo admins on first start of an empty database"),
    SESSION_IDLE_MINUTES("PUBLIPOSTAGE_SESSION_IDLE_MINUTES", "60", "a web session unused this long ends (sessions also end 12 hours after login)"),
    COOKIE_SECURE("PUBLIPOSTAGE_COOKIE_SECURE", "", "mark the session cookie Secure (true or false; empty: true when PUBLIPOSTAGE_PUBLIC_URL is https)"),
    TOTP_REQUIRED("PUBLIPOSTAGE_TOTP_REQUIRED", "false", "every output carrying credentials (CSV, PDF letters, e-mail campaigns) asks for a fresh TOTP code; admins must enrol an authenticator app"),
    TOTP_FRESH_MINUTES("PUBLIPOSTAGE_TOTP_FRESH_MINUTES", "5", "how long a TOTP code typed before an output stays valid for further outputs in the same session"),

    // Operations: logs, metrics, reverse proxy.
    LOG_FORMAT("PUBLIPOSTAGE_LOG_FORMAT", "text", "log lines as text, or json (one JSON object per line, with requestId and admin) for a log collector"),
    METRICS_TOKEN("PUBLIPOSTAGE_METRICS_TOKEN", "", "bearer token that lets a Prometheus scraper read /metrics (Authorization: Bearer …); empty = only a super admin's session may"),
    TRUSTED_PROXIES("PUBLIPOSTAGE_TRUSTED_PROXIES", "", "addresses or CIDR ranges of the reverse proxies in front of the application (e.g. 127.0.0.1, 10.0.0.0/8): only from them is X-Forwarded-For believed, for the login throttle and the logs"),

    // Single sign-on with the ENT's OpenID Connect provider (sso/). No issuer = local accounts only.
    OIDC_ISSUER("PUBLIPOSTAGE_OIDC_ISSUER", "", "issuer URL of the OpenID Connect provider (its settings are read from ISSUER/.well-known/openid-configuration); empty = no single sign-on"),
    OIDC_CLIENT_ID("PUBLIPOSTAGE_OIDC_CLIENT_ID", "", "client id of Publipostage registered at the provider"),
    OIDC_CLIENT_SECRET("PUBLIPOSTAGE_OIDC_CLIENT_SECRET", "", "client secret given by the provider (sent with HTTP Basic, or in the form when the provider only accepts client_secret_post)"),
    OIDC_SCOPES("PUBLIPOSTAGE_OIDC_SCOPES", "openid profile", "scopes asked (openid is always added)"),
    OIDC_LOGIN_CLAIM("PUBLIPOSTAGE_OIDC_LOGIN_CLAIM", "preferred_username", "claim of the ID token (else of the userinfo answer) holding the ENT login, matched to the logins of the imported directory"),
    OIDC_LABEL("PUBLIPOSTAGE_OIDC_LABEL", "", "text of the login button; empty = \"Se connecter avec l'ENT\" / \"Log in with the ENT\""),
    OIDC_ONLY("PUBLIPOSTAGE_OIDC_ONLY", "false", "true = the login page offers only the provider: the password form is gone and POST /login is refused (local admins keep the command line)"),
    OIDC_MFA_ACR("PUBLIPOSTAGE_OIDC_MFA_ACR", "", "acr values that count as a second factor, weakest first (e.g. `urn:ent:loa:2` also accepts loa:3, loa:4…; or `substantial,high`); empty = only amr (mfa, otp) counts"),
    OIDC_MFA_FRESH_MINUTES("PUBLIPOSTAGE_OIDC_MFA_FRESH_MINUTES", "60", "how long after the provider's authentication (auth_time) its second factor allows outputs carrying credentials"),
    OIDC_CLASS_TEACHER_FUNCTIONS("PUBLIPOSTAGE_OIDC_CLASS_TEACHER_FUNCTIONS", "HEAD_TEACHER", "directory functions that make a teacher the class teacher of his classes (comma-separated)"),
    OIDC_CLASS_TEACHER_CLAIM("PUBLIPOSTAGE_OIDC_CLASS_TEACHER_CLAIM", "", "claim of the provider that may carry one of those functions instead (a string or a list); empty = the directory alone decides"),
    OIDC_CLOCK_SKEW_SECONDS("PUBLIPOSTAGE_OIDC_CLOCK_SKEW_SECONDS", "60", "difference allowed between this server's clock and the provider's when checking the ID token's times"),
    OIDC_TIMEOUT_SECONDS("PUBLIPOSTAGE_OIDC_TIMEOUT_SECONDS", "5", "connect and read timeout, in seconds, of the calls to the provider (discovery, keys, token, userinfo)"),
    PUBLIC_URL("PUBLIPOSTAGE_PUBLIC_URL", "", "the address users type to reach Publipostage, e.g. `https://publipostage.ac-bordeaux.fr` (behind a proxy); gives the redirect URI BASE/oidc/callback; empty = taken from each request"),

    // E-mail (mailing/). No SMTP host = the built-in sandbox: mails are captured, never delivered.
    SMTP_HOST("PUBLIPOSTAGE_SMTP_HOST", "", "SMTP server that delivers the campaigns; empty = sandbox (an SMTP server inside the application on loopback that captures the mails, delivers nothing)"),
    SMTP_PORT("PUBLIPOSTAGE_SMTP_PORT", "", "SMTP port; empty = 587 for starttls, 465 for ssl, 25 for none"),
    SMTP_TLS("PUBLIPOSTAGE_SMTP_TLS", "starttls", "none, starttls (required, certificate checked) or ssl (implicit TLS, usually port 465)"),
    SMTP_USER("PUBLIPOSTAGE_SMTP_USER", "", "SMTP login; empty = no authentication"),
    SMTP_PASSWORD("PUBLIPOSTAGE_SMTP_PASSWORD", "", "SMTP password"),
    SMTP_FROM("PUBLIPOSTAGE_SMTP_FROM", "", "From address, e.g. `ent@lycee.example.fr` (the school's name is shown as sender name); required with a real server; sandbox: `publipostage@localhost`"),
    SMTP_REPLY_TO("PUBLIPOSTAGE_SMTP_REPLY_TO", "", "Reply-To address (e.g. the school office); empty = none"),
    SMTP_ENVELOPE_FROM("PUBLIPOSTAGE_SMTP_ENVELOPE_FROM", "", "envelope sender (MAIL FROM, where bounces go); empty = the From address"),
    SMTP_RATE("PUBLIPOSTAGE_SMTP_RATE", "0", "messages per minute sent by this instance, all campaigns together; 0 = no limit"),
    SMTP_CAMPAIGN_RATE("PUBLIPOSTAGE_SMTP_CAMPAIGN_RATE", "0", "messages per minute of one campaign, all instances together (recorded on the campaign when it starts); 0 = no limit. Providers often allow 100"),
    SMTP_MESSAGES_PER_CONNECTION("PUBLIPOSTAGE_SMTP_MESSAGES_PER_CONNECTION", "100", "messages sent over one SMTP connection before it is renewed; 1 = a new connection for every message"),
    SMTP_TRUSTSTORE("PUBLIPOSTAGE_SMTP_TRUSTSTORE", "", "certificates trusted for the SMTP server's TLS (starttls, ssl) instead of the JVM's: a PEM file (the server's self-signed certificate or its CA, several allowed) or a PKCS#12 file; empty = the JVM's CAs"),
    SMTP_TRUSTSTORE_PASSWORD("PUBLIPOSTAGE_SMTP_TRUSTSTORE_PASSWORD", "", "password of a PKCS#12 trust store (PEM files have none)"),
    SMTP_TIMEOUT("PUBLIPOSTAGE_SMTP_TIMEOUT", "30s", "connect and read timeout of the SMTP connection (e.g. 500ms, 30s, 2m)"),
    MAIL_WORKER("PUBLIPOSTAGE_MAIL_WORKER", "true", "this instance sends campaigns (any number of instances may, on one database)"),
    MAIL_BATCH("PUBLIPOSTAGE_MAIL_BATCH", "20", "recipients a worker claims at a time"),
    MAIL_MAX_ATTEMPTS("PUBLIPOSTAGE_MAIL_MAX_ATTEMPTS", "8", "attempts per recipient on temporary errors (4xx, timeouts, server unreachable) before the row is failed"),
    MAIL_RETRY_DELAY("PUBLIPOSTAGE_MAIL_RETRY_DELAY", "30s", "wait after the first temporary error; doubled at each further attempt"),
    MAIL_RETRY_MAX_DELAY("PUBLIPOSTAGE_MAIL_RETRY_MAX_DELAY", "30m", "longest wait between two attempts"),
    MAIL_LEASE("PUBLIPOSTAGE_MAIL_LEASE", "2m", "a recipient claimed by an instance that stopped answering is taken back after this time"),
    MAIL_POLL("PUBLIPOSTAGE_MAIL_POLL", "1s", "how often an idle worker looks for work"),
    // Bounces (bounces/): the mailbox where delivery reports arrive. No IMAP host = no bounce processing.
    BOUNCE_IMAP_HOST("PUBLIPOSTAGE_BOUNCE_IMAP_HOST", "", "IMAP server of the mailbox where bounces arrive (the campaigns' envelope sender, PUBLIPOSTAGE_SMTP_ENVELOPE_FROM or VERP); empty = no bounce processing"),
    BOUNCE_IMAP_PORT("PUBLIPOSTAGE_BOUNCE_IMAP_PORT", "", "IMAP port; empty = 993 for ssl, 143 otherwise"),
    BOUNCE_IMAP_USER("PUBLIPOSTAGE_BOUNCE_IMAP_USER", "", "IMAP login of the bounce mailbox"),
    BOUNCE_IMAP_PASSWORD("PUBLIPOSTAGE_BOUNCE_IMAP_PASSWORD", "", "IMAP password of the bounce mailbox"),
    BOUNCE_IMAP_TLS("PUBLIPOSTAGE_BOUNCE_IMAP_TLS", "ssl", "none, starttls (required, certificate checked) or ssl (implicit TLS, usually port 993); certificates trusted as for SMTP (PUBLIPOSTAGE_SMTP_TRUSTSTORE, else the JVM's)"),
    BOUNCE_IMAP_FOLDER("PUBLIPOSTAGE_BOUNCE_IMAP_FOLDER", "INBOX", "folder read for new messages"),
    BOUNCE_PROCESSED_FOLDER("PUBLIPOSTAGE_BOUNCE_PROCESSED_FOLDER", "Publipostage-traites", "folder where bounces matched to a campaign are moved (created when missing); unmatched, malformed and other messages stay where they are"),
    BOUNCE_POLL("PUBLIPOSTAGE_BOUNCE_POLL", "1m", "how often the mailbox is read (one instance at a time reads it, under a lease in PostgreSQL)"),
    BOUNCE_VERP("PUBLIPOSTAGE_BOUNCE_VERP", "", "VERP envelope sender, e.g. `bounces+{token}@lycee.example.fr`: each message's envelope sender names its ledger row, so a bounce that quotes nothing of the message is matched too; the mailbox must receive the `+` addresses; empty = the envelope sender of PUBLIPOSTAGE_SMTP_ENVELOPE_FROM"),
    SANDBOX_SMTP_PORT("PUBLIPOSTAGE_SANDBOX_SMTP_PORT", "0", "loopback port of the sandbox SMTP server; 0 = any free port"),
    PDF_THREADS("PUBLIPOSTAGE_PDF_THREADS", "0", "threads rendering PDF chunks in parallel; 0 = one per available core"),
    PDF_CHUNK_PAGES("PUBLIPOSTAGE_PDF_CHUNK_PAGES", "100", "pages per XHTML document (chunk) of a letters PDF; fonts are embedded once per chunk"),
    PDF_DIRECT_MAX("PUBLIPOSTAGE_PDF_DIRECT_MAX", "300", "selections up to this many accounts print directly; larger ones run as a background job"),
    PDF_JOB_LEASE("PUBLIPOSTAGE_PDF_JOB_LEASE", "30s", "a letters job whose instance stopped renewing its lease (killed, frozen, cut from the database) is taken over by another instance after this time"),
    SHUTDOWN_GRACE("PUBLIPOSTAGE_SHUTDOWN_GRACE", "20s", "on SIGTERM, how long the instance waits for the message being sent and the PDF chunks being rendered before handing its work back anyway"),
    PDF_TAGGED("PUBLIPOSTAGE_PDF_TAGGED", "true", "letters are tagged PDF/UA-1 (structure, language, alternative texts) for screen readers; false only to compare the cost"),
    PDF_JOB_TTL_MINUTES("PUBLIPOSTAGE_PDF_JOB_TTL_MINUTES", "60", "a finished letters job's PDF is deleted after this many minutes if not downloaded (it is deleted at once after its download)"),

    // Account import (imports/).
    IMPORT_MAX_MB("PUBLIPOSTAGE_IMPORT_MAX_MB", "20", "largest file the web page \"Importer des comptes\" accepts, in MB (the command line has no limit)");

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

package fr.publipostage.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.templates.Messages;
import fr.publipostage.testing.AppProcess;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database a DBA gives: a role that is neither superuser nor owner of the database, with its own
 * schema (PUBLIPOSTAGE_DB_SCHEMA) and no right on {@code public}; and what the operator reads when
 * the database refuses (a missing privilege named with its GRANT; wrong password, server unreachable,
 * database missing) — one sentence in the CLI's language, the cause on a second line, no class name.
 */
class ExternalDatabaseIT {
    private static final AtomicInteger N = new AtomicInteger();
    private static final Messages MESSAGES = new Messages();

    @TempDir
    Path work;

    /** A database owned by postgres, and a plain role granted CONNECT and TEMPORARY on it (and nothing else). */
    private record Given(String url, String role, String database, TestDatabase.Fresh server) {
    }

    private static Given dbaGives(TestDatabase.Fresh server) throws Exception {
        int n = N.incrementAndGet();
        String role = "app_" + ProcessHandle.current().pid() + "_" + n;
        String database = "given_" + ProcessHandle.current().pid() + "_" + n;
        try (Connection c = server.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("create role " + role + " login password 'app-password' nosuperuser nocreatedb nocreaterole");
            st.execute("create database " + database + " owner postgres");
            st.execute("revoke all on database " + database + " from public");
            st.execute("grant connect on database " + database + " to " + role);
            // The importer stages a file in temporary tables (on commit drop); PUBLIC has TEMPORARY by
            // default, revoked above with the rest.
            st.execute("grant temporary on database " + database + " to " + role);
        }
        String url = server.jdbcUrl().replaceFirst("/[^/?]+\\?.*$", "/" + database);
        return new Given(url, role, database, server);
    }

    private static void asSuperuser(Given g, String sql) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(g.url(), "postgres", ""); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static Config config(Given g, String schema) {
        return Config.of(Map.of(Setting.DB_URL, g.url(), Setting.DB_USER, g.role(), Setting.DB_PASSWORD, "app-password",
                Setting.DB_SCHEMA, schema, Setting.DB_POOL_SIZE, "3"));
    }

    private static String sentence(DatabaseUnavailable e, String lang) {
        return MESSAGES.get(lang, e.key(), e.args());
    }

    @Test
    void aPlainRoleWithItsOwnSchemaRunsEverythingAndMissingPrivilegesAreNamed() throws Exception {
        try (TestDatabase.Fresh server = TestDatabase.fresh()) {
            Given g = dbaGives(server);

            // No CREATE on public (PostgreSQL 15 and later): one sentence naming the privilege and the way out.
            DatabaseUnavailable noCreate = catchThrowableOfType(DatabaseUnavailable.class, () -> Database.open(config(g, "")));
            assertThat(noCreate.key()).isEqualTo("db.privilege.schemaCreate");
            assertThat(sentence(noCreate, "fr")).contains("« " + g.role() + " » n’a pas le droit CREATE sur le schéma « public »")
                    .contains("PUBLIPOSTAGE_DB_SCHEMA");
            assertThat(sentence(noCreate, "en")).contains("lacks the CREATE privilege on schema “public”");
            assertThat(noCreate.detail()).contains("permission denied for schema public").doesNotContain("Exception").doesNotContain("org.");

            // A schema that does not exist, and no right to create one in the database.
            DatabaseUnavailable noSchema = catchThrowableOfType(DatabaseUnavailable.class, () -> Database.open(config(g, "publipostage")));
            assertThat(noSchema.key()).isEqualTo("db.privilege.createSchema");
            assertThat(sentence(noSchema, "en")).contains("CREATE SCHEMA publipostage AUTHORIZATION " + g.role());

            // The DBA's way: a schema owned by the role. Migrations and the application work, nothing lands in public.
            asSuperuser(g, "create schema publipostage authorization " + g.role());
            try (Database db = Database.open(config(g, "publipostage")); App app = new App(config(g, "publipostage"), db)) {
                app.importer().importCsv(new ByteArrayInputStream(("uai;structure_name;profile;last_name;first_name;login\n"
                        + "0330001A;Lycée Montesquieu;Teacher;Durand;Zoé;zoe.durand\n").getBytes(StandardCharsets.UTF_8)), null);
                long structure = app.structureByUai("0330001A").id();
                assertThat(app.selections().count(app.selections().parse(structure, Map.of()),
                        fr.publipostage.selection.Scope.LOCAL_ADMIN).total()).isEqualTo(1);
                try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("select (select count(*) from information_schema.tables where table_schema = 'publipostage'),"
                             + " (select count(*) from information_schema.tables where table_schema = 'public'),"
                             + " (select rolsuper from pg_roles where rolname = current_user),"
                             + " (select pg_get_userbyid(datdba) from pg_database where datname = current_database())")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("tables in the role's schema").isGreaterThan(10);
                    assertThat(rs.getInt(2)).as("tables in public").isZero();
                    assertThat(rs.getBoolean(3)).as("superuser").isFalse();
                    assertThat(rs.getString(4)).as("owner of the database").isEqualTo("postgres");
                }
            }

            // Without CONNECT on the database.
            asSuperuser(g, "revoke connect on database " + g.database() + " from " + g.role());
            DatabaseUnavailable noConnect = catchThrowableOfType(DatabaseUnavailable.class, () -> Database.open(config(g, "publipostage")));
            assertThat(noConnect.key()).isEqualTo("db.privilege.connect");
            assertThat(sentence(noConnect, "en")).contains("GRANT CONNECT ON DATABASE " + g.database() + " TO " + g.role());
        }
    }

    @Test
    void aReadOnlyServerIsRefusedAtStartWithOneSentence() throws Exception {
        // What a DBA may hand out: a standby's address, or a role whose transactions are read-only
        // (default_transaction_read_only): both refuse every write with SQLState 25006.
        try (TestDatabase.Fresh server = TestDatabase.fresh()) {
            Given g = dbaGives(server);
            asSuperuser(g, "create schema publipostage authorization " + g.role());
            try (Database db = Database.open(config(g, "publipostage"))) {
                assertThat(db.migrated()).isTrue();
            }
            asSuperuser(g, "alter role " + g.role() + " set default_transaction_read_only = on");
            // Migrations already applied: nothing to write at start, yet every import, login or print would fail.
            DatabaseUnavailable migrated = catchThrowableOfType(DatabaseUnavailable.class, () -> Database.open(config(g, "publipostage")));
            assertThat(migrated).as("a read-only server is refused at start").isNotNull();
            assertThat(migrated.key()).isEqualTo("db.readOnly");
            assertThat(sentence(migrated, "fr")).contains("lecture").contains("PUBLIPOSTAGE_DB_URL");
            assertThat(sentence(migrated, "en")).contains("read").contains("PUBLIPOSTAGE_DB_URL");
            // A new schema on it: the same sentence, not Flyway's words.
            asSuperuser(g, "create schema other authorization " + g.role());
            DatabaseUnavailable fresh = catchThrowableOfType(DatabaseUnavailable.class, () -> Database.open(config(g, "other")));
            assertThat(fresh).isNotNull();
            assertThat(fresh.key()).isEqualTo("db.readOnly");
        }
    }

    @Test
    void connectionFailuresAreOneSentenceWithTheCause() throws Exception {
        Path data = work.resolve("data");
        Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // A server that checks passwords: the embedded default of a data directory.
        try (Database embedded = Database.open(Config.of(Map.of(Setting.DATA_DIR, data.toString())))) {
            int port = embedded.embeddedServer().port();
            DatabaseUnavailable wrongPassword = catchThrowableOfType(DatabaseUnavailable.class, () -> Database.open(Config.of(Map.of(
                    Setting.DB_URL, "jdbc:postgresql://127.0.0.1:" + port + "/postgres", Setting.DB_USER, "postgres",
                    Setting.DB_PASSWORD, "not-the-password"))));
            assertThat(wrongPassword.key()).isEqualTo("db.badPassword");
            assertThat(sentence(wrongPassword, "fr")).startsWith("PostgreSQL a refusé le mot de passe de l’utilisateur « postgres »");
            assertThat(wrongPassword.detail()).contains("password authentication failed").doesNotContain("Exception");

            DatabaseUnavailable missing = catchThrowableOfType(DatabaseUnavailable.class, () -> Database.open(Config.of(Map.of(
                    Setting.DB_URL, "jdbc:postgresql://127.0.0.1:" + port + "/publipostage_nowhere", Setting.DB_USER, "postgres",
                    Setting.DB_PASSWORD, embedded.embeddedServer().password()))));
            assertThat(missing.key()).isEqualTo("db.noSuchDatabase");
            assertThat(sentence(missing, "en")).startsWith("Database “publipostage_nowhere” does not exist");
        }

        // Server unreachable, and what the command line prints for it: two lines, no class name.
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/publipostage";
        try (AppProcess cli = AppProcess.start(work, "import", Map.of("PUBLIPOSTAGE_DB_URL", url, "PUBLIPOSTAGE_LANGUAGE", "en"),
                "import", "accounts.csv")) {
            assertThat(cli.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            List<String> lines = cli.log().lines().filter(l -> !l.isBlank() && !l.matches("^\\d\\d:\\d\\d:\\d\\d .*")).toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).isEqualTo("publipostage: The PostgreSQL server " + url
                    + " does not answer: check the host and port of PUBLIPOSTAGE_DB_URL, and that the server runs and accepts network connections.");
            assertThat(lines.get(1)).startsWith("  Connection to 127.0.0.1:" + closed + " refused");
            assertThat(cli.log()).doesNotContain("Exception").doesNotContain("com.zaxxer").doesNotContain("org.postgresql");
        }
    }
}

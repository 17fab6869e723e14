package fr.publipostage.db;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.web.WebFixture;
import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default's server is killed under a running application (SIGKILL of the postmaster,
 * by its PID): the API answers 503 with the sentence and the application is not ready, then the
 * server is started again on the same data directory and the same JVM serves the same data.
 */
class EmbeddedSupervisionIT {
    private static final String PASSWORD = "correct-horse-battery";

    @TempDir
    Path dataDir;

    @Test
    void killedPostmasterIsRestartedAndTheApplicationServesAgain() throws Exception {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Config config = Config.of(Map.of(Setting.DATA_DIR, dataDir.toString(), Setting.DEMO_DATA, "false"));
        List<DatabaseUnavailable> lost = new CopyOnWriteArrayList<>();
        try (App app = new App(config, Database.open(config, lost::add))) {
            app.importer().importCsv(new ByteArrayInputStream(("uai;structure_name;profile;last_name;first_name;login\n"
                    + "0330001A;Lycée Montesquieu;Teacher;Durand;Zoé;zoe.durand\n").getBytes(StandardCharsets.UTF_8)), null);
            app.admins().create("t.super", PASSWORD, true, List.of());
            Javalin server = app.server().start(0);
            try {
                WebFixture.Client admin = WebFixture.loggedIn(server.port(), "t.super", PASSWORD);
                assertThat(admin.get("/api/structures").body()).contains("0330001A");
                assertThat(admin.get("/ready").statusCode()).isEqualTo(200);

                long pid = app.database().embeddedServerPid();
                ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
                long killedAt = System.nanoTime();
                postmaster.destroyForcibly(); // SIGKILL: no shutdown, no clean-up

                // Noticed within seconds: a sentence and 503, not a 500.
                HttpResponse<String> during = awaitStatus(admin, "/api/structures", 503, 5_000);
                assertThat(during.body()).contains("La base de données est indisponible ; nouvel essai dans").doesNotContain("Exception");
                assertThat(during.headers().firstValue("Retry-After")).isPresent();
                // The first attempt waits a second: meanwhile, English too, and not ready.
                HttpResponse<String> english = admin.get("/api/structures?lang=en");
                assertThat(english.statusCode()).isEqualTo(503);
                assertThat(english.body()).contains("The database is unavailable; retrying in");
                HttpResponse<String> notReady = admin.get("/ready");
                assertThat(notReady.statusCode()).isEqualTo(503);
                assertThat(notReady.body()).contains("\"status\":\"not ready\"");

                // Back, in this JVM, on the same data: ready, the same accounts, a new server process.
                awaitStatus(admin, "/ready", 200, 60_000);
                double recovery = (System.nanoTime() - killedAt) / 1e9;
                HttpResponse<String> after = admin.get("/api/structures");
                assertThat(after.statusCode()).isEqualTo(200);
                assertThat(after.body()).contains("0330001A");
                assertThat(admin.get("/api/structures/0330001A/selection").body()).contains("zoe.durand");
                assertThat(app.database().embeddedServerPid()).isNotEqualTo(pid).isPositive();
                assertThat(lost).isEmpty();
                assertThat(Files.readString(dataDir.resolve("postgres.log"))).contains("database system was interrupted");
                System.out.printf("embedded PostgreSQL killed: serving again after %.1f s%n", recovery);
            } finally {
                server.stop();
            }
        }
    }

    private static HttpResponse<String> awaitStatus(WebFixture.Client client, String path, int status, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        HttpResponse<String> last = null;
        while (System.currentTimeMillis() < deadline) {
            last = client.get(path);
            if (last.statusCode() == status) return last;
            Thread.sleep(20);
        }
        throw new AssertionError(path + " never answered " + status + " within " + millis + " ms; last: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }
}

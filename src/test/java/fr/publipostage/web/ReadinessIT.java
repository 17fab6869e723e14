package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.db.Database;
import fr.publipostage.testing.TestDatabase;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ready}: 200 when the database answers, its migrations are applied and the instance is not
 * shutting down; 503 otherwise. {@code /health} stays the liveness answer.
 */
class ReadinessIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private HttpResponse<String> get(Javalin server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyUntilTheInstanceBeginsToShutDown() throws Exception {
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app();
            Javalin server = app.server().start(0);
            try {
                HttpResponse<String> ready = get(server, "/ready");
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).contains("\"status\":\"ready\"").contains("\"database\":\"up\"")
                        .contains("\"migrations\":\"done\"").contains("\"shuttingDown\":false");

                app.beginShutdown();
                HttpResponse<String> stopping = get(server, "/ready");
                assertThat(stopping.statusCode()).isEqualTo(503);
                assertThat(stopping.body()).contains("\"status\":\"not ready\"").contains("\"shuttingDown\":true");
                assertThat(get(server, "/health").statusCode()).as("still alive").isEqualTo(200);
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void anExternalDatabaseThatStopsAnsweringMakesItNotReadyThenReadyAgain() throws Exception {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        // The "external" server: an embedded default run here, which its own supervision starts again after a kill.
        try (Database serverSide = Database.open(Config.of(Map.of(Setting.DATA_DIR, dataDir.toString())))) {
            Properties secret = new Properties();
            try (var in = Files.newInputStream(dataDir.resolve("embedded-postgres.properties"))) {
                secret.load(in);
            }
            Config external = Config.of(Map.of(Setting.DB_URL, "jdbc:postgresql://127.0.0.1:" + secret.getProperty("port") + "/postgres",
                    Setting.DB_USER, "postgres", Setting.DB_PASSWORD, secret.getProperty("password"), Setting.DEMO_DATA, "false"));
            try (App app = new App(external, Database.open(external))) {
                app.admins().create("t.super", "correct-horse-battery", true, List.of());
                Javalin server = app.server().start(0);
                try {
                    WebFixture.Client admin = WebFixture.loggedIn(server.port(), "t.super", "correct-horse-battery");
                    assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
                    ProcessHandle.of(serverSide.embeddedServerPid()).orElseThrow().destroyForcibly();

                    long deadline = System.currentTimeMillis() + 10_000;
                    HttpResponse<String> api = admin.get("/api/structures");
                    while (api.statusCode() != 503 && System.currentTimeMillis() < deadline) {
                        Thread.sleep(20);
                        api = admin.get("/api/structures");
                    }
                    assertThat(api.statusCode()).as(api.body()).isEqualTo(503);
                    assertThat(api.body()).contains("La base de données est indisponible ; nouvel essai dans");
                    assertThat(get(server, "/ready").statusCode()).isEqualTo(503);

                    deadline = System.currentTimeMillis() + 60_000;
                    while (get(server, "/ready").statusCode() != 200 && System.currentTimeMillis() < deadline) Thread.sleep(100);
                    assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
                    assertThat(admin.get("/api/structures").statusCode()).isEqualTo(200);
                } finally {
                    server.stop();
                }
            }
        }
    }
}

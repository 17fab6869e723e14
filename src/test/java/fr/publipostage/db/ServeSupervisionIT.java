package fr.publipostage.db;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.testing.AppProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} in its own JVM on the embedded default, whose server is killed and cannot start again
 * (its configuration broken meanwhile): the process exits non-zero with the reason, so that a service
 * manager restarts it; and a SIGTERM while the database is gone stops it within 5 s.
 */
class ServeSupervisionIT {
    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    private Map<String, String> settings(Path dataDir, String restarts) {
        return Map.of("PUBLIPOSTAGE_DATA_DIR", dataDir.toString(), "PUBLIPOSTAGE_DEMO_DATA", "false",
                "PUBLIPOSTAGE_LANGUAGE", "fr", "PUBLIPOSTAGE_EMBEDDED_DB_RESTARTS", restarts);
    }

    private Path dataDir() throws IOException {
        Path dir = work.resolve("data");
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return dir;
    }

    /** Kills the server (SIGKILL, by its PID from PostgreSQL's postmaster.pid) after breaking its configuration. */
    private static long killForGood(Path dataDir) throws IOException {
        List<String> pidFile = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
        long pid = Long.parseLong(pidFile.get(0).trim());
        Files.writeString(dataDir.resolve("postgres/postgresql.conf"), "\nthis line is not a setting\n",
                StandardOpenOption.APPEND);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        return pid;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void exitsNonZeroWithTheReasonWhenItsDatabaseCannotStartAgain() throws Exception {
        Path data = dataDir();
        try (AppProcess serve = AppProcess.start(work, "serve", settings(data, "2"), "serve", "--port", "0")) {
            int port = serve.awaitServing(Duration.ofSeconds(120));
            assertThat(get(port, "/ready").statusCode()).isEqualTo(200);
            killForGood(data);
            int code = serve.awaitExit(Duration.ofSeconds(60));
            assertThat(code).as(serve.log()).isEqualTo(3);
            assertThat(serve.log()).contains("Le PostgreSQL intégré de " + data + " s’est arrêté et n’a pas pu redémarrer (2 essais)")
                    .contains("syntax error in file").contains("postgresql.conf");
        }
    }

    @Test
    void sigtermWithTheDatabaseGoneStopsWithinFiveSeconds() throws Exception {
        Path data = dataDir();
        try (AppProcess serve = AppProcess.start(work, "serve", settings(data, "5"), "serve", "--port", "0")) {
            int port = serve.awaitServing(Duration.ofSeconds(120));
            killForGood(data);
            long deadline = System.currentTimeMillis() + 10_000;
            while (get(port, "/ready").statusCode() != 503 && System.currentTimeMillis() < deadline) Thread.sleep(50);
            HttpResponse<String> notReady = get(port, "/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(get(port, "/api/structures").body()).contains("La base de données est indisponible ; nouvel essai dans");
            Thread.sleep(1500); // let the background workers meet the outage
            long before = System.nanoTime();
            serve.terminate();
            serve.awaitExit(Duration.ofSeconds(30));
            double seconds = (System.nanoTime() - before) / 1e9;
            System.out.printf("SIGTERM with the database gone: stopped in %.2f s%n", seconds);
            assertThat(seconds).as(serve.log()).isLessThan(5.0);
        }
    }

    @Test
    void aServeKilledWithSigkillLeavesItsServerToTheNextStart() throws Exception {
        Path data = dataDir();
        long postmaster;
        try (AppProcess first = AppProcess.start(work, "first", settings(data, "5"), "serve", "--port", "0")) {
            int port = first.awaitServing(Duration.ofSeconds(120));
            postmaster = Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).trim());
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
            first.awaitExit(Duration.ofSeconds(30));
        }
        // The server outlives the killed JVM (it runs in its own session); the next start takes it over.
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).contains(true);
        try (AppProcess second = AppProcess.start(work, "second", settings(data, "5"), "serve", "--port", "0")) {
            int port = second.awaitServing(Duration.ofSeconds(120));
            assertThat(second.log()).contains("took over the embedded PostgreSQL left running in " + data + " (pid " + postmaster);
            assertThat(get(port, "/ready").statusCode()).isEqualTo(200);
            second.terminate();
            second.awaitExit(Duration.ofSeconds(30)); // 143: ended by SIGTERM, after its shutdown hooks
        }
        // Stopped with the instance that took it over.
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    /** The initdb process creating the cluster of this data directory, if one runs. */
    private static java.util.Optional<ProcessHandle> initdbOf(Path dataDir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").endsWith("/initdb"))
                .filter(p -> String.join(" ", p.info().arguments().orElse(new String[0])).contains(dataDir.toString()))
                .findFirst();
    }

    @Test
    void aFirstStartKilledWhileCreatingItsDatabaseStartsAtTheNextTry() throws Exception {
        Path data = dataDir();
        ProcessHandle initdb;
        try (AppProcess first = AppProcess.start(work, "first", settings(data, "5"), "serve", "--port", "0")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            java.util.Optional<ProcessHandle> running = initdbOf(data);
            while (running.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
                running = initdbOf(data);
            }
            initdb = running.orElseThrow(() -> new AssertionError("initdb never ran:\n" + first.log()));
            first.process().destroyForcibly(); // SIGKILL in the middle of the first start (a container stopped, OOM…)
            first.awaitExit(Duration.ofSeconds(30));
        }
        initdb.onExit().get(120, java.util.concurrent.TimeUnit.SECONDS); // it outlived the JVM and finished alone
        try (AppProcess second = AppProcess.start(work, "second", settings(data, "5"), "serve", "--port", "0")) {
            int port = second.awaitServing(Duration.ofSeconds(120));
            assertThat(get(port, "/ready").statusCode()).isEqualTo(200);
            second.terminate();
            second.awaitExit(Duration.ofSeconds(30));
        }
        // The password file of the killed start is gone: the secret is kept in embedded-postgres.properties only.
        try (var files = Files.list(data)) {
            assertThat(files.map(f -> f.getFileName().toString())).doesNotContain("initdb-password.tmp");
        }
    }
}

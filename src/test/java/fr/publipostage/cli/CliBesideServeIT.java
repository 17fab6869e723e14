package fr.publipostage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.testing.AppProcess;
import fr.publipostage.web.WebFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §4: "Every verb works on the embedded default while {@code serve} runs on the same data
 * directory". {@code serve} runs in its own JVM; the verbs run as an operator types them, each in its
 * own JVM, on the same data directory: they connect to serve's PostgreSQL (its port and password are
 * in the data directory) instead of failing on its lock or starting an empty database of their own.
 */
class CliBesideServeIT {
    private static final String UAI = "0330001A";
    private static final String PASSWORD = "correct-horse-battery";
    private static final int PUPILS = 120;
    private static final int TEACHERS = 6;

    @TempDir
    Path work;

    private Map<String, String> settings(Path data) {
        Map<String, String> s = new HashMap<>();
        s.put("PUBLIPOSTAGE_DATA_DIR", data.toString());
        s.put("PUBLIPOSTAGE_DEMO_DATA", "false");
        s.put("PUBLIPOSTAGE_LANGUAGE", "en");
        s.put("PUBLIPOSTAGE_PDF_DIRECT_MAX", "10");
        s.put("PUBLIPOSTAGE_PDF_THREADS", "1");
        return s;
    }

    private Path accountsFile() throws Exception {
        StringBuilder csv = new StringBuilder("uai;structure_name;profile;last_name;first_name;login;activation_code;email;level;classes\n");
        for (int i = 0; i < PUPILS; i++) {
            csv.append(UAI).append(";Lycée Montesquieu;Student;Élève").append(i).append(";Zoé;eleve.").append(i)
                    .append(";CODE").append(1000 + i).append(";;Seconde;2nde ").append(1 + i % 4).append('\n');
        }
        for (int i = 0; i < TEACHERS; i++) {
            csv.append(UAI).append(";Lycée Montesquieu;Teacher;Professeur").append(i).append(";Anaïs;prof.").append(i)
                    .append(";PROF").append(i).append(";prof").append(i).append("@example.org;;\n");
        }
        Path file = work.resolve("accounts.csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    private AppProcess verb(Path data, String name, String... args) throws Exception {
        return AppProcess.start(work, name, settings(data), args);
    }

    private static int pages(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return doc.getNumberOfPages();
        }
    }

    @Test
    void verbsRunBesideServeOnTheSameDataDirectory() throws Exception {
        Path data = work.resolve("data");
        Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ObjectMapper json = new ObjectMapper();
        try (AppProcess serve = verb(data, "serve", "serve", "--port", "0")) {
            int port = serve.awaitServing(Duration.ofSeconds(120));
            Path secret = data.resolve("embedded-postgres.properties");
            assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            try (AppProcess admin = AppProcess.startWithInput(work, "admin", settings(data), PASSWORD + "\n",
                    "admin", "create", "--login", "t.super", "--super")) {
                assertThat(admin.awaitExit(Duration.ofSeconds(120))).as(admin.log()).isZero();
                assertThat(admin.log()).contains("Admin t.super created").contains("run by another process");
            }
            try (AppProcess importing = verb(data, "import", "import", accountsFile().toString())) {
                assertThat(importing.awaitExit(Duration.ofSeconds(120))).as(importing.log()).isZero();
                assertThat(importing.log()).contains((PUPILS + TEACHERS) + " account(s) created");
            }

            // The web's table shows them at once: same database, no restart.
            WebFixture.Client web = WebFixture.loggedIn(port, "t.super", PASSWORD);
            JsonNode table = json.readTree(web.get("/api/structures/" + UAI + "/selection?profile=Student").body());
            assertThat(table.get("total").asInt()).isEqualTo(PUPILS);
            assertThat(table.get("rows").get(0).get("login").asText()).startsWith("eleve.");

            // The server prints a background job while the command line prints the same letters.
            String base = "/api/structures/" + UAI + "/letters";
            HttpResponse<String> started = web.post(base, Map.of("profile", "Student"), "X-CSRF-Token", web.csrf);
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String job = json.readTree(started.body()).get("url").asText();
            Path pdf = work.resolve("letters.pdf");
            try (AppProcess letters = verb(data, "letters", "letters", "--structure", UAI, "--profile", "Student", "--out", pdf.toString());
                 AppProcess templates = verb(data, "template", "template", "list", "--structure", UAI)) {
                assertThat(letters.awaitExit(Duration.ofSeconds(240))).as(letters.log()).isZero();
                assertThat(templates.awaitExit(Duration.ofSeconds(120))).as(templates.log()).isZero();
                assertThat(templates.log()).contains("print-activation.vm");
            }
            assertThat(pages(Files.readAllBytes(pdf))).isEqualTo(PUPILS);
            long deadline = System.currentTimeMillis() + 240_000;
            JsonNode status = json.readTree(web.get(job).body());
            while (!status.get("state").asText().equals("done") && System.currentTimeMillis() < deadline) {
                assertThat(status.get("state").asText()).isIn("queued", "running");
                Thread.sleep(500);
                status = json.readTree(web.get(job).body());
            }
            assertThat(status.get("state").asText()).as(serve.log()).isEqualTo("done");
            assertThat(pages(web.getBytes(job + "/pdf").body())).isEqualTo(PUPILS);

            // A campaign from the command line, sent beside the server (both sandboxes capture).
            try (AppProcess mail = verb(data, "mail", "mail", "--structure", UAI, "--profile", "Teacher")) {
                assertThat(mail.awaitExit(Duration.ofSeconds(180))).as(mail.log()).isZero();
                assertThat(mail.log()).containsPattern("Campaign #\\d+ finished: " + TEACHERS + " sent, 0 failed");
            }
            // An online backup of serve's database, from the command line.
            try (AppProcess backup = verb(data, "backup", "backup", "--out", work.resolve("backup").toString())) {
                assertThat(backup.awaitExit(Duration.ofSeconds(120))).as(backup.log()).isZero();
                assertThat(backup.log()).contains("Backup done in " + work.resolve("backup"));
            }
            assertThat(work.resolve("backup/postgres/backup_label")).exists();
            assertThat(serve.process().isAlive()).as(serve.log()).isTrue();
            assertThat(web.get("/ready").statusCode()).isEqualTo(200);
        }
    }
}

package fr.publipostage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code export} verb: the web's CSV, the letters' scope, the audit, stdout, and bad filters in one line. */
class ExportCommandIT {
    private static TestDatabase.Fresh db;
    private static App app;
    private static long lycee;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void load() throws Exception {
        db = TestDatabase.fresh();
        app = db.app();
        app.demo().loadIfEmpty();
        // A platform account in the school: hidden from the school's admins, so from the export too.
        app.importer().importCsv(new ByteArrayInputStream(("uai;profile;last_name;first_name;login;activation_code;functions\n"
                + "0330001A;Personnel;Racine;Plateforme;root.platform;ROOT9999;SUPER_ADMIN\n").getBytes(StandardCharsets.UTF_8)), null);
        lycee = app.structureByUai(DemoDirectory.LYCEE_UAI).id();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private int run(String... words) throws Exception {
        return new ExportCommand(out, new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(app, "fr", new Args(List.of(words), Set.of()));
    }

    private byte[] webCsv(Map<String, List<String>> params) {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        app.csv().write(app.selections().parse(lycee, params), Scope.LOCAL_ADMIN, "fr", expected);
        return expected.toByteArray();
    }

    @Test
    void writesTheWebsCsvOfTheFilteredSelectionToAFile() throws Exception {
        Path file = dir.resolve("profs.csv");
        assertThat(run("--structure", "0330001A", "--profile", "Teacher,Personnel", "--activation", "pending",
                "--sort", "class,profile", "--out", file.toString())).isZero();

        byte[] written = Files.readAllBytes(file);
        assertThat(written).isEqualTo(webCsv(Map.of("profile", List.of("Teacher,Personnel"), "activation", List.of("pending"),
                "sort", List.of("class,profile"))));
        String text = new String(written, StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF\"Nom\";\"Prénom\";").contains("\r\n").doesNotContain("root.platform")
                .doesNotContain("ROOT9999");
        long rows = text.lines().count() - 1;
        assertThat(rows).isPositive();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(rows + " compte(s) écrit(s) dans " + file);
        assertThat(Files.exists(dir.resolve("profs.csv.part"))).isFalse();

        AuditEvent event = app.audit().recent(lycee, 1).get(0);
        assertThat(event.action()).isEqualTo(AuditEvent.CSV_EXPORT);
        assertThat(event.adminLogin()).isEqualTo("cli:" + System.getProperty("user.name"));
        assertThat(event.accountCount()).isEqualTo((int) rows);
    }

    @Test
    void writesToStandardOutputWithADash() throws Exception {
        assertThat(run("--structure", "0330001A", "--class", DemoDirectory.DEMO_TUTOR_CLASS, "--out", "-")).isZero();
        assertThat(out.toByteArray()).isEqualTo(webCsv(Map.of("class", List.of(DemoDirectory.DEMO_TUTOR_CLASS))));
        out.reset();
        // Everyone, hidden accounts excepted: the letters' scope, not the operator's.
        assertThat(run("--structure", "0330001A", "--out", "-")).isZero();
        String everyone = out.toString(StandardCharsets.UTF_8);
        assertThat(everyone.lines().count() - 1)
                .isEqualTo(app.selections().list(Selection.everyone(lycee), Scope.LOCAL_ADMIN).size());
        assertThat(everyone).doesNotContain("root.platform");
    }

    @Test
    void refusesBadFiltersAndUnknownOptionsInOneLine() {
        assertThatThrownBy(() -> run("--structure", "0330001A", "--profile", "Wizard", "--out", "-"))
                .isInstanceOf(CliError.class).hasMessage("Profil inconnu : « Wizard ».");
        assertThatThrownBy(() -> run("--structure", "0330001A", "--activation", "maybe", "--out", "-"))
                .isInstanceOf(CliError.class).hasMessageNotContaining("\n");
        assertThatThrownBy(() -> run("--structure", "0330001A", "--layout", "2", "--out", "-"))
                .isInstanceOf(CliError.class).hasMessageContaining("--layout");
        assertThatThrownBy(() -> run("--structure", "9999999Z", "--out", "-"))
                .isInstanceOf(CliError.class).hasMessageContaining("9999999Z");
        assertThatThrownBy(() -> run("--structure", "0330001A"))
                .isInstanceOf(CliError.class).hasMessageContaining("--out");
        assertThat(out.size()).isZero();
    }
}

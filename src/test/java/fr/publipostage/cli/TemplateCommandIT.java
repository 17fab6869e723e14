package fr.publipostage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code template list|get|set|reset|history|rollback}: the operators' way to roll a template out. */
class TemplateCommandIT {
    private static TestDatabase.Fresh db;
    private static App app;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void open() {
        db = TestDatabase.fresh();
        app = db.app();
        app.demo().loadIfEmpty();
    }

    @AfterAll
    static void close() {
        app.close();
    }

    private int run(String stdin, String... words) throws Exception {
        out.reset();
        err.reset();
        return new TemplateCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(app, "fr", new Args(List.of(words), Set.of()));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void setGetListHistoryRollbackReset() throws Exception {
        String uai = DemoDirectory.COLLEGE_UAI;
        assertThat(run("", "get", "--structure", uai, "print-reminder.vm")).isZero();
        String builtin = out();
        assertThat(builtin).contains("$msg.get(");

        Path file = dir.resolve("reminder.vm");
        Files.writeString(file, builtin.replace("<h1>", "<h1>Collège : "), StandardCharsets.UTF_8);
        assertThat(run("", "set", "--structure", uai, "print-reminder.vm", file.toString(), "--comment", "rentrée")).isZero();
        assertThat(out()).contains("version 1");

        assertThat(run("", "list", "--structure", uai)).isZero();
        assertThat(out()).contains("print-reminder.vm\tpersonnalisé\tv1\tcli:").contains("rentrée")
                .contains("print-activation.vm\td’origine\t-");
        // The other school is untouched.
        assertThat(run("", "list", "--structure", DemoDirectory.LYCEE_UAI)).isZero();
        assertThat(out()).doesNotContain("personnalisé");

        assertThat(run("", "get", "--structure", uai, "print-reminder.vm")).isZero();
        assertThat(out()).contains("<h1>Collège : ");
        // From standard input.
        assertThat(run(builtin.replace("<h1>", "<h1>Bis "), "set", "--structure", uai, "print-reminder.vm", "-")).isZero();
        assertThat(run("", "history", "--structure", uai, "print-reminder.vm")).isZero();
        assertThat(out()).startsWith("v2\tsave").contains("v1\tsave");

        assertThat(run("", "rollback", "--structure", uai, "print-reminder.vm", "1")).isZero();
        assertThat(run("", "get", "--structure", uai, "print-reminder.vm")).isZero();
        assertThat(out()).contains("<h1>Collège : ");

        assertThat(run("", "reset", "--structure", uai, "print-reminder.vm")).isZero();
        assertThat(out()).contains("retour au modèle par défaut");
        assertThat(run("", "get", "--structure", uai, "print-reminder.vm")).isZero();
        assertThat(out()).isEqualTo(builtin);
    }

    @Test
    void aRefusedTemplateExitsNonZeroWithItsReasonsAndChangesNothing() throws Exception {
        String uai = DemoDirectory.LYCEE_UAI;
        Path file = dir.resolve("broken.vm");
        Files.writeString(file, "<div class=\"letter\">\n<p>$account.prenom</p>\n</div>\n", StandardCharsets.UTF_8);
        assertThat(run("", "set", "--structure", uai, "print-activation.vm", file.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("print-activation.vm refusé pour " + uai)
                .contains("rien n’a changé").contains("prenom");
        assertThat(run("", "history", "--structure", uai, "print-activation.vm")).isZero();
        assertThat(out()).isEmpty();
    }

    @Test
    void badInputIsAOneLineReason() {
        assertThatThrownBy(() -> run("", "get", "--structure", "0330001A", "nosuch.vm")).isInstanceOf(CliError.class)
                .hasMessageContaining("nosuch.vm");
        assertThatThrownBy(() -> run("", "list", "--structure", "9999999Z")).isInstanceOf(CliError.class)
                .satisfies(e -> assertThat(french(e)).isEqualTo("établissement inconnu : 9999999Z"));
        assertThatThrownBy(() -> run("", "set", "--structure", "0330001A", "print-card.vm", "/no/such/file"))
                .isInstanceOf(CliError.class).satisfies(e -> assertThat(french(e)).startsWith("fichier introuvable"));
        assertThatThrownBy(() -> run("", "explode", "--structure", "0330001A")).isInstanceOf(CliError.class)
                .satisfies(e -> assertThat(french(e)).startsWith("usage : template"));
    }

    /** The sentence the operator reads (French by default). */
    private static String french(Throwable e) {
        return ((CliError) e).message(new fr.publipostage.templates.Messages(), "fr");
    }
}

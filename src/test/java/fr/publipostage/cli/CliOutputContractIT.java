package fr.publipostage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.testing.AppProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the command line's output goes, as operators' scripts rely on it (DESIGN.md §4 "Command line",
 * README "Command line", "Exporting the list", "Customise a school's letters"): each verb runs in its own
 * JVM as an operator types it, with standard output and standard error kept apart.
 *
 * <ul>
 *   <li>{@code export … --out -} writes the CSV to standard output (the count goes to stderr): standard
 *       output is then the CSV file, byte for byte, starting with its BOM;</li>
 *   <li>{@code template get … NAME > file} (README's own example) gives the template, nothing else;</li>
 *   <li>bad input: "non-zero with a one-line reason" (DESIGN), "a one-line reason on stderr in
 *       PUBLIPOSTAGE_LANGUAGE (French by default) and exit code 2" (README).</li>
 * </ul>
 */
class CliOutputContractIT {
    private static final String UAI = "0330077K";

    @TempDir
    static Path work;

    private static Path data;

    /** One run of a verb: exit code, standard output (bytes), standard error (text). */
    record Run(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private static Run run(String... args) throws Exception {
        // Standard output and standard error apart (AppProcess's own start merges them).
        ProcessBuilder pb = AppProcess.builder(work, Map.of("PUBLIPOSTAGE_DATA_DIR", data.toString(),
                "PUBLIPOSTAGE_DEMO_DATA", "false"), args);
        Path out = Files.createTempFile(work, "stdout", ".bin");
        Path err = Files.createTempFile(work, "stderr", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("still running: " + pb.command());
        }
        return new Run(p.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void school() throws Exception {
        data = work.resolve("data");
        Path accounts = work.resolve("accounts.csv");
        Files.writeString(accounts, "uai;structure_name;profile;last_name;first_name;login;activation_code;email;level;classes;created_at\n"
                + UAI + ";Collège Contrat;Student;Durand;Zoé;zoe.durand;ABCD2345;;Sixième;6e A;2024-09-01\n"
                + UAI + ";Collège Contrat;Teacher;Petit;Léa;lea.petit;WXYZ6789;lea@example.org;;6e A;2024-09-02\n",
                StandardCharsets.UTF_8);
        Run imported = run("import", accounts.toString());
        assertThat(imported.exit()).as(imported.out() + imported.stderr()).isZero();
    }

    /** README: "`--out -` writes the CSV to standard output (the count goes to stderr)". */
    @Test
    void exportToStandardOutputWritesTheCsvAloneOnStdout() throws Exception {
        Path file = work.resolve("list.csv");
        Run toFile = run("export", "--structure", UAI, "--out", file.toString());
        assertThat(toFile.exit()).as(toFile.stderr()).isZero();
        byte[] expected = Files.readAllBytes(file);

        Run toStdout = run("export", "--structure", UAI, "--out", "-");
        assertThat(toStdout.exit()).as(toStdout.stderr()).isZero();
        // A script pipes this into a file or a spreadsheet: the BOM first, then only the CSV's rows.
        assertThat(toStdout.out()).startsWith("\uFEFF\"Nom\";\"Prénom\";");
        assertThat(toStdout.stdout()).isEqualTo(expected);
        assertThat(toStdout.stderr()).contains("2 compte(s) écrit(s)");
    }

    /** README's own example: {@code template get --structure UAI print-activation.vm > activation.vm}. */
    @Test
    void templateGetOnStandardOutputIsTheTemplateAlone() throws Exception {
        Path file = work.resolve("card.vm");
        Run toFile = run("template", "get", "--structure", UAI, "print-card.vm", file.toString());
        assertThat(toFile.exit()).as(toFile.stderr()).isZero();
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(expected).startsWith("##");

        Run toStdout = run("template", "get", "--structure", UAI, "print-card.vm");
        assertThat(toStdout.exit()).as(toStdout.stderr()).isZero();
        assertThat(toStdout.out()).isEqualTo(expected);
    }

    /** README: bad input is "a one-line reason on stderr in PUBLIPOSTAGE_LANGUAGE (French by default) and exit code 2". */
    @Test
    void anOutputFileInAMissingFolderIsOneFrenchLineAndExitCode2() throws Exception {
        Path missing = work.resolve("no-such-folder").resolve("list.csv");
        Run run = run("export", "--structure", UAI, "--out", missing.toString());
        assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr().lines().toList()).as(run.stderr()).hasSize(1);
        assertThat(run.stderr()).startsWith("publipostage: ").doesNotContain("Exception").doesNotContain(".part");
    }

    /** DESIGN: "non-zero with a one-line reason on bad input"; README: French by default, exit code 2. */
    @Test
    void renderHtmlOfABadlyFormedFileIsOneFrenchLineAndExitCode2() throws Exception {
        Path bad = work.resolve("bad.xhtml");
        Files.writeString(bad, "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>pas fermé</body></html>", StandardCharsets.UTF_8);
        Run run = run("render-html", bad.toString(), work.resolve("bad.pdf").toString());
        assertThat(run.exit()).as(run.stderr()).isNotZero();
        assertThat(run.stderr().lines().toList()).as(run.stderr()).hasSize(1);
        assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).startsWith("publipostage: ").doesNotContain("Exception").doesNotContain("[Fatal Error]");
    }
}

package fr.publipostage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line speaks French by default (PUBLIPOSTAGE_LANGUAGE unset), errors and help alike. */
class MainTest {
    private static String stderrOf(List<String> argv, int expectedExit) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(argv)).isEqualTo(expectedExit);
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badInputIsReportedInFrench() {
        assertThat(stderrOf(List.of("explode"), 2)).startsWith("publipostage: commande inconnue « explode »")
                .contains("backup, restore");
        // Issue 19's verbs too: a usage error before any database is opened.
        assertThat(stderrOf(List.of("restore"), 2)).startsWith("publipostage: usage : restore DOSSIER");
        assertThat(stderrOf(List.of("render-html", "only-one.xhtml"), 2)).contains("usage : render-html");
        assertThat(stderrOf(List.of("render-html", "/no/such.xhtml", "/tmp/out.pdf"), 2)).contains("fichier introuvable");
    }

    @Test
    void helpIsFrench() {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(List.of("help"))).isZero();
        } finally {
            System.setOut(saved);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("commandes : serve").contains("FICHIER.csv")
                .contains("admin reset-password --login L").contains("backup --out DOSSIER").contains("restore DOSSIER");
    }
}

package fr.publipostage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: what the command line says about unusable settings and refused {@code admin create} is in
 * French unless {@code PUBLIPOSTAGE_LANGUAGE=en}: the real jar's main class in a new JVM, its stderr read.
 */
class CliLanguageIT {
    private static TestDatabase.Fresh db;

    @BeforeAll
    static void start() {
        db = TestDatabase.fresh();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    record Run(int exit, String stderr) {
    }

    private static Run main(Map<String, String> settings, String stdin, String... args) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "fr.publipostage.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("PUBLIPOSTAGE_"));
        // An empty working directory: no publipostage.properties of the project is read.
        Path workDir = Files.createTempDirectory("cli-language");
        pb.directory(workDir.toFile());
        pb.environment().putAll(settings);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        return new Run(p.exitValue(), err);
    }

    private static Map<String, String> database(String language) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PUBLIPOSTAGE_DB_URL", db.jdbcUrl(),
                "PUBLIPOSTAGE_DB_USER", "postgres", "PUBLIPOSTAGE_DB_POOL_SIZE", "2", "PUBLIPOSTAGE_DEMO_DATA", "false"));
        if (language != null) env.put("PUBLIPOSTAGE_LANGUAGE", language);
        return env;
    }

    @Test
    void anUnusableSettingIsExplainedInFrenchByDefaultAndInEnglishWhenAsked() throws Exception {
        Run french = main(Map.of("PUBLIPOSTAGE_PORT", "abc"), "", "serve");
        assertThat(french.exit()).isEqualTo(2);
        assertThat(french.stderr()).contains("PUBLIPOSTAGE_PORT doit être un nombre entier, reçu « abc »")
                .doesNotContain("Exception").doesNotContain("\tat ");
        Run english = main(Map.of("PUBLIPOSTAGE_PORT", "abc", "PUBLIPOSTAGE_LANGUAGE", "en"), "", "serve");
        assertThat(english.exit()).isEqualTo(2);
        assertThat(english.stderr()).contains("PUBLIPOSTAGE_PORT must be a whole number, got \"abc\"");
        Run missing = main(Map.of("PUBLIPOSTAGE_CONFIG", "/nonexistent/publipostage.properties"), "", "serve");
        assertThat(missing.stderr()).contains("fichier de réglages introuvable : /nonexistent/publipostage.properties");
    }

    @Test
    void refusedAdminCreationsAreExplainedInFrenchByDefaultAndInEnglishWhenAsked() throws Exception {
        Run shortPassword = main(database(null), "court\n", "admin", "create", "--login", "secretariat", "--super");
        assertThat(shortPassword.exit()).isEqualTo(2);
        assertThat(shortPassword.stderr()).contains("le mot de passe doit compter au moins 10 caractères");
        Run unknown = main(database(null), "un-mot-de-passe-long\n", "admin", "create", "--login", "secretariat",
                "--structure", "9999999Z");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("établissement inconnu parmi : 9999999Z");
        Run english = main(database("en"), "un-mot-de-passe-long\n", "admin", "create", "--login", "a b", "--super");
        assertThat(english.exit()).isEqualTo(2);
        assertThat(english.stderr()).contains("login must be 3 to 64 letters, digits, dots, dashes or underscores");
    }
}

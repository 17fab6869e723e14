package fr.publipostage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandIT {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(App app, String lang, String... words) throws Exception {
        return new ImportCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(app, lang, new Args(List.of(words), Set.of("dry-run")));
    }

    @Test
    void reportsEveryBadLineWithItsNumberAndImportsNothing() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "uai;structure_name;profile;last_name;first_name;login\r\n"
                + "0330001A;Lycée;Student;Bon;Élève;ok.login\r\n"
                + "0330001A;Lycée;Sorcier;Mauvais;Profil;bad.profile\r\n"
                + "0330001A;Lycée;Student;;Sans nom;no.name\r\n", StandardCharsets.UTF_8);
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app();
            assertThat(run(app, "fr", file.toString())).isEqualTo(1);
            String errors = err.toString(StandardCharsets.UTF_8);
            assertThat(errors).contains("rien n’a été importé : 2 problème(s)")
                    .contains("ligne 3, colonne profile : profil inconnu « Sorcier »")
                    .contains("ligne 4, colonne last_name : valeur obligatoire absente");
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        }
    }

    @Test
    void importsAGoodFileAndSaysWhatItDidInEnglish() throws Exception {
        Path file = dir.resolve("good.csv");
        Files.writeString(file, "profile,last_name,first_name,login,classes\nStudent,Lemaître,Anatole,anatole.lemaitre,2nde 1\n");
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app();
            app.demo().loadIfEmpty();
            assertThat(run(app, "en", file.toString(), "--structure", "0330001A")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 account(s) created, 0 updated").contains("0330001A");
        }
    }

    @Test
    void refusesUnknownOptionsAndMissingFilesInOneLine() throws Exception {
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app();
            assertThatThrownBy(() -> run(app, "fr", "x.csv", "--structur", "0330001A")).isInstanceOf(CliError.class)
                    .hasMessageContaining("--structur");
            assertThatThrownBy(() -> run(app, "fr", dir.resolve("missing.csv").toString())).isInstanceOf(CliError.class)
                    .hasMessageContaining("file not found");
        }
    }

    @Test
    void adminCreateReadsThePasswordFromStdin() throws Exception {
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app();
            app.demo().loadIfEmpty();
            AdminCommand command = new AdminCommand(new ByteArrayInputStream("un-mot-de-passe-long\n".getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(command.run(app, "fr", new Args(List.of("create", "--login", "secretariat", "--structure", "0330001A"), Set.of("super")))).isZero();
            assertThat(app.admins().authenticate("secretariat", "un-mot-de-passe-long")).isPresent();
            assertThat(app.admins().authenticate("secretariat", "wrong-password")).isEmpty();
            assertThat(app.admins().structuresOf(app.admins().authenticate("secretariat", "un-mot-de-passe-long").orElseThrow()))
                    .containsExactly("0330001A");
            AdminCommand again = new AdminCommand(new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThatThrownBy(() -> again.run(app, "fr", new Args(List.of("create", "--login", "other", "--super"), Set.of("super"))))
                    .isInstanceOf(CliError.class).hasMessageContaining("10 characters");
        }
    }

    @Test
    void dryRunWritesNothingAndAnImportIsAudited() throws Exception {
        Path file = dir.resolve("new.csv");
        Files.writeString(file, "profile;last_name;first_name;login;classes\nStudent;Lemaître;Anatole;anatole.lemaitre;2nde 1\n");
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app();
            app.demo().loadIfEmpty();
            long lycee = app.structureByUai("0330001A").id();
            int before = app.audit().recent(lycee, 100).size();
            assertThat(run(app, "fr", file.toString(), "--structure", "0330001A", "--dry-run")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Essai (rien n’a été écrit)").contains("1 compte(s) à créer")
                    .contains("Comptes nouveaux (1)").contains("Anatole Lemaître (anatole.lemaitre)");
            assertThat(app.audit().recent(lycee, 100)).hasSize(before);
            assertThat(app.selections().list(fr.publipostage.selection.Selection.everyone(lycee),
                    fr.publipostage.selection.Scope.EVERYTHING)).noneMatch(a -> a.login().equals("anatole.lemaitre"));

            assertThat(run(app, "fr", file.toString(), "--structure", "0330001A")).isZero();
            var event = app.audit().recent(lycee, 1).get(0);
            assertThat(event.action()).isEqualTo("account-import");
            assertThat(event.adminLogin()).isEqualTo("cli:" + System.getProperty("user.name"));
            assertThat(event.details()).contains("new.csv").contains("\"created\": 1");
        }
    }
}

package fr.publipostage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.directory.PostalAddress;
import fr.publipostage.directory.Profile;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionMapper;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import-addresses}: header-driven (native or French column names, {@code ;} or {@code ,}, BOM),
 * keyed by login or Id Siecle / Id, all or nothing with every problem by line and column (the 38
 * characters, the French postcode), the original text kept; the "postal address" filter and count.
 */
class ImportAddressesCommandIT {
    private static TestDatabase.Fresh db;
    private static App app;
    private static long lyceeId;
    private static List<Account> parents;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void load() {
        db = TestDatabase.fresh();
        app = db.app();
        app.demo().loadIfEmpty();
        lyceeId = app.structureByUai(DemoDirectory.LYCEE_UAI).id();
        parents = app.selections().list(app.selections().parse(lyceeId, Map.of("profile", List.of("Relative"))), Scope.LOCAL_ADMIN);
    }

    @AfterAll
    static void close() {
        app.close();
        db.close();
    }

    private int run(String lang, String... words) throws Exception {
        out.reset();
        err.reset();
        return new ImportAddressesCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(app, lang, new Args(List.of(words), Set.of()));
    }

    private static Account account(String login) {
        return app.selections().list(Selection.everyone(lyceeId), Scope.LOCAL_ADMIN).stream()
                .filter(a -> a.login().equals(login)).findFirst().orElseThrow();
    }

    @Test
    void demoParentsMostlyHaveAnAddressAndTheFilterSplitsThem() {
        Selection all = app.selections().parse(lyceeId, Map.of("profile", List.of("Relative")));
        Selection with = app.selections().parse(lyceeId, Map.of("profile", List.of("Relative"), "postal", List.of("with")));
        Selection without = app.selections().parse(lyceeId, Map.of("profile", List.of("Relative"), "postal", List.of("without")));
        List<Account> withList = app.selections().list(with, Scope.LOCAL_ADMIN);
        List<Account> withoutList = app.selections().list(without, Scope.LOCAL_ADMIN);
        assertThat(withList).isNotEmpty().allSatisfy(a -> assertThat(a.postalAddress()).isNotNull());
        assertThat(withoutList).isNotEmpty().allSatisfy(a -> assertThat(a.postalAddress()).isNull());
        SelectionMapper.Counts counts = app.selections().count(all, Scope.LOCAL_ADMIN);
        assertThat(withList.size() + withoutList.size()).isEqualTo(counts.total());
        assertThat(counts.withoutPostal()).isEqualTo(withoutList.size());
        assertThat(withoutList.size()).isBetween(counts.total() / 20, counts.total() / 5);
        assertThat(with.toParameters()).containsEntry("postal", List.of("with"));
        // Teachers have no address in the demo: "without" keeps them all.
        Selection teachers = app.selections().parse(lyceeId, Map.of("profile", List.of("Teacher"), "postal", List.of("with")));
        assertThat(app.selections().count(teachers, Scope.LOCAL_ADMIN).total()).isZero();
    }

    @Test
    void importsByLoginWithFrenchHeadersCommasAndBomKeepingTheOriginalText() throws Exception {
        Account first = parents.get(0);
        Account second = parents.get(1);
        Path file = dir.resolve("adresses.csv");
        Files.writeString(file, "\uFEFFIdentifiant,Nom,Adresse ligne 1,Adresse ligne 2,Code postal,Commune,Pays\r\n"
                + first.login() + "," + first.lastName() + ",\"12, rue de l'Église\",Bât. B,33 000,Bordeaux,\r\n"
                + second.login() + "," + second.lastName() + ",Unter den Linden 5,,10117,Berlin,Deutschland\r\n", StandardCharsets.UTF_8);
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 ligne(s), 2 adresse(s) enregistrée(s), 0 effacée(s)");
        assertThat(account(first.login()).postalAddress())
                .isEqualTo(new PostalAddress("12, rue de l'Église", "Bât. B", null, null, "33 000", "Bordeaux", null));
        assertThat(account(second.login()).country()).isEqualTo("Deutschland");
        assertThat(app.audit().recent(lyceeId, 3)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditEvent.ADDRESS_IMPORT);
            assertThat(e.accountCount()).isEqualTo(2);
        });
        // An empty address removes it.
        Files.writeString(file, "login;address_line1;postcode;city\n" + second.login() + ";;;\n", StandardCharsets.UTF_8);
        assertThat(run("en", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 line(s), 0 address(es) stored, 1 removed");
        assertThat(account(second.login()).postalAddress()).isNull();
    }

    @Test
    void refusesTheWholeFileWithEveryProblemByLineAndColumn() throws Exception {
        Account a = parents.get(2);
        Account b = parents.get(3);
        PostalAddress before = account(a.login()).postalAddress();
        Path file = dir.resolve("bad.csv");
        String line39 = "12 AVENUE DU MARECHAL DE LATTRE TASSIGN";
        assertThat(line39).hasSize(39);
        Files.writeString(file, "login;address_line1;address_line2;postcode;city;country\n"
                + a.login() + ";1 rue Neuve;;33000;Bordeaux;\n"                        // line 2: fine, but not written
                + b.login() + ";" + line39 + ";;33000;Bordeaux;\n"                     // line 3: 39 characters
                + "nobody.here;1 rue X;;33000;Bordeaux;\n"                              // line 4: unknown login
                + a.login() + ";2 rue Y;;1000;Bourg-en-Bresse;\n"                       // line 5: lost leading zero
                + b.login() + ";3 rue Z;;33000;" + "A".repeat(33) + ";\n"               // line 6: last line of 39
                + b.login() + ";4 rue W;;;Bordeaux;\n", StandardCharsets.UTF_8);        // line 7: no postcode
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).isEqualTo(1);
        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(errors).contains("rien n’a été importé : 5 problème(s)")
                .contains("ligne 3, colonne address_line1 : ligne de 39 caractères")
                .contains("ligne 4, colonne login : aucun compte « nobody.here »")
                .contains("ligne 5, colonne postcode : code postal « 1000 » : 4 chiffres seulement")
                .contains("(écrivez 01000)")
                .contains("ligne 6, colonne city : ligne de 39 caractères")
                .contains("ligne 7, colonne postcode : code postal absent");
        assertThat(account(a.login()).postalAddress()).isEqualTo(before);
        // An account named twice, in English.
        Files.writeString(file, "login;address_line1;postcode;city\n" + a.login() + ";1 rue A;33000;Bordeaux\n"
                + a.login() + ";1 rue B;33000;Bordeaux\n", StandardCharsets.UTF_8);
        assertThat(run("en", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 3, column login: account \"" + a.login() + "\" already named on line 2");
    }

    @Test
    void namesPeopleBySiecleIdOrExternalIdWhenTheLoginCellIsEmpty() throws Exception {
        Account a = parents.get(4);
        Account b = parents.get(5);
        try (Connection c = db.database().dataSource().getConnection();
             Statement st = c.createStatement()) {
            st.executeUpdate("update account set siecle_id = '1234567', external_id = 'ent-" + b.id() + "' where id = " + a.id());
            st.executeUpdate("update account set external_id = 'ext-" + b.id() + "' where id = " + b.id());
        }
        Path file = dir.resolve("siecle.csv");
        Files.writeString(file, "Identifiant;Id Siecle;Id;Adresse ligne 1;Code postal;Commune\n"
                + ";1234567;;5 rue Nozières;97110;Pointe-à-Pitre\n"
                + ";;ext-" + b.id() + ";Lieu-dit les Granges;24200;Sarlat-la-Canéda\n", StandardCharsets.UTF_8);
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(account(a.login()).city()).isEqualTo("Pointe-à-Pitre");
        assertThat(account(b.login()).addressLine1()).isEqualTo("Lieu-dit les Granges");
    }

    @Test
    void refusesBadHeadersAndUnknownSchoolsInOneSentence() throws Exception {
        Path file = dir.resolve("h.csv");
        Files.writeString(file, "login;adress_line1;city\nx;1 rue A;Bordeaux\n", StandardCharsets.UTF_8);
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("ligne 1, colonne adress_line1 : colonne inconnue « adress_line1 »");
        // Columns of a SIECLE export that are not ours are ignored; one that reads like ours but is not, refuses.
        Files.writeString(file, "login;Nom de famille;Civilité;Adresse mail;Téléphone portable;Ligne 1 adresse;Code postal;Commune\n"
                + parents.get(6).login() + ";X;Mme;x@example.fr;0600000000;4 rue Neuve;33000;Bordeaux\n", StandardCharsets.UTF_8);
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(account(parents.get(6).login()).addressLine1()).isEqualTo("4 rue Neuve");
        Files.writeString(file, "login;Code post.;city\nx;33000;Bordeaux\n", StandardCharsets.UTF_8);
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("colonne inconnue « Code post. »");
        Files.writeString(file, "nom;address_line1;city\nx;1 rue A;Bordeaux\n", StandardCharsets.UTF_8);
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("aucune colonne ne désigne les comptes");
        assertThat(run("fr", file.toString(), "--structure", "0999999Z")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("établissement 0999999Z inconnu");
        // UTF-8 (Bègles) then a Windows-1252 byte further down: mixed encodings are refused in one sentence.
        Files.write(file, new byte[] {'l', 'o', 'g', 'i', 'n', ';', 'c', 'i', 't', 'y', '\n', 'x', ';', 'B', (byte) 0xC3, (byte) 0xA8,
            'g', 'l', 'e', 's', '\n', 'y', ';', (byte) 0xE9, '\n'});
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("UTF-8");
        assertThatThrownBy(() -> run("fr", file.toString())).isInstanceOf(CliError.class)
                .satisfies(e -> assertThat(((CliError) e).message(new fr.publipostage.templates.Messages(), "fr")).contains("--structure"));
        assertThat(Profile.Relative).isNotNull();
    }

    @Test
    void theNativeImportTakesAddressColumnsInAnyOrderAndTheEntExportItsIdentifiers() throws Exception {
        String csv = "city;login;profile;last_name;first_name;postcode;address_line1;country;address_line2\n"
                + "Talence;nouveau.parent;Parent;Nouveau;Parent;33400;3 rue de la Paix;;Résidence les Pins\n"
                + "Berlin;autre.parent;Parent;Autre;Parent;10117;Unter den Linden 5;Allemagne;\n";
        app.importer().importCsv(new java.io.ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), DemoDirectory.LYCEE_UAI);
        assertThat(account("nouveau.parent").postalAddress())
                .isEqualTo(new PostalAddress("3 rue de la Paix", "Résidence les Pins", null, null, "33400", "Talence", null));
        assertThat(fr.publipostage.directory.PostalRules.shown(account("nouveau.parent").postalAddress()))
                .containsExactly("Résidence les Pins", "3 RUE DE LA PAIX", "33400 TALENCE");
        assertThat(account("autre.parent").country()).isEqualTo("Allemagne");
        // The 38 characters and the French postcode, by line and column; nothing written.
        String bad = "login;profile;last_name;first_name;address_line1;postcode;city\n"
                + "nouveau.parent;Parent;Nouveau;Parent;12 AVENUE DU MARECHAL DE LATTRE TASSIGNY;33400;Talence\n"
                + "autre.parent;Parent;Autre;Parent;1 rue X;334;Talence\n";
        assertThatThrownBy(() -> app.importer().importCsv(new java.io.ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8)),
                DemoDirectory.LYCEE_UAI)).isInstanceOfSatisfying(fr.publipostage.directory.ImportRejected.class, e -> {
                    assertThat(e.problems()).extracting(p -> p.line() + ":" + p.column() + ":" + p.reason())
                            .containsExactly("2:address_line1:address.lineTooLong", "3:postcode:address.postcodeFrance");
                });
        assertThat(account("nouveau.parent").addressLine1()).isEqualTo("3 rue de la Paix");
        // A file without address columns leaves the addresses alone.
        String noAddress = "login;profile;last_name;first_name\nnouveau.parent;Parent;Nouveau;Parent\n";
        app.importer().importCsv(new java.io.ByteArrayInputStream(noAddress.getBytes(StandardCharsets.UTF_8)), DemoDirectory.LYCEE_UAI);
        assertThat(account("nouveau.parent").city()).isEqualTo("Talence");

        // The ENT's export: its Id and Identifiant SIECLE are kept, and an address file can name people by them.
        String ent = "Id;Identifiant SIECLE;Type;Nom;Prénom;Identifiant;Login personnalisé (Alias);Code d'activation;Fonctions;"
                + "Établissements;Classes;Enfants;Parents;Dernière connexion;Courriel;Téléphone\n"
                + "f81d4fae-7dec;4455667;Relative;Siecle;Parent;siecle.parent;;ABCDEFGH;;0330001A - Lycée Montesquieu;;;;;;\n";
        app.importer().importCsv(new java.io.ByteArrayInputStream(ent.getBytes(StandardCharsets.UTF_8)), DemoDirectory.LYCEE_UAI);
        Path file = dir.resolve("by-siecle.csv");
        Files.writeString(file, "Id Siecle;Adresse ligne 1;Code postal;Commune\n4455667;8 rue Sainte-Catherine;33000;Bordeaux\n",
                StandardCharsets.UTF_8);
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(account("siecle.parent").city()).isEqualTo("Bordeaux");
        Files.writeString(file, "Id;Adresse ligne 1;Code postal;Commune\nf81d4fae-7dec;9 rue Sainte-Catherine;33000;Bordeaux\n",
                StandardCharsets.UTF_8);
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).isZero();
        assertThat(account("siecle.parent").addressLine1()).isEqualTo("9 rue Sainte-Catherine");
    }

    /** The file saved again by Excel ("CSV (séparateur : point-virgule)") is Windows-1252: read as such, as the account import does. */
    @Test
    void aFileSavedByExcelInWindows1252IsReadWithItsAccents() throws Exception {
        Account parent = parents.get(2);
        Path file = dir.resolve("adresses-excel.csv");
        Files.writeString(file, "Identifiant;Adresse ligne 1;Adresse ligne 2;Code postal;Commune\r\n"
                + parent.login() + ";5 rue Nozières;Résidence Les Aubépines;97110;Pointe-à-Pitre\r\n",
                java.nio.charset.Charset.forName("windows-1252"));
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(account(parent.login()).postalAddress())
                .isEqualTo(new PostalAddress("5 rue Nozières", "Résidence Les Aubépines", null, null, "97110", "Pointe-à-Pitre", null));
        // A spreadsheet is not a CSV file: one sentence, nothing read.
        Files.write(file, new byte[] {'P', 'K', 3, 4, 20, 0, 6, 0});
        assertThat(run("fr", file.toString(), "--structure", DemoDirectory.LYCEE_UAI)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("CSV");
    }

    /** Review: ImportRejected lists at most AccountImporter.MAX_LISTED_PROBLEMS; the address importer lists every one. */
    @Test
    void aFileOfManyBadLinesListsAtMostTheImportsLimit() {
        StringBuilder csv = new StringBuilder("login;address_line1;postcode;city\n");
        for (int i = 0; i < 50_000; i++) csv.append(parents.get(0).login()).append(";1 rue A;1000;Bourg\n");
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.addresses().run(new java.io.ByteArrayInputStream(bytes),
                        DemoDirectory.LYCEE_UAI, false))
                .isInstanceOfSatisfying(fr.publipostage.directory.ImportRejected.class, e -> assertThat(e.problems())
                        .as("problems listed, of %d", e.total())
                        .hasSizeLessThanOrEqualTo(fr.publipostage.directory.AccountImporter.MAX_LISTED_PROBLEMS));
    }

    /**
     * Review: recognises() takes the separator from the first non-blank line, run() from the first line:
     * a comma-separated file opening with a blank line is sent to the address importer, then refused by it.
     */
    @Test
    void aBlankFirstLineDoesNotChangeTheSeparator() throws Exception {
        String csv = "login,address_line1,postcode,city\n" + parents.get(4).login() + ",1 rue Neuve,33000,Bordeaux\n";
        byte[] plain = csv.getBytes(StandardCharsets.UTF_8);
        byte[] blankFirst = ("\r\n" + csv).getBytes(StandardCharsets.UTF_8);
        assertThat(app.addresses().run(new java.io.ByteArrayInputStream(plain), DemoDirectory.LYCEE_UAI, false).lines()).isEqualTo(1);
        assertThat(fr.publipostage.directory.AddressImporter.recognises(blankFirst)).isTrue();
        assertThat(app.addresses().run(new java.io.ByteArrayInputStream(blankFirst), DemoDirectory.LYCEE_UAI, false).lines())
                .isEqualTo(1);
    }
}

package fr.publipostage.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import fr.publipostage.App;
import fr.publipostage.directory.EntExport.Layout;
import fr.publipostage.directory.EntExport.Person;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ENT's two account exports imported exactly as entcore writes them (see {@link EntExport}):
 * BOM or not, LF or CRLF, French types, functions and schools each followed by ", ", relatives named
 * "Prénom Nom" and resolved in the file, then in the school, ignoring case and accents.
 */
class EntImportIT {
    private static final String LYCEE = "0330001A";
    private static final String COLLEGE = "0330002B";

    private TestDatabase.Fresh db;
    private App app;

    @BeforeEach
    void setUp() {
        db = TestDatabase.fresh();
        app = db.app();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private ImportReport run(byte[] file, String uai) throws Exception {
        return app.importer().run(new ByteArrayInputStream(file), ImportOptions.operator(uai, true));
    }

    private ImportReport dryRun(byte[] file, String uai) throws Exception {
        return app.importer().run(new ByteArrayInputStream(file), ImportOptions.operator(uai, false));
    }

    private Map<String, Account> accounts(String uai) {
        Structure s = app.structureByUai(uai);
        if (s == null) return Map.of();
        return app.selections().list(Selection.everyone(s.id()), Scope.EVERYTHING).stream()
                .collect(Collectors.toMap(Account::login, a -> a));
    }

    /**
     * The read columns the importer wrote (computed before inserting new accounts, refreshed for the
     * changed ones) are what a full refresh computes: it finds nothing to rewrite.
     */
    private void assertReadColumnsRight() throws Exception {
        try (var c = db.database().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("select refresh_account_read_columns(array(select id from structure))")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows a full refresh of the read columns had to correct").isZero();
        }
    }

    /** A lycée as its ENT exports it from the directory (entcore's export.id.txt). */
    private static EntExport lyceeDirectoryExport() {
        return new EntExport(Layout.DIRECTORY).add(
                Person.of("Élève", "Bérézina", "Léa", "lea.berezina", "AB12CD34").structures("Lycée Montesquieu")
                        .classes("2nde 1").parents("Marc Bérézina", "Anne-Sophie de La Fontaine"),
                Person.of("Élève", "de La Fontaine", "Émile", "emile.delafontaine", "").structures("Lycée Montesquieu")
                        .classes("1re 2").parents("Anne-Sophie de La Fontaine"),
                Person.of("Élève", "Ben Saïd", "Jean-Baptiste", "jb.bensaid", "QW34ER56").structures("Lycée Montesquieu")
                        .classes("2nde 1"),
                Person.of("Parent", "Bérézina", "Marc", "marc.berezina", "ZX78CV90").structures("Lycée Montesquieu")
                        .children("Léa Bérézina"),
                Person.of("Parent", "de La Fontaine", "Anne-Sophie", "as.delafontaine", "").structures("Lycée Montesquieu")
                        .children("Léa Bérézina", "Émile de La Fontaine"),
                Person.of("Parent", "Ben Saïd", "Karima", "karima.bensaid", "PL09OK87").structures("Lycée Montesquieu")
                        .children("JEAN-BAPTISTE BEN SAID"),
                Person.of("Enseignant", "Lœuillet", "Hélène", "helene.loeuillet", "MN45BV67").structures("Lycée Montesquieu")
                        .functions("LETTRES MODERNES", "ANGLAIS").classes("2nde 1", "1re 2"),
                Person.of("Personnel", "N'Diaye", "Aïcha", "aicha.ndiaye", "").structures("Lycée Montesquieu")
                        .functions("EDUCATION"),
                Person.of("Invité", "Øberg", "Ève", "eve.oberg", "GH12JK34").structures("Lycée Montesquieu"));
    }

    @Test
    void importsTheDirectoryExportAsEntcoreWritesIt() throws Exception {
        ImportReport report = run(lyceeDirectoryExport().bytes(), LYCEE);

        assertThat(report.format()).isEqualTo("ent-directory");
        assertThat(report.created()).isEqualTo(9);
        assertThat(app.structureByUai(LYCEE).name()).as("the school is created with the name the ENT gives")
                .isEqualTo("Lycée Montesquieu");
        Map<String, Account> accounts = accounts(LYCEE);
        assertThat(accounts).hasSize(9);
        Account lea = accounts.get("lea.berezina");
        assertThat(lea.profile()).isEqualTo(Profile.Student);
        assertThat(lea.activationCode()).isEqualTo("AB12CD34");
        assertThat(lea.classes()).containsExactly("2nde 1");
        assertThat(accounts.get("emile.delafontaine").activated()).as("an empty code: activated").isTrue();
        assertThat(accounts.get("marc.berezina").children()).containsExactly("Léa Bérézina");
        assertThat(accounts.get("as.delafontaine").children()).as("compound names, two children")
                .containsExactlyInAnyOrder("Léa Bérézina", "Émile de La Fontaine");
        assertThat(accounts.get("as.delafontaine").classes()).containsExactlyInAnyOrder("1re 2", "2nde 1");
        assertThat(accounts.get("karima.bensaid").children()).as("case and accents ignored")
                .containsExactly("Jean-Baptiste Ben Saïd");
        Account teacher = accounts.get("helene.loeuillet");
        assertThat(teacher.profile()).isEqualTo(Profile.Teacher);
        assertThat(teacher.functions()).as("each function followed by \", \"").containsExactly("LETTRES MODERNES", "ANGLAIS");
        assertThat(teacher.classes()).containsExactly("1re 2", "2nde 1");
        assertThat(accounts.get("aicha.ndiaye").profile()).isEqualTo(Profile.Personnel);
        assertThat(accounts.get("eve.oberg").profile()).isEqualTo(Profile.Guest);
        assertReadColumnsRight();
    }

    @Test
    void bomOrNotLfOrCrlfTheSameFileImportsTheSameAndChangesNothingTheSecondTime() throws Exception {
        run(lyceeDirectoryExport().bom(true).lineEnd("\n").bytes(), LYCEE);
        for (boolean bom : new boolean[] {false, true}) {
            for (String end : List.of("\r\n", "\n")) {
                ImportReport again = run(lyceeDirectoryExport().bom(bom).lineEnd(end).bytes(), LYCEE);
                assertThat(again.created()).isZero();
                assertThat(again.updated()).as("bom %s, line end %s", bom, end.length()).isZero();
                assertThat(again.unchanged()).isEqualTo(9);
            }
        }
    }

    @Test
    void theExportSavedAgainBySpreadsheetsImportsTheSame() throws Exception {
        run(lyceeDirectoryExport().bytes(), LYCEE);
        Map<String, Account> before = accounts(LYCEE);
        // Excel's "CSV (séparateur : point-virgule)": Windows-1252, no BOM, quotes only where needed, CRLF.
        byte[] excel = lyceeDirectoryExport().bom(false).quoteAll(false).lineEnd("\r\n").bytes(ImportText.WINDOWS_1252);
        assertThat(new String(excel, StandardCharsets.ISO_8859_1)).as("a Windows-1252 file").contains("B\u00e9r\u00e9zina")
                .doesNotContain("\"Léa\"");
        // Excel's "Texte Unicode": UTF-16LE with its BOM, tab separated. LibreOffice: UTF-8, no BOM, CR only.
        byte[] unicodeText = lyceeDirectoryExport().bom(true).quoteAll(false).delimiter('\t').lineEnd("\r\n")
                .bytes(StandardCharsets.UTF_16LE);
        byte[] utf16be = lyceeDirectoryExport().bom(true).bytes(StandardCharsets.UTF_16BE);
        byte[] oldMac = lyceeDirectoryExport().bom(false).quoteAll(false).lineEnd("\r").bytes();
        for (byte[] file : List.of(excel, unicodeText, utf16be, oldMac)) {
            ImportReport again = run(file, LYCEE);
            assertThat(again.format()).isEqualTo("ent-directory");
            assertThat(again.created()).isZero();
            assertThat(again.updated()).isZero();
            assertThat(again.unchanged()).isEqualTo(9);
        }
        assertThat(accounts(LYCEE)).isEqualTo(before);

        // A Windows-1252 file on its own: the accents are right.
        TestDatabase.Fresh other = TestDatabase.fresh();
        try {
            other.app().importer().run(new ByteArrayInputStream(excel), ImportOptions.operator(LYCEE, true));
            Structure lycee = other.app().structureByUai(LYCEE);
            assertThat(lycee.name()).isEqualTo("Lycée Montesquieu");
            Map<String, Account> read = other.app().selections().list(Selection.everyone(lycee.id()), Scope.EVERYTHING).stream()
                    .collect(Collectors.toMap(Account::login, a -> a));
            assertThat(read.get("helene.loeuillet").lastName()).isEqualTo("Lœuillet");
            assertThat(read.get("as.delafontaine").children()).containsExactlyInAnyOrder("Léa Bérézina", "Émile de La Fontaine");
        } finally {
            other.close();
        }
    }

    @Test
    void aFileOfMixedEncodingsOrASpreadsheetIsRefusedWithOneSentence() throws Exception {
        // UTF-8 first (Léa), then a Windows-1252 é further down: no encoding reads it whole.
        byte[] utf8 = lyceeDirectoryExport().bom(false).bytes();
        byte[] tail = "\"x\";\"\";\"Invit\u00e9\";\"Z\";\"Z\";\"z.z\";\"\";\"\";\"\";\"\";\"\";\"\"\n".getBytes(ImportText.WINDOWS_1252);
        byte[] file = java.util.Arrays.copyOf(utf8, utf8.length + tail.length);
        System.arraycopy(tail, 0, file, utf8.length, tail.length);
        assertThatThrownBy(() -> run(file, LYCEE)).isInstanceOfSatisfying(ImportRejected.class,
                e -> assertThat(e.problems()).extracting(ImportProblem::reason).containsExactly("import.notUtf8"));
        byte[] xlsx = {0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00};
        assertThatThrownBy(() -> run(xlsx, LYCEE)).isInstanceOfSatisfying(ImportRejected.class,
                e -> assertThat(e.problems()).extracting(ImportProblem::reason).containsExactly("import.spreadsheet"));
        assertThat(accounts(LYCEE)).isEmpty();
    }

    @Test
    void aSchoolNamedOnlyByNameIsFoundByItsNameOrGivenWithStructure() throws Exception {
        byte[] file = lyceeDirectoryExport().bytes();
        assertThatThrownBy(() -> run(file, null)).as("an unknown school named without its UAI")
                .isInstanceOfSatisfying(ImportRejected.class, e -> assertThat(e.problems())
                        .extracting(ImportProblem::line, ImportProblem::column, ImportProblem::reason)
                        .contains(tuple(2L, "Structure(s)", "import.unknownStructureName")));
        assertThat(app.structureByUai(LYCEE)).isNull();

        run(file, LYCEE);
        // Now that the school exists, its name in the file is enough (case and accents ignored).
        byte[] renamedCase = new String(file, StandardCharsets.UTF_8).replace("Lycée Montesquieu", "LYCEE MONTESQUIEU")
                .getBytes(StandardCharsets.UTF_8);
        ImportReport again = run(renamedCase, null);
        assertThat(again.structures()).containsExactly(LYCEE);
        assertThat(again.unchanged()).isEqualTo(9);
    }

    @Test
    void relativesAreFoundInTheSchoolWhenTheFileDoesNotHoldThem() throws Exception {
        run(new EntExport(Layout.DIRECTORY).add(
                Person.of("Élève", "Bérézina", "Léa", "lea.berezina", "AB12CD34").structures("Lycée Montesquieu").classes("2nde 1"),
                Person.of("Élève", "Nguyễn", "Théo", "theo.nguyen", "AB12CD35").structures("Lycée Montesquieu").classes("2nde 2"))
                .bytes(), LYCEE);

        ImportReport parents = run(new EntExport(Layout.DIRECTORY).add(
                Person.of("Parent", "Bérézina", "Marc", "marc.berezina", "ZX78CV90").structures("Lycée Montesquieu")
                        .children("lea berezina", "Théo Nguyen"))
                .bytes(), LYCEE);

        assertThat(parents.created()).isEqualTo(1);
        assertThat(accounts(LYCEE).get("marc.berezina").children()).containsExactly("Léa Bérézina", "Théo Nguyễn");
        assertThat(accounts(LYCEE).get("marc.berezina").classes()).containsExactly("2nde 1", "2nde 2");
        assertReadColumnsRight();
    }

    @Test
    void twoPupilsOfTheSameNameRefuseTheLineNamingBothLogins() throws Exception {
        byte[] file = new EntExport(Layout.DIRECTORY).add(
                Person.of("Élève", "Martin", "Léa", "lea.martin1", "AB12CD34").structures("Lycée Montesquieu").classes("2nde 1"),
                Person.of("Élève", "Martin", "Léa", "lea.martin2", "AB12CD35").structures("Lycée Montesquieu").classes("2nde 2"),
                Person.of("Parent", "Martin", "Paul", "paul.martin", "").structures("Lycée Montesquieu").children("Léa Martin"))
                .bytes();

        assertThatThrownBy(() -> run(file, LYCEE)).isInstanceOfSatisfying(ImportRejected.class, e -> {
            assertThat(e.problems()).extracting(ImportProblem::line, ImportProblem::column, ImportProblem::reason)
                    .containsExactly(tuple(4L, "Enfant(s)", "import.ambiguousRelative"));
            assertThat(e.problems().get(0).args()).containsExactly("Léa Martin", "lea.martin1, lea.martin2");
        });
        assertThat(app.structureByUai(LYCEE)).as("nothing written").isNull();
    }

    @Test
    void theConsoleExportImportsWithItsSchoolsCodedAndAnAccountOfTwoSchools() throws Exception {
        EntExport export = new EntExport(Layout.ACCOUNTS).add(
                Person.of("Élève", "Dvořák", "Chloë", "chloe.dvorak", "XYZW2345").structures("0330002B - Collège Jeanne-d'Arc")
                        .classes("6e 1").parents("Pavel Dvořák"),
                Person.of("Parent", "Dvořák", "Pavel", "pavel.dvorak", "").structures("0330002B - Collège Jeanne-d'Arc")
                        .children("Chloë Dvořák").contact("", "pavel@exemple.fr", "12-09-2025 08:15", "0600000000"),
                Person.of("Enseignant", "Hébert", "Cécile", "cecile.hebert", "QRST6789")
                        .structures("0330002B - Collège Jeanne-d'Arc", "0330001A - Lycée Montesquieu")
                        .functions("ADMIN_LOCAL").classes("6e 1", "6e 2")
                        .contact("prof.hebert", "cecile.hebert@ac-bordeaux.fr", "", ""))
                .bom(false).lineEnd("\r\n");

        ImportReport report = run(export.bytes(), null);

        assertThat(report.format()).isEqualTo("ent");
        assertThat(report.structures()).as("the teacher of two schools goes to the school of the whole file")
                .containsExactly(COLLEGE);
        assertThat(app.structureByUai(COLLEGE).name()).isEqualTo("Collège Jeanne-d'Arc");
        Map<String, Account> accounts = accounts(COLLEGE);
        assertThat(accounts.get("pavel.dvorak").children()).containsExactly("Chloë Dvořák");
        assertThat(accounts.get("pavel.dvorak").email()).isEqualTo("pavel@exemple.fr");
        Account teacher = accounts.get("cecile.hebert");
        assertThat(teacher.displayLogin()).isEqualTo("prof.hebert");
        assertThat(teacher.functions()).containsExactly("ADMIN_LOCAL");
        assertThat(teacher.classes()).containsExactly("6e 1", "6e 2");
        assertReadColumnsRight();
    }

    @Test
    void anEntFileKeepsThePlatformsOwnFunctionsAndTheFieldsItDoesNotCarry() throws Exception {
        String header = "uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;email;functions\n";
        app.importer().importCsv(new ByteArrayInputStream((header
                + "0330001A;Lycée Montesquieu;Personnel;Root;Plateforme;root.ent;;ROOT1234;root@exemple.fr;SUPER_ADMIN\n"
                + "0330001A;Lycée Montesquieu;Teacher;Lœuillet;Hélène;helene.loeuillet;prof.h;MN45BV67;helene@exemple.fr;ADMIN_LOCAL\n")
                .getBytes(StandardCharsets.UTF_8)), null);

        run(new EntExport(Layout.DIRECTORY).add(
                Person.of("Personnel", "Root", "Plateforme", "root.ent", "ROOT1234").structures("Lycée Montesquieu"),
                Person.of("Enseignant", "Lœuillet", "Hélène", "helene.loeuillet", "MN45BV67").structures("Lycée Montesquieu")
                        .functions("LETTRES MODERNES")).bytes(), LYCEE);

        Map<String, Account> accounts = accounts(LYCEE);
        assertThat(accounts.get("root.ent").functions()).as("never un-hidden by an ENT file").containsExactly("SUPER_ADMIN");
        assertThat(accounts.get("helene.loeuillet").functions()).containsExactly("LETTRES MODERNES", "ADMIN_LOCAL");
        assertThat(accounts.get("helene.loeuillet").email()).as("the older layout has no e-mail: kept")
                .isEqualTo("helene@exemple.fr");
        assertThat(accounts.get("helene.loeuillet").loginAlias()).as("nor alias: kept").isEqualTo("prof.h");
        assertReadColumnsRight();
    }

    @Test
    void aBadEntFileIsRefusedWholeWithEveryProblemByLineAndColumn() throws Exception {
        byte[] file = new EntExport(Layout.DIRECTORY).add(
                Person.of("Élève", "Bérézina", "Léa", "lea.berezina", "AB12CD34").structures("Lycée Montesquieu"),
                Person.of("Sorcier", "Potter", "Harry", "harry.potter", "").structures("Lycée Montesquieu"),
                Person.of("Parent", "Bérézina", "Marc", "", "").structures("Lycée Montesquieu").children("Léa Bérézina"),
                Person.of("Parent", "Inconnu", "Jean", "jean.inconnu", "").structures("Lycée Montesquieu").children("Nobody Here"),
                Person.of("Enseignant", "Ben Saïd", "Karim", "lea.berezina", "").structures("Lycée Montesquieu"))
                .bytes();

        assertThatThrownBy(() -> run(file, LYCEE)).isInstanceOfSatisfying(ImportRejected.class, e ->
                assertThat(e.problems()).extracting(ImportProblem::line, ImportProblem::column, ImportProblem::reason)
                        .containsExactly(
                                tuple(3L, "Type", "import.unknownProfile"),
                                tuple(4L, "Login", "import.missing"),
                                tuple(5L, "Enfant(s)", "import.unknownChild"),
                                tuple(6L, "Login", "import.duplicateLogin")));
        assertThat(app.structureByUai(LYCEE)).isNull();
    }

    @Test
    void theDryRunReportsNewUpdatedWithTheirFieldsUnchangedAndAbsentAndWritesNothing() throws Exception {
        run(lyceeDirectoryExport().bytes(), LYCEE);
        EntExport next = new EntExport(Layout.DIRECTORY).add(
                Person.of("Élève", "Bérézina", "Léa", "lea.berezina", "").structures("Lycée Montesquieu")
                        .classes("1re 1").parents("Marc Bérézina"),
                Person.of("Parent", "Bérézina", "Marc", "marc.berezina", "ZX78CV90").structures("Lycée Montesquieu")
                        .children("Léa Bérézina"),
                Person.of("Élève", "Nouveau", "Timothée", "timothee.nouveau", "NE12WW34").structures("Lycée Montesquieu")
                        .classes("2nde 3"));

        ImportReport plan = dryRun(next.bytes(), LYCEE);

        assertThat(plan.applied()).isFalse();
        assertThat(plan.created()).isEqualTo(1);
        assertThat(plan.createdAccounts()).extracting(ImportReport.Entry::login).containsExactly("timothee.nouveau");
        assertThat(plan.updated()).isEqualTo(1);
        assertThat(plan.updatedAccounts()).extracting(ImportReport.Entry::login, ImportReport.Entry::fields)
                .containsExactly(tuple("lea.berezina", List.of("activationCode", "classes")));
        assertThat(plan.unchanged()).isEqualTo(1);
        assertThat(plan.newClasses()).isEqualTo(2);
        assertThat(plan.absent()).isEqualTo(7);
        assertThat(plan.absentAccounts()).extracting(ImportReport.Entry::login).contains("emile.delafontaine", "eve.oberg");
        assertThat(plan.changedFields()).containsEntry("classes", 1).containsEntry("activationCode", 1);
        assertThat(accounts(LYCEE).get("lea.berezina").activationCode()).as("nothing written").isEqualTo("AB12CD34");
        assertThat(accounts(LYCEE)).doesNotContainKey("timothee.nouveau");

        ImportReport applied = run(next.bytes(), LYCEE);
        assertThat(applied).usingRecursiveComparison().ignoringFields("applied").isEqualTo(plan);
        assertThat(accounts(LYCEE)).as("absent accounts are listed, never deleted").hasSize(10);
        assertThat(accounts(LYCEE).get("lea.berezina").activated()).isTrue();
        assertThat(accounts(LYCEE).get("lea.berezina").classes()).containsExactly("1re 1");
        assertReadColumnsRight();
    }

    @Test
    void aLocalAdminMayNeitherTouchNorCreateNorSeeThePlatformsAccounts() throws Exception {
        String header = "uai;structure_name;profile;last_name;first_name;login;activation_code;functions\n";
        app.importer().importCsv(new ByteArrayInputStream((header
                + "0330001A;Lycée Montesquieu;Personnel;Root;Plateforme;root.ent;ROOT1234;SUPER_ADMIN\n"
                + "0330001A;Lycée Montesquieu;Student;Bérézina;Léa;lea.berezina;AB12CD34;\n")
                .getBytes(StandardCharsets.UTF_8)), null);
        ImportOptions localAdmin = new ImportOptions(LYCEE, true, false, 50);

        String touching = header + ";;Personnel;Root;Plateforme;root.ent;;\n" + ";;Teacher;Nouveau;Prof;new.prof;X1;SUPER_ADMIN\n";
        assertThatThrownBy(() -> app.importer().run(new ByteArrayInputStream(touching.getBytes(StandardCharsets.UTF_8)), localAdmin))
                .isInstanceOfSatisfying(ImportRejected.class, e -> assertThat(e.problems())
                        .extracting(ImportProblem::line, ImportProblem::reason)
                        .containsExactly(tuple(2L, "import.reservedAccount"), tuple(3L, "import.reservedFunction")));

        ImportReport plan = app.importer().run(new ByteArrayInputStream((header + ";;Teacher;Nouveau;Prof;new.prof;X1;\n")
                .getBytes(StandardCharsets.UTF_8)), localAdmin);
        assertThat(plan.absentAccounts()).extracting(ImportReport.Entry::login).containsExactly("lea.berezina");
        assertThat(plan.absent()).isEqualTo(1);
    }
}

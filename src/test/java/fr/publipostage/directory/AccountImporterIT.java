package fr.publipostage.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountImporterIT {
    private static final String HEADER = "uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;email;level;classes;relatives;functions;created_at;language";

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

    private ImportReport importText(String text, String uai) throws Exception {
        return app.importer().importCsv(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), uai);
    }

    private List<Account> accounts(String uai) {
        Structure s = structure(uai);
        return app.selections().list(Selection.everyone(s.id()), Scope.EVERYTHING);
    }

    private Structure structure(String uai) {
        try (var session = app.selections() == null ? null : sessionFactory()) {
            return session.getMapper(DirectoryMapper.class).findStructureByUai(uai);
        }
    }

    private org.apache.ibatis.session.SqlSession sessionFactory() {
        return fr.publipostage.db.MyBatis.sessionFactory(db.database().dataSource(), List.of(DirectoryMapper.class)).openSession(true);
    }

    @Test
    void importsNativeFileWithBomCrlfAndAccents() throws Exception {
        String csv = "\uFEFF" + HEADER + "\r\n"
                + "0330001A;Lycée Montesquieu;Élève;Lefèvre;Zoé;zoe.lefevre;;ABCD2345;;Seconde;2nde 1;;;2026-09-01;\r\n"
                + "0330001A;Lycée Montesquieu;Parent;N'Diaye;Marie-Ève;me.ndiaye;;;me@exemple.fr;;;zoe.lefevre;;2025-09-01;en\r\n"
                + "0330001A;Lycée Montesquieu;Teacher;Øberg;Anaïs;a.oberg;prof.oberg;KLMN6789;a.oberg@exemple.fr;;2nde 1|2nde 2;;ADMIN_LOCAL;2024-09-01;\r\n";
        ImportReport report = importText(csv, null);

        assertThat(report.format()).isEqualTo("native");
        assertThat(report.created()).isEqualTo(3);
        List<Account> accounts = accounts("0330001A");
        assertThat(accounts).extracting(Account::lastName).containsExactlyInAnyOrder("Lefèvre", "N'Diaye", "Øberg");
        Account pupil = accounts.stream().filter(a -> a.login().equals("zoe.lefevre")).findFirst().orElseThrow();
        assertThat(pupil.activated()).isFalse();
        assertThat(pupil.activationCode()).isEqualTo("ABCD2345");
        assertThat(pupil.classes()).containsExactly("2nde 1");
        Account parent = accounts.stream().filter(a -> a.login().equals("me.ndiaye")).findFirst().orElseThrow();
        assertThat(parent.activated()).isTrue();
        assertThat(parent.children()).containsExactly("Zoé Lefèvre");
        assertThat(parent.classes()).as("a parent belongs to the classes of his children").containsExactly("2nde 1");
        assertThat(parent.language()).isEqualTo("en");
        Account teacher = accounts.stream().filter(a -> a.login().equals("a.oberg")).findFirst().orElseThrow();
        assertThat(teacher.displayLogin()).isEqualTo("prof.oberg");
        assertThat(teacher.functions()).containsExactly("ADMIN_LOCAL");
        assertThat(teacher.classes()).containsExactly("2nde 1", "2nde 2");
    }

    @Test
    void reimportUpdatesAndNeverDuplicates() throws Exception {
        String first = HEADER + "\n0330001A;Lycée Montesquieu;Student;Martin;Léa;lea.martin;;CODE2345;;Seconde;2nde 1;;;2026-09-01;\n";
        importText(first, null);
        String second = HEADER + "\n0330001A;Lycée Montesquieu;Student;Martin;Léa;lea.martin;;;lea@exemple.fr;Première;1re 1;;;2026-09-01;\n";
        ImportReport report = importText(second, null);

        assertThat(report.created()).isZero();
        assertThat(report.updated()).isEqualTo(1);
        List<Account> accounts = accounts("0330001A");
        assertThat(accounts).hasSize(1);
        assertThat(accounts.get(0).activated()).isTrue();
        assertThat(accounts.get(0).email()).isEqualTo("lea@exemple.fr");
        assertThat(accounts.get(0).classes()).containsExactly("1re 1");
    }

    @Test
    void importsCommaSeparatedFile() throws Exception {
        String csv = HEADER.replace(';', ',') + "\n0330001A,Lycée,Guest,Dupont,Jean,jean.dupont,,,,,,,,2026-01-02,\n";
        assertThat(importText(csv, null).created()).isEqualTo(1);
    }

    @Test
    void importsEntExportFormat() throws Exception {
        String csv = "Id;Identifiant SIECLE;Type;Nom;Prénom;Identifiant;Login personnalisé (Alias);Code d'activation;Fonctions;Établissements;Classes;Enfants;Parents;Dernière connexion;Courriel;Téléphone\r\n"
                + "1;123;Élève;Dvořák;Chloë;chloe.dvorak;;XYZW2345;;0330002B - Collège Jeanne-d'Arc;6e 1;;DVOŘÁK Pavel;;;\r\n"
                + "2;;Parent;Dvořák;Pavel;pavel.dvorak;;;;0330002B - Collège Jeanne-d'Arc;;DVOŘÁK Chloë;;2025-10-01;pavel@exemple.fr;0600000000\r\n"
                + "3;;Enseignant;Hébert;Cécile;cecile.hebert;;QRST6789;ADMIN_LOCAL;0330002B - Collège Jeanne-d'Arc;6e 1, 6e 2;;;;;\r\n";
        ImportReport report = importText(csv, null);

        assertThat(report.format()).isEqualTo("ent");
        assertThat(report.created()).isEqualTo(3);
        List<Account> accounts = accounts("0330002B");
        Account parent = accounts.stream().filter(a -> a.login().equals("pavel.dvorak")).findFirst().orElseThrow();
        assertThat(parent.children()).containsExactly("Chloë Dvořák");
        Account teacher = accounts.stream().filter(a -> a.login().equals("cecile.hebert")).findFirst().orElseThrow();
        assertThat(teacher.classes()).containsExactly("6e 1", "6e 2");
        assertThat(structure("0330002B").name()).isEqualTo("Collège Jeanne-d'Arc");
    }

    @Test
    void refusesBadFileWholeWithEveryBadLineNumbered() throws Exception {
        importText(HEADER + "\n0330001A;Lycée;Student;Keep;Me;keep.me;;;;;;;;2026-01-01;\n", null);
        String csv = HEADER + "\n"
                + "0330001A;Lycée;Student;Bon;Élève;bon.eleve;;;;;;;;2026-09-01;\n"        // line 2: fine
                + "0330001A;Lycée;Wizard;Mauvais;Profil;bad.profile;;;;;;;;2026-09-01;\n"  // line 3
                + "0330001A;Lycée;Student;Sans;Login;;;;;;;;;2026-09-01;\n"                 // line 4
                + "0330001A;Lycée;Student;Date;Fausse;bad.date;;;;;;;;01/09/2026;\n"         // line 5
                + "0330001A;Lycée;Student;Bon;Double;bon.eleve;;;;;;;;2026-09-01;\n";        // line 6
        assertThatThrownBy(() -> importText(csv, null))
                .isInstanceOfSatisfying(ImportRejected.class, e -> assertThat(e.problems())
                        .extracting(ImportProblem::line, ImportProblem::reason)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple(3L, "import.unknownProfile"),
                                org.assertj.core.groups.Tuple.tuple(4L, "import.missing"),
                                org.assertj.core.groups.Tuple.tuple(5L, "import.badDate"),
                                org.assertj.core.groups.Tuple.tuple(6L, "import.duplicateLogin")));
        assertThat(accounts("0330001A")).extracting(Account::login).containsExactly("keep.me");
    }

    @Test
    void refusesEmptyFileAndUnknownHeaderWithOneSentence() {
        assertThatThrownBy(() -> importText("", null)).isInstanceOfSatisfying(ImportRejected.class,
                e -> assertThat(e.problems()).extracting(ImportProblem::reason).containsExactly("import.empty"));
        assertThatThrownBy(() -> importText("name;surname\nA;B\n", null)).isInstanceOfSatisfying(ImportRejected.class,
                e -> assertThat(e.problems()).extracting(ImportProblem::reason).containsExactly("import.badHeader"));
        // A UTF-8 é (C3 A9), then a Windows-1252 é (E9) further down: no one encoding reads the file.
        java.io.ByteArrayOutputStream mixed = new java.io.ByteArrayOutputStream();
        mixed.writeBytes("profile;last_name;first_name;login\nStudent;Bérézina;Léa;lea\n".getBytes(StandardCharsets.UTF_8));
        mixed.writeBytes("Student;Bérézina;Luc;luc\n".getBytes(java.nio.charset.Charset.forName("windows-1252")));
        assertThatThrownBy(() -> app.importer().importCsv(new ByteArrayInputStream(mixed.toByteArray()), "0330001A"))
                .isInstanceOfSatisfying(ImportRejected.class,
                        e -> assertThat(e.problems()).extracting(ImportProblem::reason).containsExactly("import.notUtf8"));
    }

    @Test
    void refusesUnknownRelativeAndLinesOfAnotherStructure() {
        String csv = HEADER + "\n"
                + "0330001A;Lycée;Relative;Parent;Seul;parent.seul;;;;;;nobody.here;;2026-09-01;\n"
                + "0330009Z;Autre;Student;Autre;École;autre.ecole;;;;;;;;2026-09-01;\n";
        assertThatThrownBy(() -> importText(csv, "0330001A")).isInstanceOfSatisfying(ImportRejected.class,
                e -> assertThat(e.problems()).extracting(ImportProblem::reason)
                        .containsExactly("import.unknownChild", "import.otherStructure"));
    }

    /** Issue 10, leak 8: the address shown must be the address used — one plain addr-spec per cell. */
    @Test
    void refusesAnEmailCellThatIsNotOnePlainAddress() throws Exception {
        String[] bad = {"Evil<evil@evil.example>x.fr", "Léa <lea@exemple.fr>", "a@exemple.fr, b@exemple.fr",
                "a@exemple.fr;b@exemple.fr", "\"quoted\"@exemple.fr", "a@@exemple.fr", "a b@exemple.fr", "a@exemple",
                "a@[127.0.0.1]", ".a@exemple.fr", "a..b@exemple.fr", "a@-exemple.fr", "a@exemple..fr", "a@exemple.fr.",
                "a(comment)@exemple.fr", "=HYPERLINK(\"x\")@exemple.fr"};
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < bad.length; i++) {
            csv.append("0330001A;Lycée;Teacher;Nom;Prénom;login").append(i).append(";;;")
                    .append('"').append(bad[i].replace("\"", "\"\"")).append('"').append(";;;;;2026-09-01;\n");
        }
        assertThatThrownBy(() -> importText(csv.toString(), null)).isInstanceOfSatisfying(ImportRejected.class, e -> {
            assertThat(e.problems()).extracting(ImportProblem::reason).allMatch(r -> r.startsWith("import.badEmail."));
            assertThat(e.problems()).extracting(ImportProblem::line)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(2, bad.length + 1).boxed().toList());
        });
        assertThat(structure("0330001A")).as("nothing written").isNull();

        String good = HEADER + "\n"
                + "0330001A;Lycée;Teacher;Nom;Prénom;ok1;;;prenom.nom+ent@exemple.fr;;;;;2026-09-01;\n"
                + "0330001A;Lycée;Teacher;Nom;Prénom;ok2;;;jean-luc.o'brien@sous.domaine.exemple.fr;;;;;2026-09-01;\n"
                + "0330001A;Lycée;Teacher;Nom;Prénom;ok3;;;contact@école-exemple.fr;;;;;2026-09-01;\n";
        assertThat(importText(good, null).created()).isEqualTo(3);
        assertThat(accounts("0330001A")).extracting(Account::email).containsExactlyInAnyOrder(
                "prenom.nom+ent@exemple.fr", "jean-luc.o'brien@sous.domaine.exemple.fr", "contact@école-exemple.fr");
    }

    /** Re-importing the same file writes no row: every row's xmin (the transaction that wrote it) stays. */
    @Test
    void reimportingTheSameFileRewritesNoRow() throws Exception {
        String demo = app.demo().csv();
        ImportReport first = importText(demo, null);
        assertThat(first.created()).isGreaterThan(2000);
        try (var c = db.database().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("select refresh_account_read_columns(array(select id from structure))")) {
            rs.next();
            assertThat(rs.getInt(1)).as("read columns of new accounts inserted right: a full refresh corrects none").isZero();
        }
        java.util.Map<String, java.util.List<String>> before = rowVersions();

        ImportReport again = importText(demo, null);

        assertThat(again.created()).isZero();
        assertThat(again.updated()).isZero();
        assertThat(again.unchanged()).isEqualTo(first.created());
        assertThat(rowVersions()).isEqualTo(before);
    }

    private java.util.Map<String, java.util.List<String>> rowVersions() throws java.sql.SQLException {
        java.util.Map<String, java.util.List<String>> versions = new java.util.LinkedHashMap<>();
        try (var c = db.database().dataSource().getConnection(); var st = c.createStatement()) {
            for (String table : List.of("structure", "school_class", "account", "account_class", "account_relative")) {
                java.util.List<String> rows = new java.util.ArrayList<>();
                try (var rs = st.executeQuery("select ctid::text || '@' || xmin::text from " + table + " order by 1")) {
                    while (rs.next()) rows.add(rs.getString(1));
                }
                versions.put(table, rows);
            }
        }
        return versions;
    }

    /**
     * Review: a login of 4,000 characters passes the reader (MAX_FIELD 4,096) and the line checks, then
     * PostgreSQL refuses it in the import_line (uai, login) index (a b-tree row holds at most 2,704 bytes).
     */
    @Test
    void aVeryLongLoginIsALineProblemNotADatabaseError() {
        java.util.Random random = new java.util.Random(42);
        StringBuilder login = new StringBuilder();
        for (int i = 0; i < 4000; i++) login.append((char) ('a' + random.nextInt(26)));
        String csv = HEADER + "\n0330001A;Lycée;Student;Long;Login;" + login + ";;;;;;;;2026-09-01;\n";
        assertThatThrownBy(() -> importText(csv, null)).isInstanceOf(ImportRejected.class);
    }
}

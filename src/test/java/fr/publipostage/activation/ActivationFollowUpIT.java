package fr.publipostage.activation;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.activation.ActivationFollowUp.Line;
import fr.publipostage.activation.ActivationFollowUp.SortKey;
import fr.publipostage.selection.Scope;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 §3 on a real database: an import activates accounts (codes gone), one with the ENT export's
 * "Dernière connexion", one without; another gets a code again. The database records each change and
 * dates it; the follow-up's figures by profile, class and school follow, "since the last distribution"
 * counting only what was activated after the letters were printed.
 */
class ActivationFollowUpIT {
    static final String UAI = "0330098Y";
    static final String NATIVE = "uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;email;level;classes;relatives;functions;created_at;language\n";
    static final String ENT = "Id;Identifiant SIECLE;Type;Nom;Prénom;Identifiant;Login personnalisé (Alias);Code d'activation;Fonctions;Établissements;Classes;Enfants;Parents;Dernière connexion;Courriel;Téléphone\n";

    /** 6A: three pupils pending, one activated, a parent pending; 6B: two pupils pending; their teacher pending (in both). */
    static String firstImport() {
        String s = UAI + ";Collège du Suivi;";
        return NATIVE
                + s + "Student;Alpha;Ana;ana.alpha;;CODEA001;;6E;6A;;;2026-09-01;\n"
                + s + "Student;Bravo;Bea;bea.bravo;;CODEA002;;6E;6A;;;2026-09-01;\n"
                + s + "Student;Charlie;Cid;cid.charlie;;CODEA003;;6E;6A;;;2026-09-01;\n"
                + s + "Student;Delta;Dan;dan.delta;;;;6E;6A;;;2026-09-01;\n"
                + s + "Relative;Alpha;Paul;paul.alpha;;CODEP001;;;;ana.alpha;;2026-09-01;\n"
                + s + "Student;Echo;Eve;eve.echo;;CODEB001;;6E;6B;;;2026-09-01;\n"
                + s + "Student;Fox;Fay;fay.fox;;CODEB002;;6E;6B;;;2026-09-01;\n"
                + s + "Teacher;Golf;Gil;gil.golf;;CODET001;;;6A|6B;;;2026-09-01;\n";
    }

    /** The ENT's export a few weeks later: Ana logged in (date given), Bea activated (no date), Dan's account reset. */
    static String entExport() {
        String school = UAI + " - Collège du Suivi";
        return ENT
                + "1;;Élève;Alpha;Ana;ana.alpha;;;;" + school + ";6A;;;15/09/2026 08:30;;\n"
                + "2;;Élève;Bravo;Bea;bea.bravo;;;;" + school + ";6A;;;;;\n"
                + "3;;Élève;Charlie;Cid;cid.charlie;;CODEA003;;" + school + ";6A;;;;;\n"
                + "4;;Élève;Delta;Dan;dan.delta;;CODEA404;;" + school + ";6A;;;;;\n"
                + "5;;Parent;Alpha;Paul;paul.alpha;;CODEP001;;" + school + ";;ALPHA Ana;;;;\n"
                + "6;;Élève;Echo;Eve;eve.echo;;CODEB001;;" + school + ";6B;;;;;\n"
                + "7;;Élève;Fox;Fay;fay.fox;;;;" + school + ";6B;;;2026-10-02T17:45:00+02:00;;\n"
                + "8;;Enseignant;Golf;Gil;gil.golf;;CODET001;;" + school + ";6A, 6B;;;;;\n";
    }

    @Test
    void anImportThatActivatesAccountsIsRecordedAndTheFiguresFollow() throws Exception {
        try (TestDatabase.Fresh db = TestDatabase.fresh(); App app = db.app(Map.of())) {
            load(app, firstImport());
            long school = app.structureByUai(UAI).id();
            ActivationFollowUp followUp = app.activationFollowUp();

            ActivationFollowUp.School before = followUp.school(school, SortKey.name, false, SortKey.name, false);
            assertThat(before.lastDistribution()).as("nothing distributed yet").isNull();
            assertThat(figures(before.classes())).containsEntry("6A", List.of(6, 5)).containsEntry("6B", List.of(3, 3));
            assertThat(figures(before.profiles())).containsEntry("Student", List.of(6, 5)).containsEntry("Relative", List.of(1, 1))
                    .containsEntry("Teacher", List.of(1, 1));
            assertThat(before.overall().rate()).isEqualTo(12.5);

            // Letters printed for the school: the distribution the next figures count from.
            long job = app.letters().submit(app.selections().parse(school, Map.of()), Scope.LOCAL_ADMIN, "admin.test");
            app.jobWorker().poll();
            OffsetDateTime distributed = followUp.school(school, SortKey.name, false, SortKey.name, false).lastDistribution();
            assertThat(distributed).as("letters job " + job + " finished").isNotNull();
            Thread.sleep(20);

            load(app, entExport());

            Map<String, String> activatedAt = activatedAt(db);
            assertThat(activatedAt.get("ana.alpha")).as("the export's Dernière connexion, school time")
                    .isEqualTo(OffsetDateTime.of(2026, 9, 15, 8, 30, 0, 0, ZoneId.of("Europe/Paris").getRules()
                            .getOffset(java.time.LocalDateTime.of(2026, 9, 15, 8, 30))).toInstant().toString());
            assertThat(activatedAt.get("fay.fox")).isEqualTo("2026-10-02T15:45:00Z");
            assertThat(OffsetDateTime.parse(activatedAt.get("bea.bravo").replace("Z", "+00:00")))
                    .as("no date in the file: the import's (read to the second here; since() below compares exactly)")
                    .isAfterOrEqualTo(distributed.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            assertThat(activatedAt.get("dan.delta")).as("a code again: pending").isNull();
            assertThat(events(db)).containsExactlyInAnyOrder("ana.alpha activated", "bea.bravo activated", "fay.fox activated",
                    "dan.delta pending");

            ActivationFollowUp.School after = followUp.school(school, SortKey.rate, true, SortKey.pending, false);
            assertThat(figures(after.classes())).containsEntry("6A", List.of(6, 4)).containsEntry("6B", List.of(3, 2));
            // Sorted by pending, ascending: 6B (2) before 6A (4); profiles by rate, descending.
            assertThat(after.classes()).extracting(Line::name).containsExactly("6B", "6A");
            assertThat(after.profiles().get(0).name()).isEqualTo("Student");
            Line students = after.profiles().get(0);
            assertThat(students.total()).isEqualTo(6);
            assertThat(students.pending()).isEqualTo(3);
            assertThat(students.rate()).isEqualTo(50.0);
            // Since the letters: Bea only (Ana and Fay logged in before them, by the export's dates).
            assertThat(students.since()).isEqualTo(1);
            Line sixA = after.classes().get(1);
            assertThat(sixA.since()).isEqualTo(1);

            // One line per school: this one, the demo schools not loaded.
            List<ActivationFollowUp.SchoolLine> schools = followUp.schools(List.of(school), SortKey.name, false);
            assertThat(schools).hasSize(1);
            assertThat(schools.get(0).line().total()).isEqualTo(8);
            assertThat(schools.get(0).line().pending()).isEqualTo(5);
            assertThat(schools.get(0).line().since()).isEqualTo(1);
            assertThat(schools.get(0).lastDistribution()).isEqualTo(distributed);

            // The CSV: French Excel's format, the same figures.
            ByteArrayOutputStream csv = new ByteArrayOutputStream();
            followUp.writeSchoolCsv(after, "fr", new ActivationFollowUp.CsvTexts() {
                public String header(String c) {
                    return c;
                }

                public String profile(String p) {
                    return p;
                }

                public String group(String g) {
                    return g;
                }

                public String date(OffsetDateTime at) {
                    return "D";
                }
            }, csv);
            String text = csv.toString(StandardCharsets.UTF_8);
            assertThat(text).startsWith("\uFEFF\"group\";\"name\"");
            assertThat(text).containsPattern("\"class\";\"6A\";\"[^\"]*\";\"6\";\"2\";\"4\";\"33,3\";\"1\";\"D\"\r\n");
            assertThat(text).contains("\"school\";\"\";\"\";\"8\";\"3\";\"5\";\"37,5\";\"1\";\"D\"\r\n");
        }
    }

    private static void load(App app, String csv) throws Exception {
        try {
            app.importer().importCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), null);
        } catch (fr.publipostage.directory.ImportRejected e) {
            throw new AssertionError("import refused: " + e.problems());
        }
    }

    /** Class or profile → [total, pending]. */
    private static Map<String, List<Integer>> figures(List<Line> lines) {
        Map<String, List<Integer>> out = new HashMap<>();
        for (Line l : lines) out.put(l.name(), List.of(l.total(), l.pending()));
        return out;
    }

    private static Map<String, String> activatedAt(TestDatabase.Fresh db) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select login, to_char(activated_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                     + "from account a join structure s on s.id = a.structure_id where s.uai = '" + UAI + "'")) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return out;
    }

    private static List<String> events(TestDatabase.Fresh db) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select a.login || ' ' || e.event from account_activation_event e join account a on a.id = e.account_id")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}

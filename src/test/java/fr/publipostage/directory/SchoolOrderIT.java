package fr.publipostage.directory;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.db.MyBatis;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * School order in the database: {@code school_rank} (V75) gives the ranks {@link SchoolOrder} gives; the
 * step-1 lists of levels and classes, the check table's sort by class and the print order by class (the
 * cover sheets follow it) go 6e 5e 4e 3e, Seconde Première Terminale. The demo schools' names get their
 * article at import.
 */
class SchoolOrderIT {
    private static TestDatabase.Fresh db;
    private static App app;
    private static long lycee;
    private static long college;

    @BeforeAll
    static void load() {
        db = TestDatabase.fresh();
        app = db.app();
        app.demo().loadIfEmpty();
        try (var session = MyBatis.sessionFactory(db.database().dataSource(), List.of(DirectoryMapper.class)).openSession(true)) {
            lycee = session.getMapper(DirectoryMapper.class).findStructureByUai(DemoDirectory.LYCEE_UAI).id();
            college = session.getMapper(DirectoryMapper.class).findStructureByUai(DemoDirectory.COLLEGE_UAI).id();
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void sqlAndJavaGiveTheSameRanks() throws Exception {
        List<String> names = new ArrayList<>(SchoolOrderTest.CLASSES_IN_ORDER);
        names.addAll(SchoolOrderTest.LEVELS_IN_ORDER);
        names.addAll(List.of("SIXIEME", "CINQUIEME", "QUATRIEME", "TROISIEME", "2NDE GENERALE ET TECHNOLOGIQUE",
                "1ERE GENERALE", "TERMINALE GENERALE", "Technologie", "Tous", "Élèves de 2nde", "  Tle 3 ", "Première"));
        try (Connection c = db.database().dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("select school_rank(?)")) {
            for (String n : names) {
                st.setString(1, n);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(n).isEqualTo(SchoolOrder.rank(n));
                }
            }
        }
    }

    @Test
    void levelsAndClassesAreListedInSchoolOrder() {
        assertThat(app.selections().levels(college, Scope.LOCAL_ADMIN)).containsExactly("6e", "5e", "4e", "3e");
        assertThat(app.selections().levels(lycee, Scope.LOCAL_ADMIN)).containsExactly("Seconde", "Première", "Terminale");
        List<String> classes = app.selections().classes(lycee, List.of(), Scope.LOCAL_ADMIN).stream().map(SchoolClass::name).toList();
        assertThat(classes.get(0)).isEqualTo("2nde 1");
        assertThat(classes.get(classes.size() - 1)).startsWith("Tle");
        assertThat(classes.stream().map(SchoolOrder::rank).toList()).isSorted();
        List<String> collegeClasses = app.selections().classes(college, List.of(), Scope.LOCAL_ADMIN).stream()
                .map(SchoolClass::name).toList();
        assertThat(collegeClasses.get(0)).startsWith("6e");
        assertThat(collegeClasses.stream().map(SchoolOrder::rank).toList()).isSorted();
    }

    @Test
    void theTableAndThePrintSortClassesInSchoolOrder() {
        for (Map<String, List<String>> params : List.of(
                Map.of("profile", List.of("Student"), "sort", List.of("class")),
                Map.of("profile", List.of("Student"), "order", List.of("classes")))) {
            Selection s = app.selections().parse(college, params);
            List<Integer> ranks = app.selections().list(s, Scope.LOCAL_ADMIN).stream()
                    .map(a -> SchoolOrder.rank(a.classes().get(0))).toList();
            assertThat(ranks).as(params.toString()).isSorted();
            assertThat(ranks.get(0)).isEqualTo(1);
        }
        Selection desc = app.selections().parse(college, Map.of("profile", List.of("Student"), "order", List.of("classes:desc")));
        List<Integer> ranks = app.selections().list(desc, Scope.LOCAL_ADMIN).stream()
                .map(a -> SchoolOrder.rank(a.classes().get(0))).toList();
        assertThat(ranks.get(0)).isEqualTo(4);
    }

    @Test
    void theDemoSchoolsGotTheirArticleAtImport() {
        try (var session = MyBatis.sessionFactory(db.database().dataSource(), List.of(DirectoryMapper.class)).openSession(true)) {
            DirectoryMapper m = session.getMapper(DirectoryMapper.class);
            assertThat(m.findStructureById(lycee).nameWithArticle()).isEqualTo("le Lycée Montesquieu");
            assertThat(m.findStructureById(college).nameWithArticle()).isEqualTo("le Collège Jeanne-d'Arc");
            m.updateNameWithArticle(lycee, "la Cité scolaire Montesquieu");
            m.deriveNameWithArticle(lycee, "le Lycée Montesquieu");
            assertThat(m.findStructureById(lycee).withArticle()).as("an admin's correction stays at re-import")
                    .isEqualTo("la Cité scolaire Montesquieu");
            m.updateNameWithArticle(lycee, null);
            m.deriveNameWithArticle(lycee, "le Lycée Montesquieu");
            assertThat(m.findStructureById(lycee).withArticle()).isEqualTo("le Lycée Montesquieu");
        }
    }
}

package fr.publipostage.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.Profile;
import fr.publipostage.testing.TestDatabase;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SelectionIT {
    private static TestDatabase.Fresh db;
    private static App app;
    private static long lyceeId;

    @BeforeAll
    static void load() {
        db = TestDatabase.fresh();
        app = db.app();
        app.demo().loadIfEmpty();
        try (var session = fr.publipostage.db.MyBatis.sessionFactory(db.database().dataSource(), List.of(DirectoryMapper.class)).openSession(true)) {
            lyceeId = session.getMapper(DirectoryMapper.class).findStructureByUai(DemoDirectory.LYCEE_UAI).id();
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private Selection parse(Map<String, List<String>> params) {
        return app.selections().parse(lyceeId, params);
    }

    @Test
    void filtersCombineAndCountsMatchTheList() {
        Selection s = parse(Map.of("profile", List.of("Student"), "activation", List.of("pending"), "level", List.of("Seconde")));
        List<Account> accounts = app.selections().list(s, Scope.LOCAL_ADMIN);
        assertThat(accounts).isNotEmpty().allSatisfy(a -> {
            assertThat(a.profile()).isEqualTo(Profile.Student);
            assertThat(a.activated()).isFalse();
            assertThat(a.level()).isEqualTo("Seconde");
        });
        SelectionMapper.Counts counts = app.selections().count(s, Scope.LOCAL_ADMIN);
        assertThat(counts.total()).isEqualTo(accounts.size());
        assertThat(counts.withoutEmail()).isEqualTo((int) accounts.stream().filter(a -> !a.hasEmail()).count());
    }

    @Test
    void localAdminsNeverSeeSuperAdmins() {
        Selection everyone = Selection.everyone(lyceeId);
        assertThat(app.selections().list(everyone, Scope.EVERYTHING)).anyMatch(a -> a.functions().contains(Account.SUPER_ADMIN));
        assertThat(app.selections().list(everyone, Scope.LOCAL_ADMIN)).noneMatch(a -> a.functions().contains(Account.SUPER_ADMIN));
    }

    @Test
    void sortsByClassThenNameTheFrenchWay() {
        Selection s = parse(Map.of("profile", List.of("Student"), "sort", List.of("class")));
        List<Account> accounts = app.selections().list(s, Scope.LOCAL_ADMIN);
        java.util.Comparator<String> schoolOrder = java.util.Comparator.comparingInt(
                (String c) -> fr.publipostage.directory.SchoolOrder.rank(c)).thenComparing(fr.publipostage.directory.SchoolOrder.LEVELS);
        for (int i = 1; i < accounts.size(); i++) {
            Account a = accounts.get(i - 1);
            Account b = accounts.get(i);
            int byClass = schoolOrder.compare(a.classes().get(0), b.classes().get(0));
            assertThat(byClass).isLessThanOrEqualTo(0);
            if (byClass == 0) {
                assertThat(fold(a.lastName())).as(a.lastName() + " before " + b.lastName()).isLessThanOrEqualTo(fold(b.lastName()));
            }
        }
    }

    /** Accents and case ignored, as a French reader sorts: "Émile" goes with the E, not after Z. */
    private static String fold(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replace("Ø", "O").replace("Ð", "D").replace("Đ", "D").replace("đ", "d").replace("œ", "oe").replace("Œ", "Oe")
                .toLowerCase(Locale.ROOT);
    }

    @Test
    void refusesValuesOutsideTheirLists() {
        assertThatThrownBy(() -> parse(Map.of("sort", List.of("last_name; drop table account"))))
                .isInstanceOfSatisfying(InvalidSelection.class, e -> assertThat(e.key()).isEqualTo("selection.badSort"));
        assertThatThrownBy(() -> parse(Map.of("class", List.of("Nope 9"))))
                .isInstanceOfSatisfying(InvalidSelection.class, e -> assertThat(e.key()).isEqualTo("selection.badClass"));
        assertThatThrownBy(() -> parse(Map.of("activation", List.of("maybe"))))
                .isInstanceOfSatisfying(InvalidSelection.class, e -> assertThat(e.key()).isEqualTo("selection.badActivation"));
        assertThatThrownBy(() -> parse(Map.of("created-after", List.of("2026-13-01"))))
                .isInstanceOfSatisfying(InvalidSelection.class, e -> assertThat(e.key()).isEqualTo("selection.badDate"));
        assertThatThrownBy(() -> parse(Map.of("layout", List.of("3"))))
                .isInstanceOfSatisfying(InvalidSelection.class, e -> assertThat(e.key()).isEqualTo("selection.badLayout"));
    }
}

package fr.publipostage.directory;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.util.List;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.Test;

class DemoDirectoryIT {
    @Test
    void loadsTwoSchoolsOnceWithRealisticProportions() {
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app();
            assertThat(app.demo().loadIfEmpty()).isTrue();
            assertThat(app.demo().loadIfEmpty()).as("second start loads nothing").isFalse();

            try (SqlSession session = fr.publipostage.db.MyBatis.sessionFactory(db.database().dataSource(),
                    List.of(DirectoryMapper.class)).openSession(true)) {
                DirectoryMapper mapper = session.getMapper(DirectoryMapper.class);
                Structure lycee = mapper.findStructureByUai(DemoDirectory.LYCEE_UAI);
                Structure college = mapper.findStructureByUai(DemoDirectory.COLLEGE_UAI);
                assertThat(mapper.countAccounts(lycee.id())).isBetween(1400, 1800);
                assertThat(mapper.countAccounts(college.id())).isBetween(800, 1000);

                List<Account> all = app.selections().list(Selection.everyone(lycee.id()), Scope.EVERYTHING);
                double pending = all.stream().filter(a -> !a.activated()).count() / (double) all.size();
                double noEmail = all.stream().filter(a -> !a.hasEmail()).count() / (double) all.size();
                assertThat(pending).isBetween(0.5, 0.7);
                assertThat(noEmail).isBetween(0.2, 0.4);
                assertThat(all).anyMatch(a -> a.functions().contains(Account.SUPER_ADMIN));
                assertThat(all).anyMatch(a -> a.profile() == Profile.Relative && !a.children().isEmpty());
                assertThat(all).anyMatch(a -> a.lastName().contains("'") || a.lastName().contains("-"));
                assertThat(all.stream().map(Account::createdAt).map(d -> d.getYear()).distinct()).hasSizeGreaterThanOrEqualTo(3);
            }
        }
    }

    @Test
    void isDeterministic() {
        assertThat(new DemoDirectory(null, null, null).csv()).isEqualTo(new DemoDirectory(null, null, null).csv());
    }
}

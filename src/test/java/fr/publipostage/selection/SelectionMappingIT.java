package fr.publipostage.selection;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.SchoolClass;
import fr.publipostage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 made the full list of a 3,000-account school 5× faster without changing what it returns: its rows
 * are read by an explicit {@code account} result map instead of MyBatis' automatic constructor mapping, and
 * its sort keys are the first columns of each row. Here every form of today's query (list, window, cursor,
 * by id), with every sort and order and in every scope (a class teacher's visible classes and children are
 * computed columns), gives the same accounts, in the same order, equal field for field, as the former
 * statement frozen in {@code FormerSelection.xml}. The demo schools are given every optional field first,
 * so no field is compared only as null. (A column read into the wrong argument, or one key's NULLS FIRST,
 * makes it fail.)
 */
class SelectionMappingIT {
    private static TestDatabase.Fresh db;
    private static App app;
    private static FormerSelection before;
    private static List<Long> structures;

    @BeforeAll
    static void load() throws Exception {
        db = TestDatabase.fresh();
        app = db.app();
        app.demo().loadIfEmpty();
        try (var session = fr.publipostage.db.MyBatis.sessionFactory(db.database().dataSource(), List.of(DirectoryMapper.class)).openSession(true)) {
            DirectoryMapper directory = session.getMapper(DirectoryMapper.class);
            structures = List.of(directory.findStructureByUai(DemoDirectory.LYCEE_UAI).id(),
                    directory.findStructureByUai(DemoDirectory.COLLEGE_UAI).id());
        }
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            // Every optional column filled on some accounts, null on others; a bounce, a blocked account, an alias.
            st.execute("update account set login_alias = 'alias.' || id, language = 'en' where id % 7 = 0");
            st.execute("update account set blocked = true, email_bounce = '5.1.1: l''adresse n''existe pas' where id % 11 = 0");
            st.execute("""
                    update account set address_line1 = 'Appartement ' || id, address_line2 = 'Bâtiment B',
                           address_line3 = '12 rue de l''Église', address_line4 = 'BP 7', postcode = '33000',
                           city = 'Bordeaux', country = 'FRANCE' where id % 5 = 0""");
            st.execute("update account set functions = functions || array['Documentaliste, « CDI »'] where id % 13 = 0");
            st.execute("update account set created_at = date '2023-09-01' + (id % 400)::int");
        }
        before = new FormerSelection(db.database().dataSource());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static List<Map<String, List<String>>> selections() {
        List<Map<String, List<String>>> all = new ArrayList<>(List.of(
                Map.of(),
                Map.of("sort", List.of("profile,class")),
                Map.of("sort", List.of("class,profile"), "profile", List.of("Student,Relative"), "activation", List.of("pending")),
                Map.of("email", List.of("without"), "sort", List.of("class"))));
        for (Selection.Column column : Selection.Column.values()) {
            all.add(Map.of("order", List.of(column.name() + ":desc"), "sort", List.of("profile")));
            all.add(Map.of("order", List.of(column.name())));
        }
        return all;
    }

    private static List<Scope> scopes(long structureId) {
        List<SchoolClass> classes = app.selections().classes(structureId, List.of(), Scope.LOCAL_ADMIN);
        return List.of(Scope.EVERYTHING, Scope.LOCAL_ADMIN, new Scope(true, List.of(classes.get(0).id(), classes.get(2).id())));
    }

    @Test
    void everyFormOfTheQueryGivesTheAccountsOfTheFormerStatementInItsOrder() {
        int compared = 0;
        for (long structureId : structures) {
            for (Scope scope : scopes(structureId)) {
                for (Map<String, List<String>> params : selections()) {
                    Selection selection = app.selections().parse(structureId, params);
                    List<Account> expected = before.list(selection, scope);
                    String what = structureId + " " + params + " " + scope;
                    assertThat(expected).as(what).isNotEmpty();

                    assertThat(app.selections().list(selection, scope)).as(what).containsExactlyElementsOf(expected);

                    List<Account> streamed = new ArrayList<>();
                    app.selections().forEach(selection, scope, streamed::add);
                    assertThat(streamed).as(what).containsExactlyElementsOf(expected);

                    List<Account> windows = new ArrayList<>();
                    for (int offset = 0; offset < expected.size(); offset += 150) {
                        windows.addAll(app.selections().page(selection, scope, offset, 150));
                    }
                    assertThat(windows).as(what).containsExactlyElementsOf(expected);
                    compared += expected.size();
                }
                List<Account> everyone = before.list(Selection.everyone(structureId), scope);
                for (int i = 0; i < everyone.size(); i += 9) {  // the account card's query, a sample of the school
                    Account a = everyone.get(i);
                    assertThat(app.selections().account(structureId, a.id(), scope)).contains(a);
                }
            }
        }
        assertThat(compared).isGreaterThan(1000);
    }

    @Test
    void theComparisonCoversEveryField() {
        List<Account> all = new ArrayList<>();
        for (long structureId : structures) all.addAll(before.list(Selection.everyone(structureId), Scope.EVERYTHING));
        assertThat(all).anyMatch(a -> a.loginAlias() != null && "en".equals(a.language()))
                .anyMatch(a -> a.activationCode() != null && !a.activated())
                .anyMatch(a -> a.activationCode() == null && a.activated())
                .anyMatch(a -> a.blocked() && a.emailBounce() != null)
                .anyMatch(a -> a.email() != null).anyMatch(a -> a.email() == null)
                .anyMatch(a -> a.level() != null && a.classes().size() > 0)
                .anyMatch(a -> a.classes().size() > 1)
                .anyMatch(a -> a.children().size() > 0)
                .anyMatch(a -> a.functions().contains("Documentaliste, « CDI »"))
                .anyMatch(a -> a.addressLine1() != null && a.addressLine2() != null && a.addressLine3() != null
                        && a.addressLine4() != null && a.postcode() != null && a.city() != null && a.country() != null)
                .anyMatch(a -> a.city() == null)
                .anyMatch(a -> a.createdAt() != null);
        assertThat(all.stream().map(Account::profile).distinct()).hasSizeGreaterThanOrEqualTo(4);
    }
}

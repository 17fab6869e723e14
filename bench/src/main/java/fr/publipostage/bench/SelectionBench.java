package fr.publipostage.bench;

import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.db.Database;
import fr.publipostage.directory.Account;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionMapper;
import fr.publipostage.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Fills a PostgreSQL with 1,000,000 accounts over 500 schools and times the selection of one
 * 3,000-account school with filters and sort, through the application's own SelectionService.
 *
 * <p>Database: the embedded one of the tests (default), or an external one when PUBLIPOSTAGE_DB_URL
 * is set (its schema is migrated; the bench tables are filled only if empty).
 * Args: [iterations=300]
 */
public final class SelectionBench {
    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        System.out.printf("machine: %d cores, load average %.2f at start%n", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Config env = Config.fromEnvironment();
        TestDatabase.Fresh fresh = null;
        App app;
        if (env.has(Setting.DB_URL)) {
            app = App.open(env);
        } else {
            fresh = TestDatabase.fresh();
            app = fresh.app();
        }
        Database db = app.database();
        long t0 = System.nanoTime();
        int filled = fill(db);
        System.out.printf("fill: %d accounts inserted in %.1f s%n", filled, (System.nanoTime() - t0) / 1e9);

        long structureId;
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from structure where uai = '0000001B'")) {
            rs.next();
            structureId = rs.getLong(1);
        }
        // The filters of a real September: pupils and parents not activated yet, newest first years, by class.
        Selection selection = app.selections().parse(structureId, Map.of(
                "profile", List.of("Student,Relative"), "activation", List.of("pending"), "sort", List.of("class,profile")));
        Selection everyone = app.selections().parse(structureId, Map.of("sort", List.of("profile,class")));

        for (int i = 0; i < 30; i++) {  // warm-up: JIT and PostgreSQL caches
            app.selections().list(selection, Scope.LOCAL_ADMIN);
            app.selections().list(everyone, Scope.LOCAL_ADMIN);
        }
        report("pending pupils+parents, sort class,profile", app, selection, iterations);
        report("everyone, sort profile,class", app, everyone, iterations);
        reportScreen("check screen (counts + first 50 rows), everyone", app, everyone, iterations);
        explain(db, structureId);
        app.close();
        if (fresh != null) fresh.close();
        System.exit(0);
    }

    private static void report(String label, App app, Selection selection, int iterations) {
        long[] listNanos = new long[iterations];
        long[] countNanos = new long[iterations];
        int rows = 0;
        for (int i = 0; i < iterations; i++) {
            long a = System.nanoTime();
            List<Account> accounts = app.selections().list(selection, Scope.LOCAL_ADMIN);
            long b = System.nanoTime();
            SelectionMapper.Counts counts = app.selections().count(selection, Scope.LOCAL_ADMIN);
            long c = System.nanoTime();
            listNanos[i] = b - a;
            countNanos[i] = c - b;
            rows = accounts.size();
            if (counts.total() != rows) throw new IllegalStateException("count and list disagree");
        }
        System.out.printf("%s: %d rows | list p50 %.1f ms, p95 %.1f ms, max %.1f ms | count p50 %.1f ms, p95 %.1f ms (%d runs)%n",
                label, rows, pct(listNanos, 50), pct(listNanos, 95), pct(listNanos, 100),
                pct(countNanos, 50), pct(countNanos, 95), iterations);
    }

    /** What the check step requests: the counts and the first window of the table. */
    private static void reportScreen(String label, App app, Selection selection, int iterations) {
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long a = System.nanoTime();
            app.selections().count(selection, Scope.LOCAL_ADMIN);
            app.selections().page(selection, Scope.LOCAL_ADMIN, 0, 50);
            nanos[i] = System.nanoTime() - a;
        }
        System.out.printf("%s: p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d runs)%n",
                label, pct(nanos, 50), pct(nanos, 95), pct(nanos, 100), iterations);
    }

    private static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int idx = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, idx)] / 1e6;
    }

    private static void explain(Database db, long structureId) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("explain (analyze, buffers) select a.id from account a where a.structure_id = "
                     + structureId + " and a.profile in ('Student','Relative') and a.activation_code is not null")) {
            List<String> plan = new ArrayList<>();
            while (rs.next()) plan.add(rs.getString(1));
            System.out.println("plan of the filter (first lines):");
            plan.stream().limit(6).forEach(l -> System.out.println("  " + l));
        }
    }

    /** 500 schools: school 1 has 3,000 accounts, the 499 others share the rest of 1,000,000. */
    private static int fill(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select count(*) from account")) {
                rs.next();
                if (rs.getLong(1) >= 1_000_000) return 0;
            }
            c.setAutoCommit(false);
            st.execute("insert into structure (uai, name) select lpad(i::text, 7, '0') || 'B', 'École ' || i from generate_series(1, 500) i");
            st.execute("""
                    insert into school_class (structure_id, name, level)
                    select s.id, l.level || ' ' || n, l.level
                    from structure s, (values ('Seconde'), ('Première'), ('Terminale')) l(level), generate_series(1, 10) n""");
            // Account number k of school s: 60 % pupils, 25 % parents, 10 % teachers, 5 % staff.
            st.execute("""
                    insert into account (structure_id, profile, last_name, first_name, login, activation_code, email, level, created_at)
                    select s.id,
                           case when k % 20 < 12 then 'Student' when k % 20 < 17 then 'Relative' when k % 20 < 19 then 'Teacher' else 'Personnel' end,
                           (array['Martin','Lefèvre','Dubois','N''Diaye','Élie','Øberg','Le Guérec','Dupré'])[1 + k % 8] || k,
                           (array['Zoé','Léa','Noé','Anaïs','Jérôme','Hélène'])[1 + k % 6],
                           'u' || s.id || '.' || k,
                           case when k % 10 < 6 then upper(substr(md5(s.id || ':' || k), 1, 8)) end,
                           case when k % 10 < 7 then 'u' || k || '@exemple.fr' end,
                           case when k % 20 < 12 then (array['Seconde','Première','Terminale'])[1 + k % 3] end,
                           date '2024-08-25' + (k % 800)
                    from structure s
                    cross join lateral generate_series(1, case when s.uai = '0000001B' then 3000 else 1998 end) k
                    where s.uai ~ 'B$' and s.name like 'École %'""");
            // Statistics of the new rows for the joins below: a server whose autovacuum saw the table empty
            // (an earlier fill rolled back) plans nested loops over a million rows, and never ends.
            st.execute("analyze account, school_class");
            st.execute("""
                    insert into account_class (account_id, class_id)
                    select a.id, c.id from account a join school_class c
                      on c.structure_id = a.structure_id and c.level = a.level
                     and c.name = a.level || ' ' || (1 + a.id % 10)
                    where a.profile = 'Student'""");
            st.execute("""
                    insert into account_class (account_id, class_id)
                    select a.id, c.id from account a join school_class c
                      on c.structure_id = a.structure_id and c.name in ('Seconde ' || (1 + a.id % 10), 'Terminale ' || (1 + a.id % 7))
                    where a.profile = 'Teacher'""");
            // Each parent is the parent of the pupil inserted five rows before him (k % 20 in 12..16 → 7..11: pupils).
            st.execute("""
                    insert into account_relative (parent_id, child_id)
                    select p.id, c.id from account p
                    join account c on c.id = p.id - 5 and c.structure_id = p.structure_id and c.profile = 'Student'
                    where p.profile = 'Relative'""");
            st.execute("select refresh_account_read_columns(null::bigint)");
            c.commit();
            // Outside a transaction: statistics written by a rolled-back ANALYZE would be lost.
            c.setAutoCommit(true);
            st.execute("analyze");
            try (ResultSet rs = st.executeQuery("select count(*) from account")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}

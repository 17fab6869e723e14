package fr.publipostage.bench;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.db.Database;
import fr.publipostage.db.MyBatis;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.selection.FormerSelection;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.selection.SelectionMapper;
import fr.publipostage.selection.SelectionParser;
import fr.publipostage.selection.SelectionService;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * Where the time of SelectionBench's full list (school 0000001B, everyone, sort profile,class) goes: the
 * same SQL run through bare JDBC (rows fetched only; every column read), through SelectionService (the
 * {@code account} result map, the sort keys first) and through the statement as it was before issue 15
 * (FormerSelection: sort keys after the wide columns, MyBatis' automatic constructor mapping). Wall time, and
 * the CPU time of this thread (what load on the machine inflates least).
 *
 * <p>Needs the database SelectionBench filled: PUBLIPOSTAGE_DB_URL set. Args: [iterations=100]
 */
public final class SelectionBreakdown {
    private interface Step {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Config env = Config.fromEnvironment();
        if (!env.has(Setting.DB_URL)) throw new IllegalStateException("set PUBLIPOSTAGE_DB_URL to the database SelectionBench filled");
        Database db = Database.open(env);
        SqlSessionFactory sessions = MyBatis.sessionFactory(db.dataSource(), List.of(SelectionMapper.class, DirectoryMapper.class));
        SelectionService service = new SelectionService(sessions, new SelectionParser());
        long structureId;
        try (Connection c = db.dataSource().getConnection(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from structure where uai = '0000001B'")) {
            if (!rs.next()) throw new IllegalStateException("run SelectionBench first: it fills the database");
            structureId = rs.getLong(1);
        }
        Selection everyone = service.parse(structureId, Map.of("sort", List.of("profile,class")));
        Map<String, Object> parameters = new HashMap<>(Map.of("s", everyone, "scope", Scope.LOCAL_ADMIN));
        String sql = sessions.getConfiguration().getMappedStatement(SelectionMapper.class.getName() + ".select")
                .getBoundSql(parameters).getSql();
        FormerSelection former = new FormerSelection(db.dataSource());

        Step fetch = () -> jdbc(db, sql, structureId, false);
        Step read = () -> jdbc(db, sql, structureId, true);
        Step resultMap = () -> service.list(everyone, Scope.LOCAL_ADMIN);
        Step formerStatement = () -> former.list(everyone, Scope.LOCAL_ADMIN);
        for (int i = 0; i < 30; i++) {  // warm-up: JIT, server-side prepared statements
            fetch.run();
            read.run();
            resultMap.run();
            formerStatement.run();
        }
        System.out.printf("machine: %d cores; full list of 0000001B, %d runs each%n",
                Runtime.getRuntime().availableProcessors(), iterations);
        time("JDBC, rows fetched only", fetch, iterations);
        time("JDBC, every column read", read, iterations);
        time("SelectionService", resultMap, iterations);
        time("former statement (before issue 15)", formerStatement, iterations);
        db.close();
        System.exit(0);
    }

    private static void jdbc(Database db, String sql, long structureId, boolean readColumns) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, structureId);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                int columns = meta.getColumnCount();
                while (rs.next()) {
                    if (!readColumns) continue;
                    for (int i = 1; i <= columns; i++) {
                        if (meta.getColumnType(i) == java.sql.Types.ARRAY) {
                            java.sql.Array array = rs.getArray(i);
                            if (array != null) array.getArray();
                        } else {
                            rs.getString(i);
                        }
                    }
                }
            }
        }
    }

    private static void time(String label, Step step, int iterations) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] wall = new long[iterations];
        long[] cpu = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long c = threads.getCurrentThreadCpuTime();
            long a = System.nanoTime();
            step.run();
            wall[i] = System.nanoTime() - a;
            cpu[i] = threads.getCurrentThreadCpuTime() - c;
        }
        System.out.printf("%-32s wall p50 %6.1f ms, p95 %6.1f ms | Java CPU p50 %5.1f ms, p95 %5.1f ms (load average %.2f)%n",
                label, pct(wall, 50), pct(wall, 95), pct(cpu, 50), pct(cpu, 95),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}

package fr.publipostage.bench;

import fr.publipostage.Config;
import fr.publipostage.db.Database;
import fr.publipostage.db.MyBatis;
import fr.publipostage.directory.Account;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.session.SqlSessionFactory;

/** Where the full list's time goes (temporary). */
public final class SelectionBreakdown {
    interface Step { Object run() throws Exception; }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Database db = Database.open(Config.fromEnvironment());
        SqlSessionFactory f = MyBatis.sessionFactory(db.dataSource(), List.of(SelectionMapper.class, fr.publipostage.directory.DirectoryMapper.class));
        long sid;
        try (Connection c = db.dataSource().getConnection(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from structure where uai = '0000001B'")) {
            rs.next();
            sid = rs.getLong(1);
        }
        SelectionService service = new SelectionService(f, new SelectionParser());
        Selection everyone = service.parse(sid, Map.of("sort", List.of("profile,class")));
        Map<String, Object> params = new HashMap<>();
        params.put("s", everyone);
        params.put("scope", Scope.LOCAL_ADMIN);
        params.put("param1", everyone);
        params.put("param2", Scope.LOCAL_ADMIN);
        BoundSql bound = f.getConfiguration().getMappedStatement("fr.publipostage.selection.SelectionMapper.select").getBoundSql(params);
        String sql = bound.getSql();
        System.out.println(sql.replaceAll("\\s+", " "));
        System.out.println("params: " + bound.getParameterMappings().size());
        Object[] values = {sid};

        Step mybatis = () -> service.list(everyone, Scope.LOCAL_ADMIN);
        Step next = () -> jdbc(db, sql, values, 0);
        Step strings = () -> jdbc(db, sql, values, 1);
        Step arrays = () -> jdbc(db, sql, values, 2);
        for (int w = 0; w < 20; w++) { mybatis.run(); next.run(); strings.run(); arrays.run(); }
        time("jdbc next() only", next, n);
        time("jdbc getString all", strings, n);
        time("jdbc getString + getArray", arrays, n);
        time("mybatis list", mybatis, n);
        time("jdbc next() only", next, n);
        time("mybatis list", mybatis, n);
        db.close();
        System.exit(0);
    }

    static int jdbc(Database db, String sql, Object[] values, int mode) throws Exception {
        int rows = 0;
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
            try (ResultSet rs = ps.executeQuery()) {
                int cols = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    rows++;
                    if (mode >= 1) {
                        for (int i = 1; i <= cols; i++) {
                            String t = rs.getMetaData().getColumnTypeName(i);
                            if (mode == 2 && t.startsWith("_")) {
                                java.sql.Array a = rs.getArray(i);
                                if (a != null) a.getArray();
                            } else rs.getString(i);
                        }
                    }
                }
            }
        }
        return rows;
    }

    static void time(String label, Step step, int n) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] wall = new long[n];
        long[] cpu = new long[n];
        for (int i = 0; i < n; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long a = System.nanoTime();
            step.run();
            wall[i] = System.nanoTime() - a;
            cpu[i] = mx.getCurrentThreadCpuTime() - c0;
        }
        System.out.printf("%-28s wall p50 %6.1f p95 %6.1f | java cpu p50 %6.1f p95 %6.1f ms (load %.2f)%n", label,
                p(wall, 50), p(wall, 95), p(cpu, 50), p(cpu, 95),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    static double p(long[] v, int pct) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.max(0, (int) Math.ceil(pct / 100.0 * s.length) - 1)] / 1e6;
    }
}

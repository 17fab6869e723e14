package fr.publipostage.bench;

import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.letters.LetterEngine;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * In-process, warm: the demo school plus N synthetic pupils (default 10,000) through the whole
 * pipeline (selection query → Velocity → chunked PDF → merged file). Run with the heap under test:
 * {@code bash bench/letters.sh [N] [RUNS]} (java -Xmx256m, 2 cores). Prints pages/s, peak heap,
 * bytes per page, the collectors' pauses and the compiler's time ({@link JvmTimes}) for each run;
 * {@code JAVA_OPTS=-Dkeep=DIR} keeps the last run's PDF in DIR, {@code -Dtagged=false} prints untagged
 * (as {@code PUBLIPOSTAGE_PDF_TAGGED=false}).
 */
public final class LettersBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String threads = System.getProperty("threads", "0");
        String chunk = System.getProperty("chunk", "100");
        String tagged = System.getProperty("tagged", "true");
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app(Map.of(Setting.PDF_THREADS, threads, Setting.PDF_CHUNK_PAGES, chunk, Setting.PDF_TAGGED, tagged));
            app.demo().loadIfEmpty();
            app.importer().importCsv(new ByteArrayInputStream(synthetic(n).getBytes(StandardCharsets.UTF_8)), null);
            long lycee = app.structureByUai(DemoDirectory.LYCEE_UAI).id();
            Selection pupils = app.selections().parse(lycee, Map.of("class", List.of("BENCH 1", "BENCH 2", "BENCH 3",
                    "BENCH 4", "BENCH 5"), "sort", List.of("class")));
            int accounts = app.selections().count(pupils, Scope.LOCAL_ADMIN).total();
            System.out.printf("accounts: %d, cores: %d, max heap: %d MB, chunk: %s pages, threads: %s, tagged: %s%n", accounts,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, chunk, threads, tagged);
            // Warm-up on a part of the selection.
            run(app, app.selections().parse(lycee, Map.of("class", List.of("BENCH 1"))), "warm-up");
            for (int r = 1; r <= runs; r++) run(app, pupils, "run " + r);
            Selection byClassWithCovers = app.selections().parse(lycee, Map.of("sort", List.of("class"),
                    "cover", List.of("true"), "profile", List.of("Student")));
            for (int r = 1; r <= 3; r++) {
                long t0 = System.nanoTime();
                byte[] png = app.letters().preview(byClassWithCovers, Scope.LOCAL_ADMIN, "bench");
                long t1 = System.nanoTime();
                byte[] one = app.letters().preview(pupils, Scope.LOCAL_ADMIN, "bench");
                long t2 = System.nanoTime();
                System.out.printf("preview page 1 (cover sheet of the first class): %d ms, %d KB; (a letter): %d ms, %d KB%n",
                        (t1 - t0) / 1_000_000, png.length / 1024, (t2 - t1) / 1_000_000, one.length / 1024);
            }
            app.close();
        }
        System.exit(0);
    }

    static void run(App app, Selection selection, String label) throws Exception {
        Path out = Files.createTempFile("letters-bench", ".pdf");
        PeakHeap peak = new PeakHeap();
        peak.start();
        long t0 = System.nanoTime();
        long cpu0 = processCpu();
        JvmTimes jvm0 = JvmTimes.now();
        LetterEngine.Result r;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            r = app.letters().print(selection, Scope.LOCAL_ADMIN, "bench", "bench", os, LetterEngine.Progress.NONE);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpu() - cpu0) / 1e9;
        JvmTimes jvm = JvmTimes.now().minus(jvm0);
        peak.interrupt();
        peak.join();
        System.out.printf("%s: %d accounts, %d pages in %.2f s = %.0f pages/s (process CPU %.1f s = %.0f pages per CPU-second);"
                        + " peak heap used %d MB; %d bytes/page; machine load %.1f; GC pauses %.1f s (%d); JIT compiling %.1f s%n",
                label, r.accounts(), r.pages(), s, r.pages() / s, cpu, r.pages() / cpu, peak.max >> 20,
                r.bytes() / Math.max(1, r.pages()), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                jvm.gcMillis() / 1e3, jvm.gcCount(), jvm.jitMillis() / 1e3);
        String keep = System.getProperty("keep");  // -Dkeep=DIR: the last run's PDF stays there, to inspect
        if (keep == null) Files.delete(out);
        else Files.move(out, Path.of(keep).resolve("letters-bench.pdf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Where a run's time went besides the letters: the collectors' pauses as their MXBeans count them
     * (on Java 17, G1's young, mixed and full pauses; from Java 20 its remark and cleanup too) and the
     * compiler threads' time (summed over threads, so it can exceed the run's wall time).
     */
    record JvmTimes(long gcMillis, long gcCount, long jitMillis) {
        static JvmTimes now() {
            long ms = 0;
            long count = 0;
            for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
                ms += Math.max(0, b.getCollectionTime());
                count += Math.max(0, b.getCollectionCount());
            }
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            long jitMs = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
            return new JvmTimes(ms, count, jitMs);
        }

        JvmTimes minus(JvmTimes before) {
            return new JvmTimes(gcMillis - before.gcMillis, gcCount - before.gcCount, jitMillis - before.jitMillis);
        }
    }

    /** Samples the heap in use every 5 ms (the JVM's own peak counters include garbage not yet collected). */
    static final class PeakHeap extends Thread {
        volatile long max;

        PeakHeap() {
            setDaemon(true);
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
            }
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                long used = 0;
                for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (p.getType() == MemoryType.HEAP) used += p.getUsage().getUsed();
                }
                max = Math.max(max, used);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    public static String synthetic(int n) {
        String[] first = {"Zoé", "Anaïs", "Jérôme", "Hélène", "Maëlys", "Loïc", "Bérénice", "Noël", "Clémence", "Raphaël"};
        String[] last = {"Lefèvre", "Müller", "Châtelain", "Després", "Lemaître", "Brûlé", "Thébault", "Guérin", "Léger"};
        String code = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        Random r = new Random(7);
        StringBuilder sb = new StringBuilder("uai;structure_name;profile;last_name;first_name;login;login_alias;"
                + "activation_code;email;level;classes;relatives;functions;created_at;language\n");
        for (int i = 0; i < n; i++) {
            StringBuilder c = new StringBuilder();
            for (int k = 0; k < 8; k++) c.append(code.charAt(r.nextInt(code.length())));
            sb.append(DemoDirectory.LYCEE_UAI).append(";;Student;").append(last[r.nextInt(last.length)]).append(';')
                    .append(first[r.nextInt(first.length)]).append(";bench.").append(i).append(";;")
                    .append(i % 4 == 3 ? "" : c).append(";;Seconde;BENCH ").append(1 + i * 5 / n)
                    .append(";;;2025-09-01;\n");
        }
        return sb.toString();
    }
}

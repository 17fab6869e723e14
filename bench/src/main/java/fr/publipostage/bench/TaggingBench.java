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
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What tagging costs, side by side in one JVM on the same accounts: untagged
 * ({@code PUBLIPOSTAGE_PDF_TAGGED=false}), tagged PDF/UA-1 (the default) and the PDF/A-2u archive copy
 * (tagged too), interleaved run after run so the shared machine's load falls on all three alike.
 * {@code BENCH_MAIN=TaggingBench bash bench/letters.sh [N] [RUNS] [LAYOUT]}: warm pages/s (wall and
 * per CPU-second) and bytes per page, each run, then the medians and the ratios to untagged.
 */
public final class TaggingBench {
    enum Mode { untagged, tagged, archive }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String layout = args.length > 2 ? args[2] : "1";
        String threads = System.getProperty("threads", "0");
        String chunk = System.getProperty("chunk", "100");
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App tagged = db.app(Map.of(Setting.PDF_THREADS, threads, Setting.PDF_CHUNK_PAGES, chunk));
            App untagged = db.app(Map.of(Setting.PDF_THREADS, threads, Setting.PDF_CHUNK_PAGES, chunk,
                    Setting.PDF_TAGGED, "false"));
            tagged.demo().loadIfEmpty();
            tagged.importer().importCsv(new ByteArrayInputStream(LettersBench.synthetic(n).getBytes(StandardCharsets.UTF_8)), null);
            long lycee = tagged.structureByUai(DemoDirectory.LYCEE_UAI).id();
            Selection pupils = tagged.selections().parse(lycee, Map.of("class", List.of("BENCH 1", "BENCH 2", "BENCH 3",
                    "BENCH 4", "BENCH 5"), "sort", List.of("class"), "layout", List.of(layout)));
            Selection warm = tagged.selections().parse(lycee, Map.of("class", List.of("BENCH 1"), "layout", List.of(layout)));
            System.out.printf("accounts: %d, layout %s, cores: %d, max heap: %d MB, chunk: %s pages, threads: %s, load %.1f%n",
                    tagged.selections().count(pupils, Scope.LOCAL_ADMIN).total(), layout,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, chunk, threads, load());
            for (Mode m : Mode.values()) run(m == Mode.untagged ? untagged : tagged, warm, m, "warm-up");
            Map<Mode, List<double[]>> results = new EnumMap<>(Mode.class);
            for (int r = 1; r <= runs; r++) {
                for (Mode m : Mode.values()) {
                    results.computeIfAbsent(m, k -> new ArrayList<>())
                            .add(run(m == Mode.untagged ? untagged : tagged, pupils, m, "run " + r));
                }
            }
            double[] base = median(results.get(Mode.untagged));
            System.out.println("medians:");
            for (Mode m : Mode.values()) {
                double[] med = median(results.get(m));
                System.out.printf("  %-8s %6.1f pages/s (%3.0f %% of untagged), %6.1f pages per CPU-s (%3.0f %%), %6.0f bytes/page (×%.2f)%n",
                        m, med[0], 100 * med[0] / base[0], med[1], 100 * med[1] / base[1], med[2], med[2] / base[2]);
            }
            System.out.printf("load average at the end: %.1f%n", load());
            untagged.close();
            tagged.close();
        }
        System.exit(0);
    }

    /** {pages/s, pages per CPU-second, bytes/page}. */
    static double[] run(App app, Selection selection, Mode mode, String label) throws Exception {
        Path out = Files.createTempFile("tagging-bench", ".pdf");
        long t0 = System.nanoTime();
        long cpu0 = LettersBench.processCpu();
        LetterEngine.Result r;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            r = app.letters().print(selection, Scope.LOCAL_ADMIN, "bench", "bench", os, LetterEngine.Progress.NONE,
                    mode == Mode.archive);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (LettersBench.processCpu() - cpu0) / 1e9;
        Files.delete(out);
        double[] figures = {r.pages() / s, r.pages() / cpu, (double) r.bytes() / Math.max(1, r.pages())};
        System.out.printf("%-8s %s: %d pages in %.2f s = %.1f pages/s, %.1f pages per CPU-s, %.0f bytes/page, load %.1f%n",
                mode, label, r.pages(), s, figures[0], figures[1], figures[2], load());
        return figures;
    }

    static double[] median(List<double[]> rows) {
        double[] m = new double[3];
        for (int k = 0; k < 3; k++) {
            int col = k;
            double[] v = rows.stream().mapToDouble(x -> x[col]).sorted().toArray();
            m[k] = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }
        return m;
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}

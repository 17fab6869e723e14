package fr.publipostage.bench;

import fr.publipostage.App;
import fr.publipostage.customisation.Sample;
import fr.publipostage.customisation.TemplateEditor;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.util.Arrays;

/**
 * The template editor's preview: how long one page takes, from the draft text to the PNG (a Velocity
 * engine of the draft's own, the letter engine's one-account print with its page check, PDFBox
 * rasterising page 1 at 110 dpi, PNG encoding) — and how long a save's checks take (worst case in
 * both languages, layouts 1 with cover, 2 and 8, glyphs, mails). The first calls are reported apart
 * (cold JVM).
 *
 * <p>Args: [runs, default 40]
 */
public final class PreviewBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        System.out.printf("PreviewBench: %d cores, Java %s, %d runs%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), runs);
        try (TestDatabase.Fresh db = TestDatabase.fresh(); App app = db.app()) {
            app.demo().loadIfEmpty();
            long lycee = app.structureByUai(DemoDirectory.LYCEE_UAI).id();
            TemplateEditor editor = app.templateEditor();
            String text = editor.file(lycee, "print-activation.vm").text();
            Account pupil = app.selections().list(Selection.everyone(lycee), Scope.LOCAL_ADMIN).stream()
                    .filter(a -> !a.activated()).findFirst().orElseThrow();

            time("cold: first draft preview (worst case)", 1, i ->
                    editor.previewPage(lycee, "print-activation.vm", text + "<!-- " + i + " -->", Sample.WORST_PENDING, 1, "fr", Scope.LOCAL_ADMIN, "bench"));
            time("draft preview, worst case, layout 1", runs, i ->
                    editor.previewPage(lycee, "print-activation.vm", text + "<!-- " + i + " -->", Sample.WORST_PENDING, 1, "fr", Scope.LOCAL_ADMIN, "bench"));
            time("draft preview, real account, layout 1", runs, i ->
                    editor.previewPage(lycee, "print-activation.vm", text + "<!-- " + i + " -->", Sample.account(pupil.id()), 1, null, Scope.LOCAL_ADMIN, "bench"));
            time("saved set preview, real account", runs, i ->
                    editor.previewPage(lycee, "print-activation.vm", null, Sample.account(pupil.id()), 1, null, Scope.LOCAL_ADMIN, "bench"));
            time("draft preview, layout 8", runs, i ->
                    editor.previewPage(lycee, "print-card.vm", null, Sample.WORST_PENDING, 8, "fr", Scope.LOCAL_ADMIN, "bench"));
            time("checks of a save (no store)", Math.max(5, runs / 4), i ->
                    editor.check(lycee, "print-activation.vm", text + "<!-- " + i + " -->"));
        }
        System.exit(0);
    }

    interface Step {
        Object run(int i) throws Exception;
    }

    private static void time(String label, int runs, Step step) throws Exception {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            step.run(i);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%-42s n=%3d  median %7.1f ms  p95 %7.1f ms  max %7.1f ms%n", label, runs,
                ms[runs / 2], ms[Math.min(runs - 1, (int) Math.ceil(runs * 0.95) - 1)], ms[runs - 1]);
    }
}

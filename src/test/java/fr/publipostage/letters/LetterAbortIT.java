package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.directory.Structure;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.templates.BuiltinTemplates;
import fr.publipostage.templates.TemplateSource;
import fr.publipostage.templates.TemplateVariables;
import fr.publipostage.templates.VelocityRenderer;
import fr.publipostage.templates.Messages;
import fr.publipostage.templates.QrCodes;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The third correctness fault of issue 10: a print that is cancelled or fails waits for the chunks
 * still rendering before it deletes its temp folder, and leaves no chunk file (they hold activation
 * codes) behind.
 */
class LetterAbortIT {
    private static TestDatabase.Fresh db;
    private static App app;
    private static Structure lycee;

    @BeforeAll
    static void load() {
        db = TestDatabase.fresh();
        app = db.app();
        app.demo().loadIfEmpty();
        lycee = app.structureByUai(DemoDirectory.LYCEE_UAI);
    }

    @AfterAll
    static void close() {
        app.close();
        db.close();
    }

    /** Counts the chunk tasks running (afterExecute runs once a task is really over). */
    static final class CountingPool extends ThreadPoolExecutor {
        final AtomicInteger running = new AtomicInteger();

        CountingPool(int threads) {
            super(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        }

        @Override
        protected void beforeExecute(Thread t, Runnable r) {
            running.incrementAndGet();
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            running.decrementAndGet();
        }

        /** Whether every task is over within {@code millis} (the engine returns a hair before afterExecute). */
        boolean idleWithin(long millis) throws InterruptedException {
            long end = System.nanoTime() + millis * 1_000_000;
            while (running.get() > 0) {
                if (System.nanoTime() > end) return false;
                Thread.sleep(2);
            }
            return true;
        }
    }

    private static LetterEngine engine(CountingPool pool, Path dir, fr.publipostage.templates.TemplateResolver templates) {
        Messages messages = new Messages();
        return new LetterEngine(app.selections(), id -> lycee, new VelocityRenderer(templates),
                new TemplateVariables(messages, new QrCodes()), new PdfRenderer(new Fonts()), pool, 2, 40, dir,
                Clock.systemDefaultZone());
    }

    private static void assertNothingLeft(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).toList()).as("chunk files left in " + dir).isEmpty();
        }
    }

    /**
     * Templates that take 20 ms to find, whatever interrupts say (like a layout busy in PDFBox): a chunk
     * of 40 letters renders for a second or more, so chunks are surely in flight when a print stops.
     */
    private static fr.publipostage.templates.TemplateResolver slow(fr.publipostage.templates.TemplateResolver base) {
        return (structureId, name) -> {
            long end = System.nanoTime() + 20_000_000;
            while (System.nanoTime() < end) Thread.onSpinWait();
            return base.resolve(structureId, name);
        };
    }

    private Selection pupils() {
        return app.selections().parse(lycee.id(), Map.of("profile", List.of("Student")));
    }

    @Test
    void aCancelledPrintWaitsForItsChunksAndLeavesNothing() throws Exception {
        Path dir = Files.createTempDirectory("letters-cancel");
        CountingPool pool = new CountingPool(2);
        try {
            LetterEngine engine = engine(pool, dir, slow(new BuiltinTemplates()));
            AtomicBoolean cancel = new AtomicBoolean();
            // Cancelled as soon as the first chunk is done: the next ones are rendering.
            assertThatThrownBy(() -> engine.print(pupils(), Scope.LOCAL_ADMIN, 400, new ByteArrayOutputStream(),
                    (done, total) -> cancel.set(true), cancel::get)).isInstanceOf(CancellationException.class);
            assertThat(pool.idleWithin(300)).as("no chunk still rendering when the print returns").isTrue();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertNothingLeft(dir);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedPrintWaitsForItsChunksAndLeavesNothing() throws Exception {
        Path dir = Files.createTempDirectory("letters-failure");
        CountingPool pool = new CountingPool(2);
        BuiltinTemplates builtins = new BuiltinTemplates();
        // The first pupil's letter runs over its page: the first chunk fails while the next ones render.
        String first = app.selections().list(pupils(), Scope.LOCAL_ADMIN).get(0).login();
        fr.publipostage.templates.TemplateResolver overflowing = (structureId, name) -> {
            Optional<TemplateSource> t = builtins.resolve(structureId, name);
            if (!name.equals("print-activation.vm") && !name.equals("print-reminder.vm")) return t;
            String text = t.orElseThrow().text().replaceFirst("</div>\\s*$", java.util.regex.Matcher.quoteReplacement(
                    "#if($account.login == '" + first + "')#foreach($i in [1..80])<p>$msg.get('letter.notice')</p>#end#end</div>\n"));
            return Optional.of(new TemplateSource(name, "test", 1, text));
        };
        try {
            LetterEngine engine = engine(pool, dir, slow(overflowing));
            assertThatThrownBy(() -> engine.print(pupils(), Scope.LOCAL_ADMIN, 400, new ByteArrayOutputStream(),
                    LetterEngine.Progress.NONE, () -> false)).isInstanceOf(LetterFailure.class);
            assertThat(pool.idleWithin(300)).as("no chunk still rendering when the print returns").isTrue();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertNothingLeft(dir);
        } finally {
            pool.shutdownNow();
        }
    }
}

package fr.publipostage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.letters.LetterEngine;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fault found by reading: code that holds one pooled connection while it waits for another
 * (starting a campaign held its insert transaction while the selection query asked the pool for a
 * second connection; the campaign worker held its ledger session while looking the school up). With
 * the default pool of 10, simultaneous requests took every connection and each waited for a second one
 * until the pool's timeout.
 */
class ConnectionPoolIT {
    private TestDatabase.Fresh db;
    private App app;

    @AfterEach
    void tearDown() {
        if (app != null) app.close();
        if (db != null) db.close();
    }

    /** One request's outcome: how long it took, and what went wrong if it did. */
    private record Timed(String what, long millis, Throwable failure) {
    }

    @Test
    void twentyCampaignStartsAndTwentyPrintsAtOnceOnAPoolOfTen() throws Exception {
        db = TestDatabase.fresh(10, Duration.ofSeconds(30));
        app = db.app(Map.of(Setting.PDF_CHUNK_PAGES, "20"));
        app.demo().loadIfEmpty();
        long lycee = app.structureByUai(DemoDirectory.LYCEE_UAI).id();
        Selection teachers = app.selections().parse(lycee, Map.of("profile", List.of("Teacher")));
        // A print request that renders a few letters: what is measured is waiting for connections.
        Selection guests = app.selections().parse(lycee, Map.of("profile", List.of("Guest")));
        // A server answers warm: fonts and templates loaded once before the rush.
        app.letters().print(guests, Scope.LOCAL_ADMIN, "admin.pool", "web", OutputStream.nullOutputStream(),
                LetterEngine.Progress.NONE);
        long w0 = System.nanoTime();
        var warm = app.letters().print(guests, Scope.LOCAL_ADMIN, "admin.pool", "web", OutputStream.nullOutputStream(),
                LetterEngine.Progress.NONE);
        System.out.println("one print alone, warm: " + warm.pages() + " page(s) in " + (System.nanoTime() - w0) / 1_000_000 + " ms");
        ExecutorService threads = Executors.newFixedThreadPool(40);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Timed>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(threads.submit(() -> timed("campaign start", go,
                    () -> app.campaigns().start(teachers, Scope.LOCAL_ADMIN, "admin.pool"))));
            results.add(threads.submit(() -> timed("print", go, () -> app.letters().print(guests, Scope.LOCAL_ADMIN,
                    "admin.pool", "web", OutputStream.nullOutputStream(), LetterEngine.Progress.NONE))));
        }
        go.countDown();
        List<Timed> all = new ArrayList<>();
        for (Future<Timed> f : results) all.add(f.get(3, TimeUnit.MINUTES));
        threads.shutdownNow();
        for (String what : List.of("campaign start", "print")) {
            System.out.println("pool of 10, 20 campaign starts + 20 prints at once: worst " + what + " "
                    + all.stream().filter(t -> t.what().equals(what)).mapToLong(Timed::millis).max().orElse(0) + " ms");
        }
        for (Timed t : all) {
            assertThat(t.failure()).as(t.what() + " failed").isNull();
            // The pool gives up after 30 s: a request waiting for a second connection would take that long
            // (the prints themselves are CPU-bound: 2.7 s for one alone on a loaded 2-core machine, ~0.1 s quiet).
            assertThat(t.millis()).as(t.what() + " answered within seconds").isLessThan(25_000);
        }
    }

    private interface Call {
        Object call() throws Exception;
    }

    private static Timed timed(String what, CountDownLatch go, Call call) throws InterruptedException {
        go.await();
        long t0 = System.nanoTime();
        try {
            call.call();
            return new Timed(what, (System.nanoTime() - t0) / 1_000_000, null);
        } catch (Exception | AssertionError e) {
            return new Timed(what, (System.nanoTime() - t0) / 1_000_000, e);
        }
    }
}

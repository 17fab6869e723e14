package fr.publipostage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.testing.Fleet;
import fr.publipostage.testing.HttpSession;
import fr.publipostage.testing.Instance;
import fr.publipostage.testing.SharedDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 20 campaign starts and 20 print requests at once, over HTTP, on an instance in a JVM of its own with
 * the default pool of 10 connections, its background workers running (campaigns sending to the
 * sandbox, letters jobs rendering): every request answers, within seconds. A request that held one
 * pooled connection while it waited for another would wait for the pool's 30 s timeout.
 */
class PoolInstancesIT {
    private record Answer(String what, int status, long millis) {
    }

    @ParameterizedTest
    @EnumSource(SharedDatabase.Kind.class)
    void twentyCampaignStartsAndTwentyPrintsAtOnce(SharedDatabase.Kind kind) throws Exception {
        try (Fleet fleet = new Fleet(kind, Map.of())) {
            fleet.school(360, 40);
            Instance server = fleet.serve("inst-pool", Map.of("PUBLIPOSTAGE_DB_POOL_SIZE", "10",
                    "PUBLIPOSTAGE_PDF_DIRECT_MAX", "60"));
            HttpSession session = fleet.login(server);
            String base = "/api/structures/" + Fleet.UAI;
            // Warm: a server answers with its fonts and templates loaded.
            assertThat(session.post(base + "/letters", Map.of("class", "2nde 1")).statusCode()).isEqualTo(200);

            ExecutorService threads = Executors.newFixedThreadPool(40);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(threads.submit(() -> timed(go, "campaign start",
                        () -> session.post(base + "/campaigns", Map.of("profile", "Teacher")))));
                // Half print one class directly (30 letters in the response), half queue the whole school.
                Map<String, String> print = i % 2 == 0 ? Map.of("class", "2nde " + (1 + i / 2)) : Map.of("layout", "1");
                answers.add(threads.submit(() -> timed(go, "print", () -> session.post(base + "/letters", print))));
            }
            go.countDown();
            List<Answer> all = new ArrayList<>();
            for (Future<Answer> f : answers) all.add(f.get(3, TimeUnit.MINUTES));
            threads.shutdownNow();
            long worstStart = all.stream().filter(a -> a.what().equals("campaign start")).mapToLong(Answer::millis).max().orElse(0);
            long worstPrint = all.stream().filter(a -> a.what().equals("print")).mapToLong(Answer::millis).max().orElse(0);
            System.out.printf("[%s] pool of 10, 20 campaign starts + 20 prints at once: worst campaign start %d ms, worst print %d ms%n",
                    fleet.db, worstStart, worstPrint);
            for (Answer a : all) {
                assertThat(a.status()).as(a.what() + " answered " + a.status() + "\n" + server.tail()).isIn(200, 201, 202);
                assertThat(a.millis()).as(a.what() + " answered within seconds").isLessThan(25_000);
            }
            assertThat(fleet.db.queryLong("select count(*) from mail_campaign")).isEqualTo(20);
            assertThat(server.log()).doesNotContain("Connection is not available");
        }
    }

    private interface Call {
        HttpResponse<String> call();
    }

    private static Answer timed(CountDownLatch go, String what, Call call) throws InterruptedException {
        go.await();
        long t0 = System.nanoTime();
        HttpResponse<String> r = call.call();
        return new Answer(what, r.statusCode(), (System.nanoTime() - t0) / 1_000_000);
    }
}

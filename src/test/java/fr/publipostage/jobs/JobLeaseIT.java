package fr.publipostage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.db.MyBatis;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults of the letter-job queue found by reading: a job that reports no progress for a while (its
 * final merge and upload) was taken over while its owner still ran, and a worker that had lost its
 * job could still delete or write the result of the new owner.
 */
class JobLeaseIT {
    private TestDatabase.Fresh db;
    private JobStore store;
    private long structureId;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.fresh();
        store = new JobStore(MyBatis.sessionFactory(db.database().dataSource(), List.of(LetterJobMapper.class)));
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into structure (uai, name) values ('0330077K', 'Lycée du bail')");
        }
        structureId = 1;
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("select id from structure where uai = '0330077K'")) {
            rs.next();
            structureId = rs.getLong(1);
        }
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aJobIsNotTakenOverWhileItsOwnerRunsWithoutReportingProgress() throws Exception {
        long id = store.enqueue(structureId, "admin.lease", "{}", 1);
        AtomicInteger runs = new AtomicInteger();
        // Renders, then merges and uploads for three seconds without a word of progress.
        JobWorker.Handler slow = (job, context, result) -> {
            runs.incrementAndGet();
            result.write("%PDF-owner".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(3_000);
            return JobWorker.Outcome.done(1, 1, 10);
        };
        var scheduler = Executors.newScheduledThreadPool(2);
        // Stale after one second without a heartbeat.
        JobWorker owner = new JobWorker(store, slow, "instance-a", 60, 1, scheduler);
        JobWorker other = new JobWorker(store, slow, "instance-b", 60, 1, scheduler);
        Thread first = new Thread(owner::poll);
        first.start();
        long end = System.nanoTime() + 4_000_000_000L;
        while (first.isAlive() && System.nanoTime() < end) {
            other.poll();
            Thread.sleep(100);
        }
        first.join();
        scheduler.shutdownNow();
        assertThat(runs.get()).as("times the job ran").isEqualTo(1);
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(LetterJob.DONE);
    }

    @Test
    void aWorkerThatLostItsJobCannotTouchTheNewOwnersResult() throws Exception {
        long id = store.enqueue(structureId, "admin.lease", "{}", 1);
        assertThat(store.claim("instance-a")).isPresent();
        // Instance A froze: its job is taken over by B, which writes its PDF and finishes.
        sql("update letter_job set heartbeat_at = now() - interval '1 hour' where id = " + id);
        assertThat(store.requeueStale(1)).isEqualTo(1);
        assertThat(store.claim("instance-b")).isPresent();
        byte[] good = "%PDF-written-by-b".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = store.resultStream(id)) {
            out.write(good);
        }
        assertThat(store.finish(id, "instance-b", LetterJob.DONE, 1, (long) good.length, 1, null, null, 60)).isTrue();

        // A wakes up and goes on as if it still had the job: it writes its result, then cleans up.
        try (OutputStream late = store.resultStream(id)) {
            late.write("%PDF-late-a".getBytes(StandardCharsets.US_ASCII));
        } catch (RuntimeException refused) {
            // Refusing the late write is right.
        }
        store.deleteResult(id);

        ByteArrayOutputStream downloaded = new ByteArrayOutputStream();
        store.download(id, downloaded);
        assertThat(downloaded.toByteArray()).as("the done job's PDF is B's, whole").isEqualTo(good);
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}

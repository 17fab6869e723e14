package fr.publipostage.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.db.MyBatis;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults of the letter-job queue found by reading: a job that reports no progress for a while (its
 * final merge and upload) was taken over while its owner still ran, and a worker that had lost its
 * job could still delete or write the result of the new owner. Both tests failed before the lease
 * engine (written then against the old JobStore/JobWorker API, same scenarios).
 */
class JobLeaseIT {
    private TestDatabase.Fresh db;
    private JobStore store;
    private long structureId;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.fresh();
        store = new JobStore(MyBatis.sessionFactory(db.database().dataSource(), List.of(LetterJobMapper.class, LeaseMapper.class)));
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

    /** An instance's lease engine on the test database: leases of {@code lease}, heartbeat four times a lease. */
    private Leases leases(String owner, Duration lease) {
        return new Leases(MyBatis.sessionFactory(db.database().dataSource(), List.of(LetterJobMapper.class, LeaseMapper.class)),
                owner, WorkEvents.NONE, lease.dividedBy(4));
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
        // A lease of one second: without its own heartbeat, the job would be taken over three times.
        Duration lease = Duration.ofSeconds(1);
        try (Leases a = leases("instance-a", lease); Leases b = leases("instance-b", lease)) {
            JobWorker owner = new JobWorker(store, a, slow, lease, 60, WorkEvents.NONE);
            JobWorker other = new JobWorker(store, b, slow, lease, 60, WorkEvents.NONE);
            Thread first = new Thread(owner::poll);
            first.start();
            long end = System.nanoTime() + 4_000_000_000L;
            while (first.isAlive() && System.nanoTime() < end) {
                other.poll();
                Thread.sleep(100);
            }
            first.join();
        }
        assertThat(runs.get()).as("times the job ran").isEqualTo(1);
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(LetterJob.DONE);
    }

    @Test
    void aWorkerThatLostItsJobCannotTouchTheNewOwnersResult() throws Exception {
        long id = store.enqueue(structureId, "admin.lease", "{}", 1);
        Duration duration = Duration.ofSeconds(30);
        try (Leases a = leases("instance-a", duration); Leases b = leases("instance-b", duration)) {
            Leases.PutBack requeue = (tx, epochs, expired) -> store.requeue(tx, epochs);
            Lease first = a.claim(JobStore.KIND, duration, store.nextQueued(), null, requeue).orElseThrow().lease();
            // Instance A froze past its lease: B takes the job over, writes its PDF and finishes.
            sql("update work_lease set expires_at = now() - interval '1 second' where epoch = " + first.epoch());
            assertThat(b.takeBackExpired(JobStore.KIND, requeue)).isEqualTo(1);
            Lease second = b.claim(JobStore.KIND, duration, store.nextQueued(), null, requeue).orElseThrow().lease();
            assertThat(second.epoch()).isGreaterThan(first.epoch());
            byte[] good = "%PDF-written-by-b".getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = store.resultStream(second.fence(), id)) {
                out.write(good);
            }
            assertThat(store.finish(second.fence(), id, LetterJob.DONE, 1, (long) good.length, 1, null, null, 60)).isTrue();

            // A wakes up and goes on as if it still had the job: it writes its result, then cleans up.
            assertThatThrownBy(() -> {
                try (OutputStream late = store.resultStream(first.fence(), id)) {
                    late.write("%PDF-late-a".getBytes(StandardCharsets.US_ASCII));
                }
            }).isInstanceOf(LeaseLost.class);
            assertThat(store.deleteResult(first.fence(), id)).isZero();
            assertThat(store.finish(first.fence(), id, LetterJob.FAILED, null, null, null, "job.failed", null, 60)).isFalse();

            ByteArrayOutputStream downloaded = new ByteArrayOutputStream();
            store.download(id, downloaded);
            assertThat(downloaded.toByteArray()).as("the done job's PDF is B's, whole").isEqualTo(good);
        }
    }

    @Test
    void aLeaseHandedBackIsResumedAtOnceAndAFencedWriteAfterItChangesNothing() throws Exception {
        long id = store.enqueue(structureId, "admin.lease", "{}", 1);
        Duration duration = Duration.ofMinutes(5);
        try (Leases a = leases("instance-a", duration); Leases b = leases("instance-b", duration)) {
            Leases.PutBack requeue = (tx, epochs, expired) -> store.requeue(tx, epochs);
            Lease first = a.claim(JobStore.KIND, duration, store.nextQueued(), null, requeue).orElseThrow().lease();
            try (OutputStream out = store.resultStream(first.fence(), id)) {
                out.write(new byte[JobStore.PART_SIZE + 10]);
            }
            // A stops (SIGTERM): it hands the job back long before the five minutes of its lease.
            assertThat(a.release(first)).isTrue();
            LetterJob back = store.find(id).orElseThrow();
            assertThat(back.state()).isEqualTo(LetterJob.QUEUED);
            assertThat(partsOf(id)).as("the interrupted attempt's parts are gone").isZero();
            assertThat(b.claim(JobStore.KIND, duration, store.nextQueued(), null, requeue)).as("B resumes it at once").isPresent();
            assertThatThrownBy(() -> {
                try (OutputStream late = store.resultStream(first.fence(), id)) {
                    late.write(1);
                }
            }).isInstanceOf(LeaseLost.class);
            assertThat(partsOf(id)).isZero();
        }
    }

    private long partsOf(long id) throws Exception {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("select count(*) from letter_job_part where job_id = " + id)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    // ---- found by reading (a review): when the heartbeat finds a lease expired in the database (the
    // instance froze past it: a GC pause, SIGSTOP, a VM migration) but nobody has taken it back yet, it
    // dropped it from `held`; the worker's release then succeeded in the database with nothing put back,
    // and the released lease hid the job from every takeBackExpired for ever.

    @Test
    void aJobWhoseLeaseExpiredUnderAFrozenOwnerIsRunAgainBySomeone() throws Exception {
        long id = store.enqueue(structureId, "admin.freeze", "{}", 1);
        Duration lease = Duration.ofSeconds(2);
        AtomicInteger runs = new AtomicInteger();
        try (Leases a = leases("instance-a", lease); Leases b = leases("instance-b", lease)) {
            // A's run: the instance "freezes" past its lease (its expiry passes in the database while
            // nobody else took the job back), then wakes up: its heartbeat finds the lease expired.
            JobWorker.Handler frozen = (job, context, result) -> {
                if (runs.incrementAndGet() > 1) { // once awake, A runs it like any healthy instance
                    result.write("%PDF-a".getBytes(StandardCharsets.US_ASCII));
                    return JobWorker.Outcome.done(1, 1, 6);
                }
                sql("update work_lease set expires_at = now() - interval '1 second' where kind = '" + JobStore.KIND
                        + "' and released_at is null");
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!context.progress(0, 1)) {
                    if (System.nanoTime() > end) throw new AssertionError("the heartbeat never saw the lease expired");
                    Thread.sleep(50);
                }
                return JobWorker.Outcome.done(1, 1, 10); // not written: the lease is lost
            };
            new JobWorker(store, a, frozen, lease, 60, WorkEvents.NONE).poll();

            // Any instance (B, or A itself on its next poll) should now find the job and run it.
            JobWorker.Handler healthy = (job, context, result) -> {
                runs.incrementAndGet();
                result.write("%PDF-b".getBytes(StandardCharsets.US_ASCII));
                return JobWorker.Outcome.done(1, 1, 6);
            };
            JobWorker other = new JobWorker(store, b, healthy, lease, 60, WorkEvents.NONE);
            JobWorker again = new JobWorker(store, a, healthy, lease, 60, WorkEvents.NONE);
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < end && !store.find(id).orElseThrow().state().equals(LetterJob.DONE)) {
                other.poll();
                again.poll();
                Thread.sleep(200);
            }
        }
        LetterJob job = store.find(id).orElseThrow();
        assertThat(job.state())
                .as("job %d after its frozen owner released it (lease epoch %s, runs %d)", id, job.leaseEpoch(), runs.get())
                .isEqualTo(LetterJob.DONE);
    }

    @Test
    void releasingALeaseTheHeartbeatFoundExpiredStillPutsItsWorkBack() throws Exception {
        long id = store.enqueue(structureId, "admin.freeze", "{}", 1);
        Duration duration = Duration.ofSeconds(30);
        try (Leases a = leases("instance-a", duration)) {
            Leases.PutBack requeue = store.requeue();
            Lease lease = a.claim(JobStore.KIND, duration, store.nextQueued(), null, requeue).orElseThrow().lease();
            sql("update work_lease set expires_at = now() - interval '1 second' where epoch = " + lease.epoch());
            a.beat(); // the heartbeat after the freeze: the lease is not renewed, it is lost
            assertThat(lease.held()).isFalse();
            a.release(lease); // the worker notices and hands it back
        }
        assertThat(store.find(id).orElseThrow().state()).as("the job after its lease was handed back").isEqualTo(LetterJob.QUEUED);
    }

    // ---- the one-time download of a finished job's PDF when two requests overlap (a double click):
    // the second must not end as a complete-looking file cut short (found by a review: the first one's
    // end deleted the parts and the second stopped there, answered 200 with part of the letters).

    /** A finished job whose PDF spans three parts. */
    private long finishedJob(byte[] pdf) throws Exception {
        long id = store.enqueue(structureId, "admin.double", "{}", 1);
        Duration lease = Duration.ofSeconds(30);
        try (Leases leases = new Leases(MyBatis.sessionFactory(db.database().dataSource(),
                List.of(LetterJobMapper.class, LeaseMapper.class)), "instance-a", WorkEvents.NONE, lease.dividedBy(4))) {
            new JobWorker(store, leases, (job, context, result) -> {
                result.write(pdf);
                return JobWorker.Outcome.done(1, 1, pdf.length);
            }, lease, 60, WorkEvents.NONE).poll();
        }
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(LetterJob.DONE);
        return id;
    }

    @Test
    void aDownloadOverlappedByAnotherFailsRatherThanEndingShort() throws Exception {
        byte[] pdf = new byte[JobStore.PART_SIZE * 2 + 1000];
        Arrays.fill(pdf, (byte) 'x');
        long id = finishedJob(pdf);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        OutputStream second = new OutputStream() {
            private boolean overlapped;

            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                // The other request runs to its end while this one is between two parts.
                if (!overlapped) {
                    overlapped = true;
                    store.download(id, first);
                }
            }
        };
        assertThatThrownBy(() -> store.download(id, second)).as("the second download, cut short").isInstanceOf(IOException.class);
        assertThat(first.size()).as("the first download, whole").isEqualTo(pdf.length);
    }

    @Test
    void aDownloadThatFindsNothingLeftSaysSoAndWritesNothing() throws Exception {
        // Downloaded since its state was read (the other click ended first): nothing to send, and the
        // caller answers 404 rather than an empty PDF with a 200 (found reading the change again).
        byte[] pdf = new byte[JobStore.PART_SIZE + 10];
        Arrays.fill(pdf, (byte) 'x');
        long id = finishedJob(pdf);
        assertThat(store.download(id, new ByteArrayOutputStream())).isTrue();
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(store.download(id, again)).as("nothing left to download").isFalse();
        assertThat(again.size()).isZero();
    }
}

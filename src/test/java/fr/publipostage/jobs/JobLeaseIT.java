package fr.publipostage.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.db.MyBatis;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
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
}

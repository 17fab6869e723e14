package fr.publipostage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.db.MyBatis;
import fr.publipostage.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by reading (a review): when the heartbeat finds that a lease has expired in the database
 * (the instance froze past it: a GC pause, SIGSTOP, a VM migration) but nobody has taken it back yet,
 * {@code Leases.beat} removes it from {@code held}. The worker then hands it back ({@code release}):
 * the database release succeeds (the lease row was never revoked), but the queue's put-back is looked
 * up in {@code held} and is gone, so the work is never put back. The lease now has {@code released_at}
 * set, so no {@code takeBackExpired} will ever see it: the job stays {@code running} (or the campaign
 * rows {@code sending}) for ever, on every instance.
 */
class LostLeaseReleaseIT {
    private TestDatabase.Fresh db;
    private JobStore store;
    private long structureId;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.fresh();
        store = new JobStore(MyBatis.sessionFactory(db.database().dataSource(), List.of(LetterJobMapper.class, LeaseMapper.class)));
        sql("insert into structure (uai, name) values ('0330078L', 'Lycée du gel')");
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("select id from structure where uai = '0330078L'")) {
            rs.next();
            structureId = rs.getLong(1);
        }
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private Leases leases(String owner, Duration lease) {
        return new Leases(MyBatis.sessionFactory(db.database().dataSource(), List.of(LetterJobMapper.class, LeaseMapper.class)),
                owner, WorkEvents.NONE, lease.dividedBy(4));
    }

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

    private void sql(String statement) throws Exception {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}

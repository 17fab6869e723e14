package fr.publipostage.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.db.MyBatis;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one-time download of a finished job's PDF, when two requests for it overlap (a double click):
 * the second must not end as a complete-looking file cut short (found by a review: the first one's end
 * deleted the parts and the second stopped there, answered 200 with part of the letters).
 */
class JobDownloadIT {
    private TestDatabase.Fresh db;
    private JobStore store;
    private long structureId;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.fresh();
        store = new JobStore(MyBatis.sessionFactory(db.database().dataSource(), List.of(LetterJobMapper.class, LeaseMapper.class)));
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into structure (uai, name) values ('0330079M', 'Lycée du double clic')");
            try (var rs = st.executeQuery("select id from structure where uai = '0330079M'")) {
                rs.next();
                structureId = rs.getLong(1);
            }
        }
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

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
}

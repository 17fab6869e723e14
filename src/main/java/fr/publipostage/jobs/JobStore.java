package fr.publipostage.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The letter-job queue: enqueue, the claim's two halves (pick, start) for {@link Leases}, progress and
 * cancel, and the result file stored in PostgreSQL in parts (any instance can serve the download; it is
 * deleted after download or expiry). Every write on behalf of a running job is fenced by its lease.
 * Knows nothing of what the bytes are.
 */
public final class JobStore {
    /** The kind of the letter jobs' leases. */
    public static final String KIND = "letter-job";
    static final int PART_SIZE = 1 << 20;

    private final SqlSessionFactory sessions;

    public JobStore(SqlSessionFactory sessions) {
        this.sessions = sessions;
    }

    public long enqueue(long structureId, String adminLogin, String requestJson, int pagesTotal) {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(LetterJobMapper.class).insert(structureId, adminLogin, requestJson, pagesTotal);
        }
    }

    public Optional<LetterJob> find(long id) {
        try (SqlSession s = sessions.openSession(true)) {
            return Optional.ofNullable(s.getMapper(LetterJobMapper.class).find(id));
        }
    }

    public List<LetterJob> recent(String adminLogin, int limit) {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(LetterJobMapper.class).recent(adminLogin, limit);
        }
    }

    /** The claim of the oldest queued job: picked {@code FOR UPDATE SKIP LOCKED}, started under the lease. */
    public Leases.Claim<LetterJob> nextQueued() {
        return new Leases.Claim<>() {
            private long picked;

            @Override
            public Long pick(SqlSession tx) {
                Long id = tx.getMapper(LetterJobMapper.class).pickQueued();
                if (id != null) picked = id;
                return id;
            }

            @Override
            public LetterJob bind(SqlSession tx, Lease lease) {
                LetterJobMapper m = tx.getMapper(LetterJobMapper.class);
                // Parts of an earlier, interrupted attempt: their writers' leases are revoked already.
                m.deleteParts(picked);
                return m.start(picked, lease.fence());
            }
        };
    }

    /** Puts the running jobs of ended leases back in the queue (or cancelled, if that was asked). */
    void requeue(SqlSession tx, List<Long> epochs) {
        tx.getMapper(LetterJobMapper.class).requeue(epochs);
    }

    /** {@link #requeue} as the engine's put-back of letter jobs. */
    public Leases.PutBack requeue() {
        return (tx, epochs, expired) -> requeue(tx, epochs);
    }

    /** Progress (fenced); returns whether a cancel was requested, or null when the lease is no longer held. */
    Boolean progress(SqlSession s, Lease.Fence fence, long id, int pagesDone, int pagesTotal) {
        return s.getMapper(LetterJobMapper.class).progress(id, fence, pagesDone, pagesTotal);
    }

    public boolean requestCancel(long id) {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(LetterJobMapper.class).requestCancel(id) > 0;
        }
    }

    /** Records the outcome (fenced). False when the lease was no longer held: nothing was changed. */
    public boolean finish(Lease.Fence fence, long id, String state, Integer accounts, Long bytes, Integer pages,
                          String errorKey, String errorArgsJson, long ttlSeconds) {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(LetterJobMapper.class).finish(id, fence, state, accounts, bytes, pages, errorKey,
                    errorArgsJson, ttlSeconds) > 0;
        }
    }

    /** Deletes what this lease wrote of the job's result (fenced); returns how many parts. */
    public int deleteResult(Lease.Fence fence, long id) {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(LetterJobMapper.class).deleteOwnParts(id, fence);
        }
    }

    /** Deletes the files of done jobs past their expiry; returns how many. */
    public int expire() {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(LetterJobMapper.class).expire().size();
        }
    }

    /** How many jobs are in each state now (queued, running, done, failed, cancelled, expired). */
    public Map<String, Long> countByState() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String state : List.of(LetterJob.QUEUED, LetterJob.RUNNING, LetterJob.DONE, LetterJob.FAILED,
                LetterJob.CANCELLED, LetterJob.EXPIRED)) {
            counts.put(state, 0L);
        }
        try (SqlSession s = sessions.openSession(true)) {
            for (LetterJobMapper.StateCount c : s.getMapper(LetterJobMapper.class).countByState()) {
                counts.put(c.state(), c.count());
            }
        }
        return counts;
    }

    /**
     * Where a worker writes a job's result: 1 MB parts, one fenced insert each (bounded memory).
     * A refused part throws {@link LeaseLost}: the job is someone else's now.
     */
    public OutputStream resultStream(Lease.Fence fence, long id) {
        return new OutputStream() {
            private final byte[] buffer = new byte[PART_SIZE];
            private int used;
            private int seq;

            @Override
            public void write(int b) {
                if (used == buffer.length) flushPart();
                buffer[used++] = (byte) b;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                while (len > 0) {
                    if (used == buffer.length) flushPart();
                    int n = Math.min(len, buffer.length - used);
                    System.arraycopy(b, off, buffer, used, n);
                    used += n;
                    off += n;
                    len -= n;
                }
            }

            private void flushPart() {
                if (used == 0) return;
                byte[] data = java.util.Arrays.copyOf(buffer, used);
                try (SqlSession s = sessions.openSession(true)) {
                    if (s.getMapper(LetterJobMapper.class).insertPart(id, fence, seq, data) != 1) {
                        throw new LeaseLost(fence, "part " + seq + " of letter job " + id);
                    }
                }
                seq++;
                used = 0;
            }

            @Override
            public void close() {
                flushPart();
            }
        };
    }

    /**
     * Streams a done job's file to {@code out}, then deletes it (it holds credentials): a job is
     * downloaded once. Only the parts of the lease that finished the job are read.
     *
     * @return false when there was nothing left to download (nothing is written then)
     */
    public boolean download(long id, OutputStream out) throws IOException {
        int parts;
        try (SqlSession s = sessions.openSession(true)) {
            parts = s.getMapper(LetterJobMapper.class).partCount(id);
        }
        if (parts == 0) return false;  // downloaded (or expired) since its state was read: nothing written
        for (int seq = 0; seq < parts; seq++) {
            LetterJobMapper.Part part;
            try (SqlSession s = sessions.openSession(true)) {
                part = s.getMapper(LetterJobMapper.class).part(id, seq);
            }
            // Another download of it ended meanwhile (a double click) and deleted the parts: this one
            // fails, cut off, rather than ending as a whole-looking file with part of the letters.
            if (part == null) throw new IOException("job " + id + " was downloaded by another request meanwhile");
            out.write(part.data());
        }
        out.flush();
        try (SqlSession s = sessions.openSession(true)) {
            s.getMapper(LetterJobMapper.class).markDownloaded(id);
        }
        return true;
    }
}

package fr.publipostage.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The job table: queue, claim (FOR UPDATE SKIP LOCKED, so any number of instances share it),
 * progress and cancel, and the result file stored in PostgreSQL in parts (any instance can serve
 * the download; it is deleted after download or expiry). Knows nothing of what the bytes are.
 */
public final class JobStore {
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

    public Optional<LetterJob> claim(String worker) {
        try (SqlSession s = sessions.openSession(true)) {
            return Optional.ofNullable(s.getMapper(LetterJobMapper.class).claim(worker));
        }
    }

    public int requeueStale(int seconds) {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(LetterJobMapper.class).requeueStale(seconds);
        }
    }

    /** Records progress; returns true when the job should stop (cancelled, or no longer this worker's). */
    public boolean progress(long id, String worker, int pagesDone, int pagesTotal) {
        try (SqlSession s = sessions.openSession(true)) {
            Boolean cancel = s.getMapper(LetterJobMapper.class).progress(id, worker, pagesDone, pagesTotal);
            return cancel == null || cancel;
        }
    }

    public boolean requestCancel(long id) {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(LetterJobMapper.class).requestCancel(id) > 0;
        }
    }

    public boolean finish(long id, String worker, String state, Integer accounts, Long bytes, Integer pages,
                          String errorKey, String errorArgsJson, long ttlSeconds) {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(LetterJobMapper.class).finish(id, worker, state, accounts, bytes, pages, errorKey,
                    errorArgsJson, ttlSeconds) > 0;
        }
    }

    public void deleteResult(long id) {
        try (SqlSession s = sessions.openSession(true)) {
            s.getMapper(LetterJobMapper.class).deleteParts(id);
        }
    }

    /** Deletes the files of done jobs past their expiry; returns how many. */
    public int expire() {
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(LetterJobMapper.class).expire().size();
        }
    }

    /** Where a worker writes a job's result: 1 MB parts, one insert each (bounded memory). */
    public OutputStream resultStream(long id) {
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
                    s.getMapper(LetterJobMapper.class).insertPart(id, seq++, data);
                }
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
     * downloaded once.
     */
    public void download(long id, OutputStream out) throws IOException {
        for (int seq = 0; ; seq++) {
            LetterJobMapper.Part part;
            try (SqlSession s = sessions.openSession(true)) {
                part = s.getMapper(LetterJobMapper.class).part(id, seq);
            }
            if (part == null) break;
            out.write(part.data());
        }
        out.flush();
        try (SqlSession s = sessions.openSession(true)) {
            LetterJobMapper m = s.getMapper(LetterJobMapper.class);
            m.markDownloaded(id);
            m.deleteParts(id);
        }
    }
}

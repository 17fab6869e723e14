package fr.publipostage.jobs;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** Letter jobs and their result parts. SQL in LetterJobMapper.xml. */
public interface LetterJobMapper {
    long insert(@Param("structureId") long structureId, @Param("adminLogin") String adminLogin,
                @Param("request") String requestJson, @Param("pagesTotal") int pagesTotal);

    LetterJob find(@Param("id") long id);

    List<LetterJob> recent(@Param("adminLogin") String adminLogin, @Param("limit") int limit);

    /** Takes the oldest queued job for this worker, skipping rows another instance holds. */
    LetterJob claim(@Param("worker") String worker);

    /** Puts back running jobs whose worker stopped sending heartbeats. */
    int requeueStale(@Param("seconds") int seconds);

    /** Progress and heartbeat; returns whether a cancel was requested. */
    Boolean progress(@Param("id") long id, @Param("worker") String worker, @Param("pagesDone") int pagesDone,
                     @Param("pagesTotal") int pagesTotal);

    int requestCancel(@Param("id") long id);

    int finish(@Param("id") long id, @Param("worker") String worker, @Param("state") String state,
               @Param("accounts") Integer accounts, @Param("bytes") Long bytes, @Param("pages") Integer pages,
               @Param("errorKey") String errorKey, @Param("errorArgs") String errorArgs,
               @Param("ttlSeconds") long ttlSeconds);

    void insertPart(@Param("id") long id, @Param("seq") int seq, @Param("data") byte[] data);

    Part part(@Param("id") long id, @Param("seq") int seq);

    /** One stored part of a result file. */
    record Part(byte[] data) {
    }

    int deleteParts(@Param("id") long id);

    int markDownloaded(@Param("id") long id);

    /** Done jobs past their expiry: parts deleted, state expired; returns their ids. */
    List<Long> expire();
}

package fr.publipostage.jobs;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/**
 * Letter jobs and their result parts. SQL in LetterJobMapper.xml. Every statement that writes or
 * deletes on behalf of a running job carries its lease's fence and changes nothing without it.
 */
public interface LetterJobMapper {
    long insert(@Param("structureId") long structureId, @Param("adminLogin") String adminLogin,
                @Param("request") String requestJson, @Param("pagesTotal") int pagesTotal);

    LetterJob find(@Param("id") long id);

    List<LetterJob> recent(@Param("adminLogin") String adminLogin, @Param("limit") int limit);

    /** The oldest queued job, locked for the claim's transaction (skipping those others are claiming). */
    Long pickQueued();

    /** The picked job runs under this lease; parts of earlier attempts are deleted. */
    LetterJob start(@Param("id") long id, @Param("fence") Lease.Fence fence);

    int deleteParts(@Param("id") long id);

    /** Running jobs of these leases go back to the queue (cancelled if that was asked), parts deleted. */
    int requeue(@Param("epochs") List<Long> epochs);

    /** Progress and heartbeat (fenced); returns whether a cancel was requested, null when refused. */
    Boolean progress(@Param("id") long id, @Param("fence") Lease.Fence fence, @Param("pagesDone") int pagesDone,
                     @Param("pagesTotal") int pagesTotal);

    int requestCancel(@Param("id") long id);

    /** Records the outcome (fenced); a job that did not end done loses its parts in the same statement. */
    int finish(@Param("id") long id, @Param("fence") Lease.Fence fence, @Param("state") String state,
               @Param("accounts") Integer accounts, @Param("bytes") Long bytes, @Param("pages") Integer pages,
               @Param("errorKey") String errorKey, @Param("errorArgs") String errorArgs,
               @Param("ttlSeconds") long ttlSeconds);

    /** One part of the result (fenced); 0 when refused. */
    int insertPart(@Param("id") long id, @Param("fence") Lease.Fence fence, @Param("seq") int seq,
                   @Param("data") byte[] data);

    /** The parts written under this lease (fenced): the holder starting over. */
    int deleteOwnParts(@Param("id") long id, @Param("fence") Lease.Fence fence);

    /** Part {@code seq} of the result of the lease that finished the job. */
    Part part(@Param("id") long id, @Param("seq") int seq);

    /** How many parts the finished PDF has (0 when the job is not done, or already downloaded). */
    int partCount(@Param("id") long id);

    /** One stored part of a result file. */
    record Part(byte[] data) {
    }

    int markDownloaded(@Param("id") long id);

    /** Done jobs past their expiry: parts deleted, state expired; returns their ids. */
    List<Long> expire();

    /** How many jobs are in each state (for metrics: queued, running…). */
    List<StateCount> countByState();

    record StateCount(String state, long count) {
    }
}

package fr.publipostage.jobs;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** The lease table and the instance registry. SQL in LeaseMapper.xml; durations in milliseconds. */
public interface LeaseMapper {
    /** A new lease (a new epoch) for this owner on this subject; returns its epoch. */
    long grant(@Param("owner") String owner, @Param("kind") String kind, @Param("subject") long subject,
               @Param("durationMs") long durationMs);

    /** Renews the owner's live leases among {@code epochs}; returns those renewed (the others are lost). */
    List<Long> renew(@Param("owner") String owner, @Param("epochs") List<Long> epochs);

    /** Expired leases of this kind, revoked (skipping those another instance is revoking right now). */
    List<Revoked> revokeExpired(@Param("kind") String kind);

    /** A revoked lease: whose it was and what it was about. */
    record Revoked(long epoch, String owner, long subject) {
    }

    /** The owner hands its lease back; 0 when it was no longer its. */
    int release(@Param("epoch") long epoch, @Param("owner") String owner);

    /** Records the instance (or says it is still there): its mail route, whether it is stopping. */
    void register(@Param("id") String id, @Param("mailRoute") String mailRoute, @Param("stopping") boolean stopping);

    void forget(@Param("id") String id);

    /** Released leases and silent instances older than a day go. */
    void purge();
}

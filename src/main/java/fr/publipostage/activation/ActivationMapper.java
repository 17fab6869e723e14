package fr.publipostage.activation;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** The activation figures of the follow-up page. SQL in ActivationMapper.xml. */
public interface ActivationMapper {

    /** When the school last distributed: its last finished letters job or its last campaign; null if never. */
    OffsetDateTime lastDistribution(@Param("structureId") long structureId);

    /** One row per profile present in the school. */
    List<Figures> byProfile(@Param("structureId") long structureId, @Param("since") OffsetDateTime since);

    /** One row per class of the school: its pupils and their parents (the classes the office selects by). */
    List<Figures> byClass(@Param("structureId") long structureId, @Param("since") OffsetDateTime since);

    /** One row per school among the given ones, each with its own last distribution. */
    List<SchoolRow> bySchool(@Param("structureIds") Collection<Long> structureIds);

    /** Counts of one group (a profile, a class): {@code since} counts the accounts activated after the last distribution. */
    record Figures(String name, String level, int total, int pending, int since) {
    }

    record SchoolRow(long id, String uai, String name, int total, int pending, int since, OffsetDateTime lastDistribution) {
    }
}

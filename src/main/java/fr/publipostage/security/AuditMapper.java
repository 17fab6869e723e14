package fr.publipostage.security;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** Audit events. SQL in AuditMapper.xml. */
public interface AuditMapper {
    void insert(@Param("e") AuditEvent event, @Param("detailsJson") String detailsJson);

    List<AuditEvent> recent(@Param("structureId") long structureId, @Param("limit") int limit);
}

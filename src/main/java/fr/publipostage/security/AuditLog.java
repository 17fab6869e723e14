package fr.publipostage.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/** Records every output that carries credentials (CSV, PDF, e-mail campaign). */
public final class AuditLog {
    private final SqlSessionFactory sessions;
    private final ObjectMapper json;

    public AuditLog(SqlSessionFactory sessions, ObjectMapper json) {
        this.sessions = sessions;
        this.json = json;
    }

    /** @param details small JSON-able map: the selection's filters, a file name, a campaign id… */
    public void record(String adminLogin, String action, Long structureId, Integer accountCount, Map<String, ?> details) {
        String detailsJson;
        try {
            detailsJson = json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details must be JSON-able", e);
        }
        try (SqlSession session = sessions.openSession(true)) {
            session.getMapper(AuditMapper.class).insert(
                    new AuditEvent(null, adminLogin, action, structureId, accountCount, null), detailsJson);
        }
    }

    public List<AuditEvent> recent(long structureId, int limit) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(AuditMapper.class).recent(structureId, limit);
        }
    }
}

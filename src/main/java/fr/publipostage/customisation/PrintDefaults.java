package fr.publipostage.customisation;

import fr.publipostage.security.AuditLog;
import java.util.Map;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * A school's print defaults, set by its admin: whether its letters come as PDF/A-2u archive copies
 * (still tagged PDF/UA) unless a print asks otherwise. The web's print panel starts from it and the
 * command line uses it when {@code --pdfa} is not given. Changes are audited.
 */
public final class PrintDefaults {
    private final SqlSessionFactory sessions;
    private final AuditLog audit;

    public PrintDefaults(SqlSessionFactory sessions, AuditLog audit) {
        this.sessions = sessions;
        this.audit = audit;
    }

    /** Whether the school's letters are archive copies by default (false when it never said). */
    public boolean archive(long structureId) {
        try (SqlSession session = sessions.openSession(true)) {
            return Boolean.TRUE.equals(session.getMapper(PrintDefaultsMapper.class).archive(structureId));
        }
    }

    public boolean setArchive(long structureId, boolean archive, String author) {
        try (SqlSession session = sessions.openSession(true)) {
            session.getMapper(PrintDefaultsMapper.class).setArchive(structureId, archive, author);
        }
        audit.record(author, "structure.print-defaults", structureId, null, Map.of("archive", archive));
        return archive;
    }
}

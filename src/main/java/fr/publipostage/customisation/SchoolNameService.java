package fr.publipostage.customisation;

import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.SchoolNames;
import fr.publipostage.directory.Structure;
import fr.publipostage.security.AuditLog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The school's name with its article ("nom avec article"), as the letters' French texts use it ("du Lycée
 * Montesquieu"): read, corrected by the school's admin (audited), or given back to the derivation.
 */
public final class SchoolNameService {
    /** The name as the editor shows it: stored or derived, and the forms texts get. */
    public record NameWithArticle(String name, String nameWithArticle, boolean custom, String ofName, String toName,
                                  String derived) {
    }

    private static final int MAX = 200;

    private final SqlSessionFactory sessions;
    private final AuditLog audit;

    public SchoolNameService(SqlSessionFactory sessions, AuditLog audit) {
        this.sessions = sessions;
        this.audit = audit;
    }

    public NameWithArticle get(long structureId) {
        try (SqlSession session = sessions.openSession(true)) {
            return view(session.getMapper(DirectoryMapper.class).findStructureById(structureId));
        }
    }

    /**
     * Stores the admin's wording (blank: derived again from the name).
     *
     * @throws IllegalArgumentException when it does not end with the school's name or is too long
     */
    public NameWithArticle set(long structureId, String value, String author) {
        String v = value == null ? "" : value.strip().replaceAll("\\s+", " ");
        if (v.length() > MAX) throw new IllegalArgumentException("too long");
        try (SqlSession session = sessions.openSession(true)) {
            DirectoryMapper mapper = session.getMapper(DirectoryMapper.class);
            mapper.updateNameWithArticle(structureId, v.isEmpty() ? null : v);
            if (v.isEmpty()) {
                Structure s = mapper.findStructureById(structureId);
                mapper.deriveNameWithArticle(structureId, SchoolNames.withArticle(s.name()));
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("nameWithArticle", v.isEmpty() ? null : v);
            audit.record(author, "structure.name-with-article", structureId, null, details);
            return view(mapper.findStructureById(structureId));
        }
    }

    private static NameWithArticle view(Structure s) {
        String with = s.withArticle();
        String derived = SchoolNames.withArticle(s.name());
        return new NameWithArticle(s.name(), with, !with.equals(derived), SchoolNames.of(with), SchoolNames.to(with), derived);
    }
}

package fr.publipostage.selection;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.SchoolClass;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/** Runs the one selection query; everything that outputs accounts goes through here. */
public final class SelectionService {
    private final SqlSessionFactory sessions;
    private final SelectionParser parser;

    public SelectionService(SqlSessionFactory sessions, SelectionParser parser) {
        this.sessions = sessions;
        this.parser = parser;
    }

    /** Parses parameters against the structure's own levels and classes. */
    public Selection parse(long structureId, Map<String, List<String>> params) {
        Set<String> levels;
        Set<String> classes = new HashSet<>();
        try (SqlSession session = sessions.openSession(true)) {
            DirectoryMapper directory = session.getMapper(DirectoryMapper.class);
            levels = new HashSet<>(directory.listLevels(structureId));
            for (SchoolClass c : directory.listClasses(structureId)) classes.add(c.name());
        }
        return parser.parse(structureId, params, levels, classes);
    }

    public List<Account> list(Selection selection, Scope scope) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(SelectionMapper.class).select(selection, scope);
        }
    }

    public SelectionMapper.Counts count(Selection selection, Scope scope) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(SelectionMapper.class).count(selection, scope);
        }
    }

    /** Streams the accounts in order without holding them all in memory (PDF, CSV of any size). */
    public void forEach(Selection selection, Scope scope, Consumer<Account> action) {
        try (SqlSession session = sessions.openSession(false);
             Cursor<Account> cursor = session.getMapper(SelectionMapper.class).cursor(selection, scope)) {
            cursor.forEach(action);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

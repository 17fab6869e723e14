package fr.publipostage.selection;

import fr.publipostage.db.MyBatis;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DirectoryMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The selection's list as it was before issue 15: the frozen statement of {@code FormerSelection.xml} (its
 * own select list and ORDER BY, read into {@link Account} by MyBatis' automatic constructor mapping), under
 * the application's MyBatis settings. Tests compare today's statements with it row for row; the bench
 * times it beside them.
 */
public final class FormerSelection {
    private static final String RESOURCE = "fr/publipostage/selection/FormerSelection.xml";
    private static final String STATEMENT = "fr.publipostage.selection.FormerSelection.select";

    private final SqlSessionFactory sessions;

    public FormerSelection(DataSource dataSource) {
        sessions = MyBatis.sessionFactory(dataSource, List.of(SelectionMapper.class, DirectoryMapper.class));
        Configuration configuration = sessions.getConfiguration();
        try (InputStream in = FormerSelection.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            new XMLMapperBuilder(in, configuration, RESOURCE, configuration.getSqlFragments()).parse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The accounts the former {@code SelectionService.list} returned, in its order. */
    public List<Account> list(Selection selection, Scope scope) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("s", selection);
        parameters.put("scope", scope);
        try (SqlSession session = sessions.openSession(true)) {
            return session.selectList(STATEMENT, parameters);
        }
    }
}

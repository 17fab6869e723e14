package fr.publipostage.selection;

import fr.publipostage.db.MyBatis;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DirectoryMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.mapping.ResultMap;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The selection query mapped the way it was before the explicit {@code account} result map: the same
 * SQL (the {@code select} statement's own SqlSource, so the same WHERE and ORDER BY), read into
 * {@link Account} by MyBatis' automatic constructor mapping ({@code resultType}), under the
 * application's MyBatis settings. Tests compare both mappings row for row; the bench times both.
 */
public final class AutoMappedSelection {
    private static final String NAMESPACE = SelectionMapper.class.getName();
    private static final String STATEMENT = NAMESPACE + ".selectAutoMapped";

    private final SqlSessionFactory sessions;

    public AutoMappedSelection(DataSource dataSource) {
        sessions = MyBatis.sessionFactory(dataSource, List.of(SelectionMapper.class, DirectoryMapper.class));
        Configuration configuration = sessions.getConfiguration();
        MappedStatement select = configuration.getMappedStatement(NAMESPACE + ".select");
        // What <select resultType="…Account"> builds: an inline result map with no mappings.
        ResultMap automatic = new ResultMap.Builder(configuration, STATEMENT + "-Inline", Account.class, new ArrayList<>()).build();
        configuration.addMappedStatement(new MappedStatement.Builder(configuration, STATEMENT, select.getSqlSource(),
                select.getSqlCommandType()).resultMaps(List.of(automatic)).statementType(select.getStatementType()).build());
    }

    /** The accounts {@link SelectionService#list} returns, mapped automatically. */
    public List<Account> list(Selection selection, Scope scope) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("s", selection);
        parameters.put("scope", scope);
        try (SqlSession session = sessions.openSession(true)) {
            return session.selectList(STATEMENT, parameters);
        }
    }
}

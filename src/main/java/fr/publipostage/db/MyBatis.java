package fr.publipostage.db;

import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/** Builds the one SqlSessionFactory; mapper XML files sit beside their interfaces in resources. */
public final class MyBatis {
    private MyBatis() {
    }

    public static SqlSessionFactory sessionFactory(DataSource dataSource, List<Class<?>> mappers) {
        // MyBatis would switch autocommit back on when a session closes, which COMMITS whatever an
        // unfinished session wrote; skipping that lets HikariCP roll it back instead.
        JdbcTransactionFactory transactions = new JdbcTransactionFactory();
        Properties properties = new Properties();
        properties.setProperty("skipSetAutoCommitOnClose", "true");
        transactions.setProperties(properties);
        Configuration configuration = new Configuration(new Environment("publipostage", transactions, dataSource));
        // MyBatis logs each statement with its parameters and rows (activation codes, password hashes)
        // at DEBUG under the mapper's name: never, whatever level an operator sets.
        configuration.setLogImpl(org.apache.ibatis.logging.nologging.NoLoggingImpl.class);
        configuration.setMapUnderscoreToCamelCase(true);
        configuration.setArgNameBasedConstructorAutoMapping(true);
        configuration.getTypeHandlerRegistry().register(List.class, new StringListTypeHandler());
        for (Class<?> mapper : mappers) configuration.addMapper(mapper);
        return new SqlSessionFactoryBuilder().build(configuration);
    }
}

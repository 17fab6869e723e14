package fr.publipostage;

import fr.publipostage.db.Database;
import fr.publipostage.db.MyBatis;
import fr.publipostage.directory.AccountImporter;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.directory.DirectoryMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import fr.publipostage.security.AdminMapper;
import fr.publipostage.security.AuditLog;
import fr.publipostage.security.AuditMapper;
import fr.publipostage.security.AdminService;
import fr.publipostage.selection.SelectionMapper;
import fr.publipostage.selection.SelectionParser;
import fr.publipostage.selection.SelectionService;
import fr.publipostage.templates.Messages;
import fr.publipostage.web.WebServer;
import io.javalin.Javalin;
import java.security.SecureRandom;
import java.util.List;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The composition root: the only place that constructs the application's objects, from a
 * {@link Config} and an open {@link Database}. The command-line verbs and the tests start here.
 */
public final class App implements AutoCloseable {
    private final Config config;
    private final Database database;
    private final Messages messages;
    private final AccountImporter importer;
    private final DemoDirectory demo;
    private final AdminService admins;
    private final SelectionService selections;
    private final ObjectMapper json;
    private final AuditLog audit;

    public App(Config config, Database database) {
        this.config = config;
        this.database = database;
        SqlSessionFactory sessions = MyBatis.sessionFactory(database.dataSource(),
                List.of(DirectoryMapper.class, AdminMapper.class, AuditMapper.class, SelectionMapper.class));
        this.json = new ObjectMapper().registerModule(new JavaTimeModule());
        this.messages = new Messages();
        this.importer = new AccountImporter(sessions);
        this.demo = new DemoDirectory(sessions, importer);
        this.admins = new AdminService(sessions, new SecureRandom());
        this.selections = new SelectionService(sessions, new SelectionParser());
        this.audit = new AuditLog(sessions, json);
    }

    /** Opens the configured database (starting the embedded one if needed) and builds the application. */
    public static App open(Config config) {
        return new App(config, Database.open(config));
    }

    /** The HTTP server, not started. */
    public Javalin server() {
        return new WebServer(database, messages).create();
    }

    public Config config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public Messages messages() {
        return messages;
    }

    public AccountImporter importer() {
        return importer;
    }

    public DemoDirectory demo() {
        return demo;
    }

    public AdminService admins() {
        return admins;
    }

    public SelectionService selections() {
        return selections;
    }

    public AuditLog audit() {
        return audit;
    }

    @Override
    public void close() {
        database.close();
    }
}

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
import fr.publipostage.security.AccessControl;
import fr.publipostage.security.LoginService;
import fr.publipostage.security.SecondFactor;
import fr.publipostage.security.SessionMapper;
import fr.publipostage.security.SessionService;
import fr.publipostage.selection.CsvExport;
import fr.publipostage.selection.Presets;
import fr.publipostage.selection.SelectionMapper;
import fr.publipostage.selection.SelectionParser;
import fr.publipostage.selection.SelectionService;
import fr.publipostage.templates.Messages;
import fr.publipostage.web.Auth;
import fr.publipostage.web.PageRoutes;
import fr.publipostage.web.SelectionApi;
import fr.publipostage.web.Views;
import fr.publipostage.web.WebServer;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import java.security.SecureRandom;
import java.time.Clock;
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
    private final Clock clock;
    private final SecureRandom random;
    private final SessionService webSessions;
    private final LoginService logins;
    private final AccessControl access;
    private final SecondFactor secondFactor;
    private final Presets presets;
    private final CsvExport csv;

    public App(Config config, Database database) {
        this.config = config;
        this.database = database;
        SqlSessionFactory sessions = MyBatis.sessionFactory(database.dataSource(),
                List.of(DirectoryMapper.class, AdminMapper.class, AuditMapper.class, SelectionMapper.class,
                        SessionMapper.class));
        this.json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        this.clock = Clock.systemDefaultZone();
        this.random = new SecureRandom();
        this.messages = new Messages();
        this.importer = new AccountImporter(sessions);
        this.demo = new DemoDirectory(sessions, importer);
        this.admins = new AdminService(sessions, random);
        this.selections = new SelectionService(sessions, new SelectionParser());
        this.audit = new AuditLog(sessions, json);
        this.webSessions = new SessionService(sessions, random, config.getInt(Setting.SESSION_IDLE_MINUTES));
        this.logins = new LoginService(sessions, admins, webSessions);
        this.access = new AccessControl(sessions);
        this.secondFactor = new SecondFactor(sessions, webSessions, clock, config.getBoolean(Setting.TOTP_REQUIRED),
                config.getInt(Setting.TOTP_FRESH_MINUTES));
        this.presets = new Presets(clock);
        this.csv = new CsvExport(selections, messages);
    }

    /** Opens the configured database (starting the embedded one if needed) and builds the application. */
    public static App open(Config config) {
        return new App(config, Database.open(config));
    }

    /**
     * The HTTP server, not started. Every route group is listed here, in one place: the letters and
     * mailing groups join this list.
     */
    public Javalin server() {
        Auth auth = new Auth(webSessions, access, secondFactor, config.getBoolean(Setting.COOKIE_SECURE));
        Views views = new Views(messages, json);
        return new WebServer(database, messages, json, auth, views, List.of(
                new PageRoutes(auth, views, logins, admins, secondFactor, random),
                new SelectionApi(auth, access, selections, presets, csv, audit, secondFactor, messages, clock)
        )).create();
    }

    public AccessControl access() {
        return access;
    }

    public SecondFactor secondFactor() {
        return secondFactor;
    }

    public SessionService webSessions() {
        return webSessions;
    }

    public CsvExport csv() {
        return csv;
    }

    public Presets presets() {
        return presets;
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

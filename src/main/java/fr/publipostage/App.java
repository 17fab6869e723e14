package fr.publipostage;

import fr.publipostage.db.Database;
import fr.publipostage.db.MyBatis;
import fr.publipostage.directory.AccountImporter;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.jobs.JobStore;
import fr.publipostage.jobs.JobWorker;
import fr.publipostage.jobs.LetterJobMapper;
import fr.publipostage.letters.Fonts;
import fr.publipostage.letters.LetterEngine;
import fr.publipostage.letters.LetterService;
import fr.publipostage.letters.PagePreview;
import fr.publipostage.letters.PdfRenderer;
import fr.publipostage.templates.BuiltinTemplates;
import fr.publipostage.templates.QrCodes;
import fr.publipostage.templates.TemplateVariables;
import fr.publipostage.templates.VelocityRenderer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
    private final ExecutorService pdfWorkers;
    private final ScheduledExecutorService jobScheduler;
    private final VelocityRenderer velocity;
    private final TemplateVariables templateVariables;
    private final PdfRenderer pdfRenderer;
    private final LetterEngine letterEngine;
    private final JobStore jobStore;
    private final LetterService letters;
    private final SqlSessionFactory sessions;
    private final JobWorker jobWorker;

    public App(Config config, Database database) {
        this.config = config;
        this.database = database;
        SqlSessionFactory sessions = MyBatis.sessionFactory(database.dataSource(),
                List.of(DirectoryMapper.class, AdminMapper.class, AuditMapper.class, SelectionMapper.class,
                        LetterJobMapper.class));
        this.sessions = sessions;
        this.json = new ObjectMapper().registerModule(new JavaTimeModule());
        this.messages = new Messages();
        this.importer = new AccountImporter(sessions);
        this.demo = new DemoDirectory(sessions, importer);
        this.admins = new AdminService(sessions, new SecureRandom());
        this.selections = new SelectionService(sessions, new SelectionParser());
        this.audit = new AuditLog(sessions, json);
        int threads = config.getInt(Setting.PDF_THREADS) > 0 ? config.getInt(Setting.PDF_THREADS)
                : Runtime.getRuntime().availableProcessors();
        this.pdfWorkers = Executors.newFixedThreadPool(threads, daemon("pdf-chunk"));
        this.jobScheduler = Executors.newSingleThreadScheduledExecutor(daemon("letter-jobs"));
        this.velocity = new VelocityRenderer(new BuiltinTemplates());
        this.templateVariables = new TemplateVariables(messages, new QrCodes());
        this.pdfRenderer = new PdfRenderer(new Fonts());
        this.letterEngine = new LetterEngine(selections, id -> {
            try (var session = sessions.openSession(true)) {
                return session.getMapper(DirectoryMapper.class).findStructureById(id);
            }
        }, velocity, templateVariables, pdfRenderer, pdfWorkers, threads, config.getInt(Setting.PDF_CHUNK_PAGES),
                Path.of(System.getProperty("java.io.tmpdir"), "publipostage"), Clock.systemDefaultZone());
        this.jobStore = new JobStore(sessions);
        this.letters = new LetterService(selections, letterEngine, jobStore, audit, json, new PagePreview(110f),
                config.getInt(Setting.PDF_DIRECT_MAX));
        this.jobWorker = new JobWorker(jobStore, letters, workerName(),
                config.getInt(Setting.PDF_JOB_TTL_MINUTES) * 60L, 120, jobScheduler);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String workerName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    /** Starts this instance's background work (letters jobs); {@code serve} calls it. */
    public void startBackgroundWork() {
        jobWorker.start(1_000);
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

    /** The structure with this UAI, or null. */
    public fr.publipostage.directory.Structure structureByUai(String uai) {
        try (var session = sessions.openSession(true)) {
            return session.getMapper(DirectoryMapper.class).findStructureByUai(uai);
        }
    }

    public VelocityRenderer velocity() {
        return velocity;
    }

    public TemplateVariables templateVariables() {
        return templateVariables;
    }

    public LetterEngine letterEngine() {
        return letterEngine;
    }

    /** Printing letters: direct, background jobs, previews. */
    public LetterService letters() {
        return letters;
    }

    public JobWorker jobWorker() {
        return jobWorker;
    }

    public ObjectMapper json() {
        return json;
    }

    @Override
    public void close() {
        jobWorker.close();
        jobScheduler.shutdownNow();
        pdfWorkers.shutdownNow();
        database.close();
    }
}

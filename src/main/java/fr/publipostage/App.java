package fr.publipostage;

import fr.publipostage.db.Database;
import fr.publipostage.db.MyBatis;
import fr.publipostage.db.SummaryMapper;
import fr.publipostage.directory.AccountImporter;
import fr.publipostage.directory.AddressImporter;
import fr.publipostage.directory.AddressMapper;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.ImportMapper;
import fr.publipostage.imports.AccountImports;
import fr.publipostage.imports.UploadMapper;
import fr.publipostage.jobs.JobStore;
import fr.publipostage.jobs.JobWorker;
import fr.publipostage.jobs.LetterJobMapper;
import fr.publipostage.letters.Fonts;
import fr.publipostage.letters.LetterEngine;
import fr.publipostage.letters.LetterService;
import fr.publipostage.letters.PagePreview;
import fr.publipostage.letters.PdfRenderer;
import fr.publipostage.customisation.LogoLimits;
import fr.publipostage.customisation.LogoMapper;
import fr.publipostage.customisation.LogoProcessor;
import fr.publipostage.customisation.LogoService;
import fr.publipostage.customisation.Rendering;
import fr.publipostage.customisation.SvgRasteriser;
import fr.publipostage.customisation.SvgSanitiser;
import fr.publipostage.customisation.TemplateEditor;
import fr.publipostage.letters.Glyphs;
import fr.publipostage.templates.BuiltinTemplates;
import fr.publipostage.templates.MessageOverrides;
import fr.publipostage.templates.StructureTemplates;
import fr.publipostage.templates.TemplateMapper;
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
import fr.publipostage.security.AccessControl;
import fr.publipostage.security.DirectoryRights;
import fr.publipostage.sso.OidcLogin;
import fr.publipostage.sso.OidcMapper;
import fr.publipostage.sso.OidcProvider;
import fr.publipostage.sso.OidcSettings;
import fr.publipostage.security.LoginService;
import fr.publipostage.security.SecondFactor;
import fr.publipostage.security.SessionMapper;
import fr.publipostage.security.SessionService;
import fr.publipostage.selection.CsvExport;
import fr.publipostage.selection.Presets;
import fr.publipostage.selection.SelectionMapper;
import fr.publipostage.selection.SelectionParser;
import fr.publipostage.selection.SelectionService;
import fr.publipostage.mailing.CampaignMapper;
import fr.publipostage.mailing.CampaignService;
import fr.publipostage.mailing.CampaignWorker;
import fr.publipostage.mailing.MailComposer;
import fr.publipostage.mailing.MailSettings;
import fr.publipostage.mailing.MessageFactory;
import fr.publipostage.mailing.SandboxMailbox;
import fr.publipostage.mailing.SmtpConnection;
import fr.publipostage.mailing.SmtpEndpoint;
import fr.publipostage.mailing.TemplateMailComposer;
import fr.publipostage.metrics.Metrics;
import fr.publipostage.metrics.QueueMapper;
import fr.publipostage.templates.Messages;
import fr.publipostage.web.Auth;
import fr.publipostage.web.CampaignApi;
import fr.publipostage.web.ClientAddress;
import fr.publipostage.web.ImportApi;
import fr.publipostage.web.LetterApi;
import fr.publipostage.web.LoginPage;
import fr.publipostage.web.LogoApi;
import fr.publipostage.web.OidcRoutes;
import fr.publipostage.web.OperationsRoutes;
import fr.publipostage.web.PageRoutes;
import fr.publipostage.web.SelectionApi;
import fr.publipostage.web.TemplateApi;
import fr.publipostage.web.Views;
import fr.publipostage.templates.TemplateResolver;
import fr.publipostage.web.WebServer;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import java.security.SecureRandom;
import java.util.HexFormat;
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
    private final AddressImporter addresses;
    private final AccountImports imports;
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
    private final OidcSettings oidcSettings;
    private final OidcLogin oidcLogin;
    private final SecondFactor secondFactor;
    private final Presets presets;
    private final CsvExport csv;
    private final SqlSessionFactory sessions;
    private final TemplateResolver templateResolver;
    private final StructureTemplates structureTemplates;
    private final TemplateEditor templateEditor;
    private final LogoService logos;
    private final VelocityRenderer velocity;
    private final TemplateVariables templateVariables;
    private final MailSettings mailSettings;
    private final MailComposer mailComposer;
    private final CampaignService campaigns;
    private final String instanceId;
    // Started on first use: the sandbox SMTP server (when no server is configured) and the mail worker.
    private SandboxMailbox sandbox;
    private CampaignWorker mailWorker;
    private boolean closed;
    private volatile boolean stopping;
    private final ExecutorService pdfWorkers;
    private final ScheduledExecutorService jobScheduler;
    private final PdfRenderer pdfRenderer;
    private final LetterEngine letterEngine;
    private final JobStore jobStore;
    private final LetterService letters;
    private final JobWorker jobWorker;
    private final Metrics metrics;
    private final ClientAddress clientAddress;

    public App(Config config, Database database) {
        this.config = config;
        this.database = database;
        SqlSessionFactory sessions = MyBatis.sessionFactory(database.dataSource(),
                List.of(DirectoryMapper.class, AdminMapper.class, AuditMapper.class, SelectionMapper.class,
                        SessionMapper.class, CampaignMapper.class, LetterJobMapper.class, TemplateMapper.class,
                        LogoMapper.class, OidcMapper.class, QueueMapper.class, SummaryMapper.class, ImportMapper.class, AddressMapper.class,
                        UploadMapper.class));
        this.sessions = sessions;
        this.metrics = new Metrics(sessions);
        this.clientAddress = ClientAddress.from(config);
        database.publishPoolMetrics(metrics.registry());
        this.json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        this.clock = Clock.systemDefaultZone();
        this.random = new SecureRandom();
        this.messages = new Messages();
        this.importer = new AccountImporter(sessions);
        this.addresses = new AddressImporter(sessions);
        this.demo = new DemoDirectory(sessions, importer, addresses);
        this.admins = new AdminService(sessions, random);
        this.selections = new SelectionService(sessions, new SelectionParser());
        this.audit = new AuditLog(sessions, json);
        this.imports = new AccountImports(sessions, importer, addresses, audit, random, config.getInt(Setting.IMPORT_MAX_MB) * 1024 * 1024);
        this.webSessions = new SessionService(sessions, random, config.getInt(Setting.SESSION_IDLE_MINUTES));
        this.logins = new LoginService(sessions, admins, webSessions);
        this.oidcSettings = OidcSettings.from(config);
        DirectoryRights directoryRights = new DirectoryRights(oidcSettings.classTeacherFunctions());
        this.access = new AccessControl(sessions, directoryRights);
        this.oidcLogin = new OidcLogin(oidcSettings, new OidcProvider(oidcSettings, clock), sessions, directoryRights,
                webSessions, audit, random);
        this.secondFactor = new SecondFactor(sessions, webSessions, audit, clock, config.getBoolean(Setting.TOTP_REQUIRED),
                config.getInt(Setting.TOTP_FRESH_MINUTES));
        this.presets = new Presets(clock);
        this.csv = new CsvExport(selections, messages);
        // Each structure's overrides over the built-in files; a save on another instance is seen within 2 s.
        this.structureTemplates = new StructureTemplates(sessions, new BuiltinTemplates(), 2_000, System::currentTimeMillis);
        this.templateResolver = structureTemplates;
        // One Velocity engine for letters and mails (the sandbox of templates/).
        this.velocity = new VelocityRenderer(templateResolver);
        QrCodes qrCodes = new QrCodes();
        this.templateVariables = new TemplateVariables(messages, qrCodes, new MessageOverrides(templateResolver));
        this.mailSettings = MailSettings.from(config);
        this.mailComposer = new TemplateMailComposer(velocity, templateResolver, templateVariables, clock);
        this.campaigns = new CampaignService(sessions, selections, mailComposer, audit, json, mailSettings, messages);
        this.instanceId = System.getenv().getOrDefault("HOSTNAME", "publipostage") + "-" + ProcessHandle.current().pid()
                + "-" + HexFormat.of().toHexDigits((short) random.nextInt());
        int threads = config.getInt(Setting.PDF_THREADS) > 0 ? config.getInt(Setting.PDF_THREADS)
                : Runtime.getRuntime().availableProcessors();
        this.pdfWorkers = Executors.newFixedThreadPool(threads, daemon("pdf-chunk"));
        this.jobScheduler = Executors.newSingleThreadScheduledExecutor(daemon("letter-jobs"));
        this.pdfRenderer = new PdfRenderer(new Fonts(), metrics::pagesRendered);
        this.letterEngine = new LetterEngine(selections, this::structureById, velocity, templateVariables, pdfRenderer, pdfWorkers, threads, config.getInt(Setting.PDF_CHUNK_PAGES),
                Path.of(System.getProperty("java.io.tmpdir"), "publipostage"), clock);
        this.jobStore = new JobStore(sessions);
        // One rasteriser for the print step's sample page and the editor's preview: the same image of the same PDF.
        PagePreview pagePreview = new PagePreview(110f);
        this.letters = new LetterService(selections, letterEngine, jobStore, audit, json, pagePreview,
                config.getInt(Setting.PDF_DIRECT_MAX));
        this.jobWorker = new JobWorker(jobStore, letters, instanceId,
                config.getInt(Setting.PDF_JOB_TTL_MINUTES) * 60L, 120, jobScheduler);
        // The editor previews and checks drafts through a Velocity engine of their own over the same
        // letter engine and mail composer: what is previewed is what prints.
        Rendering.Factory renderings = templates -> {
            VelocityRenderer draftVelocity = new VelocityRenderer(templates, velocity.limits());
            TemplateVariables draftVariables = templateVariables.withTemplates(templates);
            return new Rendering(letterEngine.withTemplates(draftVelocity, draftVariables),
                    new TemplateMailComposer(draftVelocity, templates, draftVariables, clock));
        };
        this.logos = new LogoService(sessions, audit, new LogoProcessor(LogoLimits.DEFAULT,
                new SvgSanitiser(LogoLimits.DEFAULT), new SvgRasteriser()));
        this.templateEditor = new TemplateEditor(structureTemplates, new Rendering(letterEngine, mailComposer), renderings,
                new Glyphs(pdfRenderer.fonts()), velocity.limits().maxTemplateChars(), pagePreview,
                this::structureById, selections, messages, audit);
    }

    private fr.publipostage.directory.Structure structureById(long id) {
        try (var session = sessions.openSession(true)) {
            return session.getMapper(DirectoryMapper.class).findStructureById(id);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts this instance's background work (letters jobs, campaign sending); {@code serve} calls it. */
    public void startBackgroundWork() {
        jobWorker.start(1_000);
        startMailWorker();
    }

    /**
     * Opens the configured database (starting the embedded one if needed) and builds the application.
     * Whoever opens it closes it, also on Ctrl-C (a shutdown hook): background work first, then the
     * pool, then PostgreSQL.
     */
    public static App open(Config config) {
        return new App(config, Database.open(config));
    }

    /**
     * As {@link #open(Config)}; {@code lost} is told when the embedded database stopped and could not
     * be started again (the verbs print the reason and exit non-zero, so a service manager restarts them).
     */
    public static App open(Config config, java.util.function.Consumer<fr.publipostage.db.DatabaseUnavailable> lost) {
        return new App(config, Database.open(config, lost));
    }

    /**
     * The HTTP server, not started. Every route group is listed here, in one place: the letters and
     * mailing groups join this list.
     */
    public Javalin server() {
        Auth auth = new Auth(webSessions, access, secondFactor, config.getBoolean(Setting.COOKIE_SECURE));
        Views views = new Views(messages, json);
        LoginPage loginPage = new LoginPage(auth, views, oidcSettings, random);
        return new WebServer(database, () -> stopping, messages, json, auth, views, List.of(
                new OperationsRoutes(auth, metrics, config.get(Setting.METRICS_TOKEN)),
                new PageRoutes(auth, views, logins, admins, secondFactor, loginPage, oidcLogin),
                new OidcRoutes(auth, views, loginPage, oidcLogin, config.getBoolean(Setting.COOKIE_SECURE)),
                new SelectionApi(auth, access, selections, presets, csv, audit, secondFactor, messages, clock),
                new CampaignApi(auth, selections, campaigns, this::sandbox, views, messages),
                new LetterApi(auth, selections, letters, messages),
                new TemplateApi(auth, templateEditor, views, messages),
                new LogoApi(auth, logos, messages),
                new ImportApi(auth, imports, views, messages)
        ), metrics, clientAddress).create();
    }

    /** This instance's meters (/metrics). */
    public Metrics metrics() {
        return metrics;
    }

    /** Single sign-on with the OpenID Connect provider (its settings tell whether it is on). */
    public OidcLogin oidcLogin() {
        return oidcLogin;
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

    /** Postal addresses from a second file ({@code import-addresses}). */
    public AddressImporter addresses() {
        return addresses;
    }

    /** Importing accounts from the command line and the web page (uploads kept between dry run and apply, audit). */
    public AccountImports imports() {
        return imports;
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

    /** How many schools, accounts, campaigns and ledger rows the database holds (backup and restore checks). */
    public SummaryMapper.Summary databaseSummary() {
        try (var session = sessions.openSession(true)) {
            return session.getMapper(SummaryMapper.class).summary();
        }
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

    public MailSettings mailSettings() {
        return mailSettings;
    }

    public MailComposer mailComposer() {
        return mailComposer;
    }

    /** E-mail campaigns: preview, start, progress, recipients, ledger CSV, pause/resume/cancel/resend. */
    public CampaignService campaigns() {
        return campaigns;
    }

    /** This process among the instances sharing the database (recorded on the rows it sends). */
    public String instanceId() {
        return instanceId;
    }

    /**
     * The sandbox mailbox (started on first use), or null when a real SMTP server is configured:
     * then nothing is captured.
     */
    public synchronized SandboxMailbox sandbox() {
        if (!mailSettings.sandbox()) return null;
        if (sandbox == null) sandbox = SandboxMailbox.start(mailSettings.sandboxPort());
        return sandbox;
    }

    /** This instance's campaign worker, built on first use and not started ({@link CampaignWorker#start()}). */
    public synchronized CampaignWorker mailWorker() {
        if (mailWorker == null) {
            SmtpEndpoint endpoint = SmtpEndpoint.of(mailSettings, mailSettings.sandbox() ? sandbox().port() : null);
            mailWorker = new CampaignWorker(sessions, mailSettings, mailComposer, new MessageFactory(),
                    new SmtpConnection(endpoint, mailSettings.messagesPerConnection(), metrics), json, instanceId);
        }
        return mailWorker;
    }

    /** Starts sending campaigns in the background, unless PUBLIPOSTAGE_MAIL_WORKER is false. */
    public void startMailWorker() {
        if (mailSettings.worker()) mailWorker().start();
    }

    /** Each school's template overrides and their versions. */
    public StructureTemplates structureTemplates() {
        return structureTemplates;
    }

    /** Customising a school's letters and mails: checks, versions, previews. */
    public TemplateEditor templateEditor() {
        return templateEditor;
    }

    /** Each school's logo (uploads checked, SVG sanitised; letters get it as a data: URI). */
    public LogoService logos() {
        return logos;
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

    /** This instance has begun to stop: {@code /ready} answers 503 from now on. */
    public void beginShutdown() {
        stopping = true;
    }

    @Override
    public void close() {
        stopping = true;
        CampaignWorker worker;
        SandboxMailbox box;
        synchronized (this) {
            // Closed once: by the command that opened it, or by the shutdown hook on Ctrl-C.
            if (closed) return;
            closed = true;
            worker = mailWorker;
            box = sandbox;
        }
        if (worker != null) worker.close();
        if (box != null) box.close();
        jobWorker.close();
        jobScheduler.shutdownNow();
        pdfWorkers.shutdownNow();
        metrics.close();
        database.close();
    }
}

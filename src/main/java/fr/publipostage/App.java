package fr.publipostage;

import fr.publipostage.activation.ActivationFollowUp;
import fr.publipostage.activation.ActivationMapper;
import fr.publipostage.web.ActivationRoutes;

import fr.publipostage.bounces.BounceMapper;
import fr.publipostage.bounces.BounceParser;
import fr.publipostage.bounces.BounceSettings;
import fr.publipostage.bounces.BounceWorker;
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
import fr.publipostage.jobs.LeaseMapper;
import fr.publipostage.jobs.Leases;
import fr.publipostage.jobs.LetterJobMapper;
import fr.publipostage.jobs.RunDirectory;
import fr.publipostage.jobs.WorkEvents;
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
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import fr.publipostage.metrics.MeterNames;
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
    private final BounceSettings bounceSettings;
    private final MailComposer mailComposer;
    private final CampaignService campaigns;
    private final String instanceId;
    // Started on first use: the sandbox SMTP server (when no server is configured) and the mail worker.
    private SandboxMailbox sandbox;
    private CampaignWorker mailWorker;
    private BounceWorker bounceWorker;
    private boolean closed;
    private volatile boolean stopping;
    private final ExecutorService pdfWorkers;
    private final PdfRenderer pdfRenderer;
    private final LetterEngine letterEngine;
    private final JobStore jobStore;
    private final LetterService letters;
    private final fr.publipostage.customisation.PrintDefaults printDefaults;
    private final JobWorker jobWorker;
    private final Leases leases;
    private final WorkEvents workEvents;
    private final RunDirectory runDirectory;
    private final Duration shutdownGrace;
    private final Metrics metrics;
    private final ClientAddress clientAddress;
    private final ActivationFollowUp activationFollowUp;

    public App(Config config, Database database) {
        this.config = config;
        this.database = database;
        SqlSessionFactory sessions = MyBatis.sessionFactory(database.dataSource(),
                List.of(DirectoryMapper.class, AdminMapper.class, AuditMapper.class, SelectionMapper.class,
                        SessionMapper.class, CampaignMapper.class, LetterJobMapper.class, LeaseMapper.class,
                        TemplateMapper.class, LogoMapper.class, OidcMapper.class, QueueMapper.class, SummaryMapper.class,
                        fr.publipostage.customisation.PrintDefaultsMapper.class, ImportMapper.class, UploadMapper.class,
                        BounceMapper.class, ActivationMapper.class, AddressMapper.class));
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
        this.activationFollowUp = new ActivationFollowUp(sessions);
        // Each structure's overrides over the built-in files; a save on another instance is seen within 2 s.
        this.structureTemplates = new StructureTemplates(sessions, new BuiltinTemplates(), 2_000, System::currentTimeMillis);
        this.templateResolver = structureTemplates;
        // One Velocity engine for letters and mails (the sandbox of templates/).
        this.velocity = new VelocityRenderer(templateResolver);
        QrCodes qrCodes = new QrCodes();
        this.templateVariables = new TemplateVariables(messages, qrCodes, new MessageOverrides(templateResolver));
        this.mailSettings = MailSettings.from(config);
        this.bounceSettings = BounceSettings.from(config);
        this.mailComposer = new TemplateMailComposer(velocity, templateResolver, templateVariables, clock);
        this.campaigns = new CampaignService(sessions, selections, mailComposer, audit, json, mailSettings, messages);
        this.instanceId = System.getenv().getOrDefault("HOSTNAME", "publipostage") + "-" + ProcessHandle.current().pid()
                + "-" + HexFormat.of().toHexDigits((short) random.nextInt());
        // Hooks of the background work (claims, takeovers, lost leases, refused writes, jobs finished by
        // state): lease takeovers feed /metrics; the other events are there for more meters.
        this.workEvents = new WorkEvents() {
            @Override
            public void takenOver(String kind, String previousOwner) {
                metrics.leaseTakeovers(JobStore.KIND.equals(kind) ? MeterNames.QUEUE_LETTERS : MeterNames.QUEUE_MAIL, 1);
            }
        };
        Duration jobLease = config.getDuration(Setting.PDF_JOB_LEASE);
        this.shutdownGrace = config.getDuration(Setting.SHUTDOWN_GRACE);
        if (jobLease.toMillis() < 400) {
            throw new Config.ConfigException("config.error.atLeast", Setting.PDF_JOB_LEASE.envName, "400ms", config.get(Setting.PDF_JOB_LEASE));
        }
        // One lease engine for letter jobs and campaign batches; its heartbeat ticks at least four times a lease.
        Duration shortest = jobLease.compareTo(mailSettings.effectiveLease()) < 0 ? jobLease : mailSettings.effectiveLease();
        Duration tick = shortest.dividedBy(4).compareTo(Duration.ofSeconds(1)) < 0 ? shortest.dividedBy(4) : Duration.ofSeconds(1);
        this.leases = new Leases(sessions, instanceId, workEvents, tick);
        // This run's private scratch folder; leftovers of dead runs (a SIGKILL mid-print) go first.
        this.runDirectory = RunDirectory.open(Path.of(System.getProperty("java.io.tmpdir")));
        int threads = config.getInt(Setting.PDF_THREADS) > 0 ? config.getInt(Setting.PDF_THREADS)
                : Runtime.getRuntime().availableProcessors();
        this.pdfWorkers = Executors.newFixedThreadPool(threads, daemon("pdf-chunk"));
        this.pdfRenderer = new PdfRenderer(new Fonts(), config.getBoolean(Setting.PDF_TAGGED), metrics::pagesRendered);
        this.letterEngine = new LetterEngine(selections, this::structureById, velocity, templateVariables, pdfRenderer, pdfWorkers, threads, config.getInt(Setting.PDF_CHUNK_PAGES),
                runDirectory.path(), clock);
        this.jobStore = new JobStore(sessions);
        // One rasteriser for the print step's sample page and the editor's preview: the same image of the same PDF.
        PagePreview pagePreview = new PagePreview(110f);
        this.printDefaults = new fr.publipostage.customisation.PrintDefaults(sessions, audit);
        this.letters = new LetterService(selections, letterEngine, jobStore, audit, json, pagePreview,
                config.getInt(Setting.PDF_DIRECT_MAX));
        this.jobWorker = new JobWorker(jobStore, leases, letters, jobLease,
                config.getInt(Setting.PDF_JOB_TTL_MINUTES) * 60L, workEvents);
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
        Auth auth = new Auth(webSessions, access, secondFactor, config.secureCookies());
        Views views = new Views(messages, json);
        LoginPage loginPage = new LoginPage(auth, views, oidcSettings, random);
        return new WebServer(database, this::stopping, messages, json, auth, views, List.of(
                new OperationsRoutes(auth, metrics, config.get(Setting.METRICS_TOKEN)),
                new PageRoutes(auth, views, logins, admins, secondFactor, loginPage, oidcLogin),
                new OidcRoutes(auth, views, loginPage, oidcLogin, config.secureCookies()),
                new SelectionApi(auth, access, selections, presets, csv, audit, secondFactor, messages, clock),
                new CampaignApi(auth, selections, campaigns, this::sandbox, views, messages),
                new LetterApi(auth, selections, letters, printDefaults, messages),
                new TemplateApi(auth, templateEditor, new fr.publipostage.customisation.SchoolNameService(sessions, audit),
                        views, messages),
                new LogoApi(auth, logos, messages),
                new ImportApi(auth, imports, views, messages),
                new ActivationRoutes(auth, views, activationFollowUp, messages, clock.getZone())
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

    /** "Suivi des activations": figures by profile, class and school. */
    public ActivationFollowUp activationFollowUp() {
        return activationFollowUp;
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
            mailWorker = new CampaignWorker(sessions, leases, mailSettings, mailComposer, new MessageFactory(bounceSettings.verp()),
                    new SmtpConnection(endpoint, mailSettings.messagesPerConnection(), metrics), json);
        }
        return mailWorker;
    }

    /** Starts sending campaigns in the background, unless PUBLIPOSTAGE_MAIL_WORKER is false; and reading bounces when a mailbox is set. */
    public void startMailWorker() {
        if (mailSettings.worker()) mailWorker().start();
        if (bounceSettings.enabled()) bounceWorker().start();
    }

    public BounceSettings bounceSettings() {
        return bounceSettings;
    }

    /**
     * This instance's reader of the bounce mailbox (built on first use, not started), or null when no
     * mailbox is configured (PUBLIPOSTAGE_BOUNCE_IMAP_HOST empty).
     */
    public synchronized BounceWorker bounceWorker() {
        if (!bounceSettings.enabled()) return null;
        if (bounceWorker == null) {
            bounceWorker = new BounceWorker(sessions, bounceSettings, new BounceParser(), metrics, instanceId);
        }
        return bounceWorker;
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

    /** A school's print defaults (PDF/A archive copies). */
    public fr.publipostage.customisation.PrintDefaults printDefaults() {
        return printDefaults;
    }

    public JobWorker jobWorker() {
        return jobWorker;
    }

    /** The letter-job queue (also what a metrics module reads: jobs by state). */
    public JobStore jobStore() {
        return jobStore;
    }

    /** This instance's lease engine (background work held, the heartbeat, the fence). */
    public Leases leases() {
        return leases;
    }

    /** This run's private scratch folder (0700, removed at close; a dead run's is removed by the next start). */
    public RunDirectory runDirectory() {
        return runDirectory;
    }

    /** True once the instance is stopping (readiness answers "not ready"). */
    public boolean stopping() {
        return stopping || !leases.accepting();
    }

    public ObjectMapper json() {
        return json;
    }

    /** This instance has begun to stop: {@code /ready} answers 503 from now on. */
    public void beginShutdown() {
        stopping = true;
        // No more background work is taken, and the other instances see this one as stopping (they
        // resume its work as soon as close() hands it back).
        leases.stopAccepting();
    }

    @Override
    public void close() {
        stopping = true;
        CampaignWorker worker;
        BounceWorker bounces;
        SandboxMailbox box;
        synchronized (this) {
            // Closed once: by the command that opened it, or by the shutdown hook on Ctrl-C.
            if (closed) return;
            closed = true;
            worker = mailWorker;
            bounces = bounceWorker;
            box = sandbox;
        }
        // Graceful stop: take no more work; the letter job in hand stops at its next chunk and goes back
        // to the queue; the message being sent is finished and recorded, the rest of its batch goes
        // back; then whatever lease is still held is handed back (its work is resumed at once by other
        // instances, and a worker still busy under it can no longer write). Then the pool, PostgreSQL.
        leases.stopAccepting();
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        // Both told at once: the mail worker must not wait for the job's chunks to be told.
        jobWorker.stop();
        if (worker != null) worker.stop();
        jobWorker.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        if (worker != null) worker.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        leases.close();
        if (bounces != null) bounces.close();
        if (box != null) box.close();
        pdfWorkers.shutdownNow();
        runDirectory.close();
        metrics.close();
        database.close();
    }
}

package fr.publipostage.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's PostgreSQL server, run and watched by this process.
 *
 * <p>The first process that takes the data directory's lock owns the server: it creates the cluster
 * (password authentication, no Unix socket, loopback only), starts {@code postgres} with durable
 * settings and stops it when it closes. Any other process on the same data directory — a command
 * line verb beside {@code serve}, a second instance — finds it through PostgreSQL's
 * {@code postmaster.pid} and the secret file and connects to it.
 *
 * <p>Supervision: when the server's process ends while it is needed, every process notices (its own
 * child at once, another's within half a second), answers "unavailable" and tries again with
 * backoff (1, 2, 4… s, at most {@code maxRestarts} times, each logged): the owner starts the server
 * again on the same data directory; a process that finds the lock free (the owner died) becomes the
 * owner; the others connect to the new server. When every attempt failed, the listener is told why.
 */
final class EmbeddedServer implements DatabaseStatus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
    static final String USER = "postgres";
    static final String DATABASE = "postgres";
    /** The password file given to initdb, removed once the password is in the secret file. */
    private static final String INITDB_PASSWORD = "initdb-password.tmp";
    /** PostgreSQL's defaults, written out so that no configuration file can turn them off. */
    static final Map<String, String> DURABLE = Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on");

    /**
     * @param port          loopback port, 0 = the previous one when free, else any
     * @param maxRestarts   attempts to get the server back after it died, before giving up
     * @param startTimeout  how long a start (crash recovery included) may take
     * @param extraSettings server settings on top of the durable ones (tests: fsync off)
     */
    record Options(int port, int maxRestarts, Duration startTimeout, Map<String, String> extraSettings) {
    }

    /** Told when the server came back (perhaps on another port) or is given up. */
    interface Listener {
        void restarted(int port);

        void gaveUp(DatabaseUnavailable reason);
    }

    private final EmbeddedFiles files;
    private final PostgresBinaries binaries;
    private final Options options;
    private final ScheduledExecutorService supervisor;
    private volatile Listener listener = new Listener() {
        @Override
        public void restarted(int port) {
        }

        @Override
        public void gaveUp(DatabaseUnavailable reason) {
        }
    };

    // Changed by the opening thread, then only by the supervisor's thread (and close()).
    private FileChannel lockChannel;
    private FileLock lock;
    private Process child;
    private volatile ProcessHandle postmaster;
    private volatile int port;
    private volatile String password;
    private volatile boolean up;
    private volatile boolean closing;
    private volatile long nextAttemptNanos;
    private volatile String lastProblem;
    private int attempt;
    private long downSinceNanos;
    private ScheduledFuture<?> watcher;

    private EmbeddedServer(EmbeddedFiles files, PostgresBinaries binaries, Options options) {
        this.files = files;
        this.binaries = binaries;
        this.options = options;
        this.supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedded-postgres-supervisor");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the server of this data directory, or connects to the one another process runs. */
    static EmbeddedServer open(Path dataDir, Options options) {
        EmbeddedFiles files = new EmbeddedFiles(dataDir);
        EmbeddedServer server = new EmbeddedServer(files, PostgresBinaries.unpacked(), options);
        try {
            server.openFirstTime();
            Runtime.getRuntime().addShutdownHook(new Thread(server::closeIfForgotten, "embedded-postgres-safety-stop"));
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    void listen(Listener listener) {
        this.listener = listener;
    }

    int port() {
        return port;
    }

    String password() {
        return password;
    }

    /** True when this process runs the server (it will stop it when it closes). */
    synchronized boolean owner() {
        return lock != null;
    }

    /** The server's process (for the operator's messages and for tests that kill it). */
    long postmasterPid() {
        ProcessHandle p = postmaster;
        return p == null ? -1 : p.pid();
    }

    Path dataDirectory() {
        return files.dataDir;
    }

    Path clusterDirectory() {
        return files.cluster;
    }

    Path secretFile() {
        return files.secrets;
    }

    @Override
    public boolean available() {
        return up && !closing;
    }

    @Override
    public int retryInSeconds() {
        long wait = nextAttemptNanos - System.nanoTime();
        return (int) Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
    }

    /** Told by the data source that a connection failed: checks at once whether the server is still there. */
    void connectionFailed() {
        ProcessHandle p = postmaster;
        if (up && !closing && p != null && !p.isAlive()) supervisor.execute(() -> lost(p));
    }

    // ---------------------------------------------------------------- opening

    private void openFirstTime() {
        try {
            if (!Files.isDirectory(files.dataDir)) {
                Files.createDirectories(files.dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new DatabaseUnavailable("db.embeddedStart", e.getMessage(), e, files.dataDir.toString());
        }
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        while (true) {
            if (tryLock()) {
                runAsOwner();
                break;
            }
            if (attach()) break;
            if (System.nanoTime() > deadline) {
                throw new DatabaseUnavailable("db.embeddedBusy", lastProblem, null, files.dataDir.toString());
            }
            sleep(200);
        }
        up = true;
        watch();
    }

    private synchronized boolean tryLock() {
        if (lock != null) return true;
        try {
            FileChannel channel = FileChannel.open(files.lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock taken;
            try {
                taken = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                taken = null; // another server object of this JVM owns it: connect to it like any process
            }
            if (taken == null) {
                channel.close();
                return false;
            }
            lockChannel = channel;
            lock = taken;
            return true;
        } catch (IOException e) {
            throw new DatabaseUnavailable("db.embeddedStart", e.getMessage(), e, files.dataDir.toString());
        }
    }

    private synchronized void releaseLock() {
        try {
            if (lock != null) lock.release();
            if (lockChannel != null) lockChannel.close();
        } catch (IOException e) {
            // The lock goes with the process anyway.
        }
        lock = null;
        lockChannel = null;
    }

    /** Connects to the server another process runs; false when there is none ready (yet). */
    private boolean attach() {
        Optional<EmbeddedFiles.PidFile> pid = files.pidFile();
        if (pid.isEmpty() || !pid.get().ready()) {
            lastProblem = "no running server in " + files.cluster;
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid.get().pid());
        if (handle.isEmpty() || !handle.get().isAlive()) {
            lastProblem = "the server of " + files.cluster + " (pid " + pid.get().pid() + ") is gone";
            return false;
        }
        String secret = files.readSecrets().getProperty(EmbeddedFiles.PASSWORD);
        if (secret == null) {
            lastProblem = "no password in " + files.secrets;
            return false;
        }
        try (Connection c = connect(pid.get().port(), secret)) {
            c.isValid(2);
        } catch (SQLException e) {
            lastProblem = DatabaseErrors.detail(e);
            return false;
        }
        password = secret;
        port = pid.get().port();
        postmaster = handle.get();
        child = null;
        LOG.info("connected to the embedded PostgreSQL of {} run by another process (pid {}, port {})",
                files.dataDir, postmaster.pid(), port);
        return true;
    }

    /** With the lock: create the cluster if needed, then start the server or take over a running one. */
    private void runAsOwner() {
        files.rotateLog();
        Properties secrets = files.readSecrets();
        password = secrets.getProperty(EmbeddedFiles.PASSWORD);
        adoptInitdbPassword();
        if (!files.initialised()) {
            try {
                files.removeUnfinished(); // left by a start killed while initdb ran
            } catch (IOException e) {
                throw new DatabaseUnavailable("db.embeddedStart", e.getMessage(), e, files.dataDir.toString());
            }
            if (!files.clusterAbsentOrEmpty()) {
                throw new DatabaseUnavailable("db.embeddedNotACluster", null, null, files.cluster.toString());
            }
            initdb();
        } else if (password == null && !legacyTrust()) {
            throw new DatabaseUnavailable("db.embeddedSecretLost", null, null, files.secrets.toString(), files.cluster.toString());
        }
        if (takeOverRunningServer()) return;
        start();
        if (password == null) secureLegacyCluster();
    }

    /**
     * Creates the cluster in a folder of its own, moved to its name once complete, with its password
     * on file before: a start killed in the middle (initdb goes on alone and finishes) leaves a folder
     * the next start removes, never a cluster without its password.
     */
    private void initdb() {
        password = newPassword();
        Path pwfile = files.dataDir.resolve(INITDB_PASSWORD);
        Path building = files.unfinished();
        try {
            Files.deleteIfExists(pwfile);
            Files.createFile(pwfile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            EmbeddedFiles.deleteTree(building);
            LOG.info("creating the embedded PostgreSQL cluster in {}", files.cluster);
            List<String> args = List.of("-A", "scram-sha-256", "--pwfile", pwfile.toString(), "-U", USER,
                    "-D", building.toString(), "-E", "UTF-8");
            run(binaries.command("initdb", args), Duration.ofMinutes(5), "initdb");
            writeHba(building);
            Properties p = files.readSecrets();
            p.setProperty(EmbeddedFiles.PASSWORD, password);
            files.writeSecrets(p);
            files.moveIntoPlace(building);
        } catch (IOException e) {
            throw new DatabaseUnavailable("db.embeddedStart", e.getMessage(), e, files.dataDir.toString());
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException ignored) {
                // Removed at the next start.
            }
        }
    }

    /** An earlier version's cluster created in place by a start killed before it kept its password. */
    private void adoptInitdbPassword() {
        Path pwfile = files.dataDir.resolve(INITDB_PASSWORD);
        try {
            if (password != null || !files.initialised() || !Files.isRegularFile(pwfile)) return;
            String secret = Files.readString(pwfile, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) return;
            Properties p = files.readSecrets();
            p.setProperty(EmbeddedFiles.PASSWORD, secret);
            files.writeSecrets(p);
            password = secret;
            Files.delete(pwfile);
            LOG.info("kept the password of {} left by a start stopped while it created the cluster", pwfile);
        } catch (IOException e) {
            throw new DatabaseUnavailable("db.embeddedStart", e.getMessage(), e, files.dataDir.toString());
        }
    }

    /** Loopback TCP with the password only; the server opens no Unix socket. */
    private void writeHba() throws IOException {
        writeHba(files.cluster);
    }

    private void writeHba(Path cluster) throws IOException {
        Files.writeString(cluster.resolve("pg_hba.conf"),
                "# Publipostage: the embedded PostgreSQL is reached on loopback only, with the password kept in\n"
                        + "# " + files.secrets + " (mode 0600). No Unix socket is opened.\n"
                        + "host    all          all  127.0.0.1/32  scram-sha-256\n"
                        + "host    all          all  ::1/128       scram-sha-256\n"
                        + "host    replication  all  127.0.0.1/32  scram-sha-256\n",
                StandardCharsets.UTF_8);
    }

    /** A cluster made by an older version: trust authentication, no password on file. */
    private boolean legacyTrust() {
        try {
            return Files.readAllLines(files.cluster.resolve("pg_hba.conf")).stream()
                    .map(String::strip).filter(l -> !l.startsWith("#") && !l.isEmpty())
                    .anyMatch(l -> l.endsWith("trust"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Gives an older version's cluster (anyone on the machine could connect) a password and password authentication. */
    private void secureLegacyCluster() {
        String secret = newPassword();
        try (Connection c = DriverManager.getConnection(url(port), USER, "");
             Statement st = c.createStatement()) {
            st.execute("set password_encryption = 'scram-sha-256'");
            st.execute("alter role " + USER + " password '" + secret + "'");
            writeHba();
            st.execute("select pg_reload_conf()");
        } catch (SQLException | IOException e) {
            throw new DatabaseUnavailable("db.embeddedStart", DatabaseErrors.detail(e), e, files.dataDir.toString());
        }
        password = secret;
        Properties p = files.readSecrets();
        p.setProperty(EmbeddedFiles.PASSWORD, secret);
        files.writeSecrets(p);
        LOG.warn("the embedded PostgreSQL of {} accepted connections without a password (older version): "
                + "it now requires the password kept in {}", files.dataDir, files.secrets);
        // pg_reload_conf() is asynchronous: wait until a connection without password is refused.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(url(port), USER, "")) {
                sleep(50);
            } catch (SQLException e) {
                return;
            }
        }
    }

    /**
     * A server left running by an owner that died (killed with SIGKILL: the server outlives it). With
     * the right settings it is kept — processes connected to it go on; otherwise it is stopped.
     */
    private boolean takeOverRunningServer() {
        Optional<EmbeddedFiles.PidFile> pid = files.pidFile();
        if (pid.isEmpty()) return false;
        Optional<ProcessHandle> handle = ProcessHandle.of(pid.get().pid()).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) return false;
        String command = handle.get().info().command().orElse("");
        if (!command.endsWith("/postgres") || !runsThisCluster(handle.get())) {
            // postmaster.pid left by a server that is gone; its number now belongs to another program,
            // perhaps the PostgreSQL of another data directory (never to be stopped from here).
            LOG.info("removing the stale {} (pid {} is {}, not this data directory's server)", files.cluster.resolve("postmaster.pid"),
                    pid.get().pid(), command);
            try {
                Files.deleteIfExists(files.cluster.resolve("postmaster.pid"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return false;
        }
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        while (System.nanoTime() < deadline && handle.get().isAlive()) {
            Optional<EmbeddedFiles.PidFile> now = files.pidFile();
            if (now.isPresent() && now.get().ready() && password != null) {
                try (Connection c = connect(now.get().port(), password)) {
                    String mismatch = settingsMismatch(c);
                    if (mismatch == null) {
                        port = now.get().port();
                        postmaster = handle.get();
                        child = null;
                        recordRunning();
                        LOG.info("took over the embedded PostgreSQL left running in {} (pid {}, port {})",
                                files.dataDir, postmaster.pid(), port);
                        return true;
                    }
                    lastProblem = mismatch;
                    break;
                } catch (SQLException e) {
                    lastProblem = DatabaseErrors.detail(e);
                    break;
                }
            }
            sleep(100);
        }
        LOG.info("stopping the embedded PostgreSQL left running in {} (pid {}) to start it with this process's settings ({})",
                files.dataDir, pid.get().pid(), lastProblem);
        stopProcess(handle.get());
        return false;
    }

    /**
     * True when the process is the postmaster of this data directory's cluster: its {@code -D} argument,
     * else (arguments not readable) its working directory, which the postmaster sets to its cluster.
     */
    private boolean runsThisCluster(ProcessHandle p) {
        String[] args = p.info().arguments().orElse(null);
        if (args != null) {
            for (int i = 0; i + 1 < args.length; i++) {
                if (args[i].equals("-D")) return Path.of(args[i + 1]).toAbsolutePath().normalize().equals(files.cluster);
            }
        }
        try {
            return Files.isSameFile(Path.of("/proc", String.valueOf(p.pid()), "cwd"), files.cluster);
        } catch (IOException | SecurityException e) {
            return args == null; // nothing to tell by: keep the former judgement (a postgres program)
        }
    }

    /** The first setting of the running server that differs from this process's, or null. */
    private String settingsMismatch(Connection c) throws SQLException {
        for (Map.Entry<String, String> e : serverSettings().entrySet()) {
            // Not comparable through a session: the driver sets the session's time zone; the others are the command line's.
            if (e.getKey().equals("listen_addresses") || e.getKey().equals("unix_socket_directories") || e.getKey().equals("timezone")) continue;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show " + e.getKey())) {
                String actual = rs.next() ? rs.getString(1) : null;
                if (!e.getValue().equalsIgnoreCase(actual)) return e.getKey() + " is " + actual + ", not " + e.getValue();
            }
        }
        return null;
    }

    private Map<String, String> serverSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("listen_addresses", "127.0.0.1");
        settings.put("unix_socket_directories", "");
        settings.put("max_connections", "100");
        settings.put("timezone", "UTC");
        settings.putAll(DURABLE);
        settings.putAll(options.extraSettings());
        return settings;
    }

    /** Starts {@code postgres} as a child of this process and waits until it accepts connections. */
    private void start() {
        int chosen = choosePort();
        List<String> args = new ArrayList<>(List.of("-D", files.cluster.toString(), "-p", String.valueOf(chosen)));
        serverSettings().forEach((k, v) -> {
            args.add("-c");
            args.add(k + "=" + v);
        });
        List<String> command = new ArrayList<>();
        // Its own session: a Ctrl-C in the terminal reaches this JVM (which stops the server in order), not the server.
        if (onPath("setsid")) command.add("setsid");
        command.addAll(binaries.command("postgres", args));
        long logStart = files.logSize();
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(files.log.toFile()));
            process = pb.start();
        } catch (IOException e) {
            throw new DatabaseUnavailable("db.embeddedStart", e.getMessage(), e, files.dataDir.toString());
        }
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        try {
            while (true) {
                if (!process.isAlive()) {
                    String reason = files.reasonSince(logStart);
                    throw new DatabaseUnavailable("db.embeddedStart",
                            reason != null ? reason : "postgres exited with code " + process.exitValue(), null, files.dataDir.toString());
                }
                Optional<EmbeddedFiles.PidFile> pid = files.pidFile();
                if (pid.isPresent() && pid.get().ready() && pid.get().pid() == process.pid()) {
                    try (Connection c = connect(chosen, password == null ? "" : password)) {
                        break;
                    } catch (SQLException e) {
                        lastProblem = DatabaseErrors.detail(e);
                        if ("28P01".equals(e.getSQLState())) {
                            throw new DatabaseUnavailable("db.embeddedSecretLost", lastProblem, e, files.secrets.toString(), files.cluster.toString());
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new DatabaseUnavailable("db.embeddedStart", "not ready after " + options.startTimeout().toSeconds()
                            + " s: " + files.reasonSince(logStart), null, files.dataDir.toString());
                }
                Thread.sleep(50);
            }
        } catch (RuntimeException | InterruptedException e) {
            stopProcess(process.toHandle());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new DatabaseUnavailable("db.embeddedStart", "interrupted", e, files.dataDir.toString());
            }
            throw (RuntimeException) e;
        }
        child = process;
        postmaster = process.toHandle();
        port = chosen;
        recordRunning();
        LOG.info("embedded PostgreSQL started in {} (pid {}, port {}, fsync {}, synchronous_commit {})", files.dataDir,
                process.pid(), chosen, serverSettings().get("fsync"), serverSettings().get("synchronous_commit"));
    }

    /** Records the running server for the other processes (port, process, who runs it). */
    private void recordRunning() {
        Properties p = files.readSecrets();
        if (password != null) p.setProperty(EmbeddedFiles.PASSWORD, password);
        p.setProperty(EmbeddedFiles.PORT, String.valueOf(port));
        p.setProperty(EmbeddedFiles.PID, String.valueOf(postmaster.pid()));
        p.setProperty(EmbeddedFiles.OWNER_PID, String.valueOf(ProcessHandle.current().pid()));
        p.setProperty(EmbeddedFiles.STARTED, Instant.now().toString());
        files.writeSecrets(p);
    }

    private int choosePort() {
        if (options.port() > 0) return options.port();
        String previous = files.readSecrets().getProperty(EmbeddedFiles.PORT);
        if (previous != null) {
            try {
                int p = Integer.parseInt(previous);
                if (free(p)) return p; // the same port as before: processes beside this one find it again
            } catch (NumberFormatException ignored) {
                // Pick another.
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- supervision

    /** Watches the server's process: our own child at once, another process's every half second. */
    private synchronized void watch() {
        ProcessHandle watched = postmaster;
        if (watcher != null) watcher.cancel(false);
        watcher = null;
        if (child != null && child.pid() == watched.pid()) {
            child.onExit().thenRun(() -> {
                if (!closing) supervisor.execute(() -> lost(watched));
            });
        } else {
            watcher = supervisor.scheduleWithFixedDelay(() -> {
                if (!watched.isAlive()) lost(watched);
            }, 500, 500, TimeUnit.MILLISECONDS);
        }
    }

    /** On the supervisor's thread: the server went away. */
    private void lost(ProcessHandle gone) {
        if (closing || !up || postmaster == null || postmaster.pid() != gone.pid()) return;
        synchronized (this) {
            if (watcher != null) watcher.cancel(false);
            watcher = null;
        }
        up = false;
        downSinceNanos = System.nanoTime();
        attempt = 0;
        String how = "";
        if (child != null && child.pid() == gone.pid() && !child.isAlive()) {
            int code = child.exitValue();
            how = code > 128 ? " (killed by signal " + (code - 128) + ")" : " (exit code " + code + ")";
        }
        LOG.warn("the embedded PostgreSQL of {} (pid {}) stopped{}; the application answers 'unavailable' and starts it again",
                files.dataDir, gone.pid(), how);
        scheduleAttempt();
    }

    private void scheduleAttempt() {
        attempt++;
        if (attempt > options.maxRestarts()) {
            giveUp();
            return;
        }
        long delayMillis = Math.min(30_000L, 1000L << Math.min(attempt - 1, 10));
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        LOG.info("embedded PostgreSQL: attempt {}/{} to get it back in {} s", attempt, options.maxRestarts(), delayMillis / 1000.0);
        supervisor.schedule(this::tryAgain, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void tryAgain() {
        if (closing) return;
        try {
            if (tryLock()) {
                runAsOwner();
            } else if (!attach()) {
                throw new DatabaseUnavailable("db.embeddedStart", lastProblem, null, files.dataDir.toString());
            }
            up = true;
            LOG.info("embedded PostgreSQL of {} back after {} s (attempt {}, pid {}, port {}, {})", files.dataDir,
                    String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - downSinceNanos) / 1e9), attempt,
                    postmaster.pid(), port, owner() ? "run by this process" : "run by another process");
            listener.restarted(port);
            watch();
        } catch (RuntimeException e) {
            lastProblem = e instanceof DatabaseUnavailable d && d.detail() != null ? d.detail() : e.getMessage();
            LOG.warn("embedded PostgreSQL: attempt {}/{} failed: {}", attempt, options.maxRestarts(), lastProblem);
            if (!closing) scheduleAttempt();
        }
    }

    private void giveUp() {
        DatabaseUnavailable reason = new DatabaseUnavailable("db.embeddedLost", lastProblem, null,
                files.dataDir.toString(), String.valueOf(options.maxRestarts()));
        LOG.error("embedded PostgreSQL of {}: could not start it again after {} attempts: {}", files.dataDir,
                options.maxRestarts(), lastProblem);
        nextAttemptNanos = Long.MAX_VALUE / 2;
        listener.gaveUp(reason);
    }

    // ---------------------------------------------------------------- stopping

    /**
     * Stops watching; the owner stops the server (fast shutdown: open sessions are ended) and releases
     * the data directory. Bounded: a server that does not stop in 5 s is stopped at once.
     */
    @Override
    public void close() {
        closing = true;
        supervisor.shutdownNow();
        try {
            supervisor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (owner()) {
            ProcessHandle p = postmaster;
            if (p != null && p.isAlive()) {
                stopProcess(p);
                LOG.info("embedded PostgreSQL of {} stopped", files.dataDir);
            }
            releaseLock();
        }
    }

    /**
     * At JVM exit, for a process that never closed it (a test, a crash of the code that opened it): the
     * server must not outlive the JVM. Whoever opened it normally closes it first — background work,
     * then the pool, then the server — so this waits for that before stopping the server itself.
     */
    private void closeIfForgotten() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!closing && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                break;
            }
        }
        if (!closing) close();
    }

    /** Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL. */
    private void stopProcess(ProcessHandle p) {
        if (signal("INT", p) && waitFor(p, 5_000)) return;
        if (signal("QUIT", p) && waitFor(p, 2_000)) return;
        p.destroyForcibly();
        waitFor(p, 2_000);
    }

    private boolean signal(String name, ProcessHandle p) {
        try {
            run(binaries.command("pg_ctl", List.of("kill", name, String.valueOf(p.pid()))), Duration.ofSeconds(5), "pg_ctl kill");
            return true;
        } catch (RuntimeException e) {
            return !p.isAlive();
        }
    }

    private static boolean waitFor(ProcessHandle p, long millis) {
        try {
            p.onExit().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !p.isAlive();
        }
    }

    // ---------------------------------------------------------------- helpers

    static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** A connection of its own (not from the pool), as the server's superuser: backups hold one session open. */
    Connection connectDirect(String applicationName) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        p.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(url(port), p);
    }

    private static Connection connect(int port, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "10");
        p.setProperty("ApplicationName", "publipostage-supervisor");
        return DriverManager.getConnection(url(port), p);
    }

    private void run(List<String> command, Duration timeout, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(files.log.toFile())).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish in " + timeout.toSeconds() + " s");
            }
            if (p.exitValue() != 0) throw new IllegalStateException(what + " failed (exit code " + p.exitValue() + "), see " + files.log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailable("db.embeddedStart", "interrupted", e, "");
        }
    }
}

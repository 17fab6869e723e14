package fr.publipostage.testing;

import fr.publipostage.App;
import fr.publipostage.Setting;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Several application processes on one machine and one database: the database ({@link SharedDatabase}),
 * an application in the test's JVM to load data and read the tables, one temp folder shared by the
 * processes (as on one machine), a school and its admin.
 */
public final class Fleet implements AutoCloseable {
    public static final String UAI = "0330555M";
    public static final String SCHOOL = "Lycée Jean-Moulin de Lesparre";
    public static final String ADMIN = "admin.fleet";
    public static final String PASSWORD = "fleet-password-2026";
    /** The scrapers' token of every instance ({@code PUBLIPOSTAGE_METRICS_TOKEN}). */
    public static final String METRICS_TOKEN = "fleet-scraper-token-2026";
    private static final String HEADER = "uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;email;level;classes;relatives;functions;created_at;language";

    public final SharedDatabase db;
    public final App app;
    public final Path workDir;
    public final Path tmpDir;
    private final List<Instance> instances = new ArrayList<>();

    public Fleet(SharedDatabase.Kind kind, Map<Setting, String> testAppSettings) throws IOException {
        db = SharedDatabase.open(kind);
        app = db.app(testAppSettings);
        workDir = Files.createTempDirectory("publipostage-fleet");
        tmpDir = Files.createDirectories(workDir.resolve("tmp"));
    }

    /**
     * A school: {@code pupils} pupils still to activate (login {@code eleve.0001}, code {@code AC000001}…,
     * in classes of 30) and {@code teachers} teachers with an address ({@code prof1@example.org}…); its
     * local admin {@link #ADMIN}. Returns the school's id.
     */
    public long school(int pupils, int teachers) throws Exception {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= pupils; i++) {
            String cls = "2nde " + (1 + (i - 1) / 30);
            csv.append(String.format("%s;%s;Student;Élève%04d;Zoé;eleve.%04d;;AC%06d;;Seconde;%s;;;2026-09-01;%n",
                    UAI, SCHOOL, i, i, i, cls));
        }
        for (int i = 1; i <= teachers; i++) {
            csv.append(String.format("%s;%s;Teacher;Professeur%03d;Hélène;prof.%03d;;PR%06d;prof%d@example.org;;;;;2026-09-01;%n",
                    UAI, SCHOOL, i, i, i, i));
        }
        app.importer().importCsv(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), null);
        app.admins().create(ADMIN, PASSWORD, false, List.of(UAI));
        return app.structureByUai(UAI).id();
    }

    /** The settings every instance gets: this database, no demo data, English messages. */
    public Map<String, String> baseEnv() {
        Map<String, String> env = new LinkedHashMap<>(db.env());
        env.put("PUBLIPOSTAGE_DEMO_DATA", "false");
        env.put("PUBLIPOSTAGE_LANGUAGE", "en");
        env.put("PUBLIPOSTAGE_METRICS_TOKEN", METRICS_TOKEN);
        return env;
    }

    /** Starts {@code serve} with the base settings and these, and waits until it answers. */
    public Instance serve(String name, Map<String, String> settings) throws Exception {
        Instance i = start(name, settings);
        i.awaitServing(Duration.ofMinutes(2));
        return i;
    }

    /** Starts {@code serve} without waiting (start several at once, then {@link Instance#awaitServing}). */
    public Instance start(String name, Map<String, String> settings) throws IOException {
        Map<String, String> env = baseEnv();
        env.putAll(settings);
        Instance i = Instance.serve(name, workDir, tmpDir, env);
        instances.add(i);
        return i;
    }

    public HttpSession login(Instance instance) {
        return HttpSession.login(instance.baseUrl(), ADMIN, PASSWORD);
    }

    /**
     * The value of one series on the instance's {@code /metrics}, as a scraper reads it (bearer token):
     * {@code name} is the series with its labels, e.g. {@code publipostage_lease_takeovers_total{queue="letters"}}.
     */
    public double metric(Instance instance, String name) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(instance.baseUrl() + "/metrics"))
                        .header("Authorization", "Bearer " + METRICS_TOKEN).timeout(Duration.ofSeconds(30)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("/metrics of " + instance.name() + ": " + r.statusCode());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
        throw new AssertionError("no " + name + " on /metrics of " + instance.name() + ":\n" + r.body());
    }

    /** The instance whose id (recorded on leases and rows) is {@code owner}: ids start with the instance's name. */
    public Instance byOwner(String owner) {
        for (Instance i : instances) {
            if (owner != null && owner.startsWith(i.name() + "-" + i.pid() + "-")) return i;
        }
        throw new IllegalStateException("no instance " + owner);
    }

    /** The run folders under the shared temp folder's root, and every file in them. */
    public List<Path> tempEntries() throws IOException {
        List<Path> out = new ArrayList<>();
        Path root = tmpDir.resolve("publipostage");
        if (!Files.exists(root)) return out;
        try (var walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root)).forEach(out::add);
        }
        return out;
    }

    /** Waits until the condition holds, or fails with {@code what} and the instances' logs. */
    public void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                StringBuilder logs = new StringBuilder();
                for (Instance i : instances) {
                    if (i.alive()) i.threadDump();
                    logs.append('\n').append(i.tail(400));
                }
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what + logs);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        for (Instance i : instances) i.close();
        // The instances' logs are kept for whoever reads a failure: target/fleet-logs/.
        Path kept = Files.createDirectories(Path.of("target", "fleet-logs"));
        String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HHmmss"));
        try (var logs = Files.newDirectoryStream(workDir, "*.log")) {
            for (Path log : logs) {
                Files.copy(log, kept.resolve(stamp + "-" + db + "-" + log.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try {
            app.close();
        } finally {
            db.close();
            try (var walk = Files.walk(workDir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

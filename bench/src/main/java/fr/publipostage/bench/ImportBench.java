package fr.publipostage.bench;

import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.directory.ImportFormat;
import fr.publipostage.directory.ImportReport;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A region's import (issue 11 §5): generates a deterministic native file — N accounts over 500 schools
 * (a 3,000-account school among them), French names with accents, pupils in classes, parents linked to
 * their children, some e-mails — then, through the command line's own path ({@code App.imports()}),
 * imports it into a fresh embedded PostgreSQL (the production one: data directory, fsync on), imports
 * it again and checks that no row was rewritten (xmin), then imports a 3,000-line school file into the
 * loaded database. Prints time, peak heap and peak RSS of this JVM for each step.
 *
 * <p>Run with the heap of the target: {@code java -Xmx512m … ImportBench [accounts=1000000] [dir=/tmp/import-bench]}
 * (bench/README.md has the Maven command).
 */
public final class ImportBench {
    static final String[] LAST_NAMES = {
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
        "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martínez",
        "Légaré", "Fontaine", "Chevalier", "Robin", "Gauthier", "Perrin", "Clément", "Morin", "Nicolas", "Henry",
        "N'Diaye", "D'Almeida", "Le Guérec", "Saint-Exupéry", "Nguyễn", "Dvořák", "Öztürk", "Lemaître", "Pérez-Gómez",
        "Bézier", "Ménard", "Hébert", "Côté", "Béranger", "Lévêque", "de La Fontaine", "Ben Saïd", "Lœuillet", "Çelik",
        "Ibáñez", "Mbappé", "Haddad", "Benali", "Traoré", "Šimić", "Øberg", "Bérézina", "Guérin", "Lacroix", "Brun"
    };
    static final String[] FIRST_NAMES = {
        "Léa", "Chloé", "Emma", "Inès", "Zoé", "Maëlle", "Anaïs", "Élodie", "Hélène", "Gaëlle", "Ophélie", "Ève",
        "Marie-Ève", "Noémie", "Clémence", "Aurélie", "Bérénice", "Cécile", "Françoise", "Joséphine", "Manon",
        "Camille", "Sarah", "Jade", "Louise", "Théo", "Noé", "Loïc", "Jérôme", "François", "Clément", "Raphaël",
        "Benoît", "Aurélien", "Jean-Baptiste", "Hugo", "Lucas", "Gabriel", "Maël", "Anatole", "Célestin", "Anne-Sophie",
        "Joël", "Gaël", "Héloïse", "Adèle", "Amélie", "Mathéo", "Timothée", "Rémi", "Aïcha", "Chloë", "Zoë", "Éloïse"
    };
    private static final String[] LEVELS = {"Seconde", "Première", "Terminale"};
    private static final String[] CLASS_PREFIXES = {"2nde", "1re", "Tle"};
    private static final String CODE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static void main(String[] args) throws Exception {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Path.of(args.length > 1 ? args[1] : "/tmp/import-bench").toAbsolutePath();
        Path region = dir.resolve("region-" + accounts + ".csv");
        Path school = dir.resolve("school-3000.csv");
        Files.createDirectories(dir);
        System.out.printf("machine: %d cores, load average %.2f at start; max heap %d MB%n",
                Runtime.getRuntime().availableProcessors(), load(), Runtime.getRuntime().maxMemory() >> 20);
        if (!Files.exists(region)) {
            long t = System.nanoTime();
            generate(region, accounts, 500, 20260901L, 0);
            System.out.printf("generated %s (%d MB) in %.1f s%n", region, Files.size(region) >> 20, secs(t));
        }
        if (!Files.exists(school)) generate(school, 3_000, 1, 7L, 900);

        Path data = dir.resolve("data");
        deleteTree(data);
        Config config = Config.of(Map.of(Setting.DATA_DIR, data.toString(), Setting.DEMO_DATA, "false",
                Setting.MAIL_WORKER, "false"));
        try (App app = App.open(config)) {
            ImportReport first = timed("first import of " + region.getFileName(), app, region);
            check(first.created() == accounts, "first import created " + first.created());
            long before = txid(app);
            ImportReport again = timed("re-import of the same file", app, region);
            check(again.created() == 0 && again.updated() == 0 && again.unchanged() == accounts,
                    "re-import: created " + again.created() + ", updated " + again.updated());
            Map<String, Long> rewritten = rowsWrittenAfter(app, before);
            System.out.println("rows written by the re-import (xmin newer than its start): " + rewritten);
            check(rewritten.values().stream().allMatch(n -> n == 0), "the re-import rewrote rows");
            ImportReport one = timed("3,000-line school file, new school", app, school);
            check(one.created() == 3_000, "school import created " + one.created());
            timed("3,000-line school file, again", app, school);
        }
        System.out.printf("load average %.2f at the end%n", load());
    }

    private static ImportReport timed(String what, App app, Path file) throws Exception {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
        long t = System.nanoTime();
        ImportReport report;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            report = app.imports().importFile(in, null, true, "bench", file.getFileName().toString());
        }
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) heap += pool.getPeakUsage().getUsed();
        }
        System.out.printf("%-45s %7.1f s   peak heap %4d MB   peak RSS (JVM) %5d MB   created %d, updated %d, unchanged %d"
                        + "   load %.2f%n", what, secs(t), heap >> 20, peakRssMb(), report.created(), report.updated(),
                report.unchanged(), load());
        return report;
    }

    private static long txid(App app) throws Exception {
        try (Connection c = app.database().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select txid_current()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows whose version was written by a transaction that started after {@code txid}. */
    private static Map<String, Long> rowsWrittenAfter(App app, long txid) throws Exception {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        try (Connection c = app.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String table : List.of("structure", "school_class", "account", "account_class", "account_relative")) {
                try (ResultSet rs = st.executeQuery("select count(*) from " + table + " where xmin::text::bigint > " + txid)) {
                    rs.next();
                    out.put(table, rs.getLong(1));
                }
            }
        }
        return out;
    }

    /**
     * Writes a native file: {@code schools} schools of about {@code accounts / schools} accounts each
     * (for the region, school 0 has 3,000), 57 % pupils, 32 % parents of one to three pupils of the
     * school, 7 % teachers, 3 % staff, 1 % guests; a third with an e-mail; 60 % not activated yet.
     */
    static void generate(Path file, int accounts, int schools, long seed, int firstSchool) throws IOException {
        Random random = new Random(seed);
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            w.write(ImportFormat.NATIVE.header());
            w.write('\n');
            int remaining = accounts;
            for (int s = 0; s < schools; s++) {
                int size = schools == 1 ? accounts : s == 0 ? 3_000 : s == schools - 1 ? remaining
                        : (accounts - 3_000) / (schools - 1);
                remaining -= size;
                writeSchool(w, firstSchool + s, size, random);
            }
        }
    }

    private static void writeSchool(Writer w, int school, int size, Random random) throws IOException {
        String uai = String.format("%07d%c", 1_000_000 + school, (char) ('A' + school % 26));
        String name = (school % 3 == 0 ? "Lycée " : "Collège ") + LAST_NAMES[school % LAST_NAMES.length] + " n° " + school;
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        counts.put(Kind.Teacher, size * 7 / 100);
        counts.put(Kind.Personnel, size * 3 / 100);
        counts.put(Kind.Guest, size / 100);
        counts.put(Kind.Relative, size * 32 / 100);
        counts.put(Kind.Student, size - counts.values().stream().mapToInt(Integer::intValue).sum());
        int classes = Math.max(3, counts.get(Kind.Student) / 30);
        List<String> pupils = new ArrayList<>();
        int n = 0;
        for (Kind kind : List.of(Kind.Student, Kind.Teacher, Kind.Personnel, Kind.Guest, Kind.Relative)) {
            for (int i = 0; i < counts.get(kind); i++, n++) {
                String last = LAST_NAMES[random.nextInt(LAST_NAMES.length)];
                String first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
                String login = (ascii(first) + "." + ascii(last)).replaceAll("[^a-z.]", "") + n;
                String level = "";
                String klass = "";
                String relatives = "";
                if (kind == Kind.Student) {
                    int c = i % classes;
                    int l = c % LEVELS.length;
                    level = LEVELS[l];
                    klass = CLASS_PREFIXES[l] + " " + (c / LEVELS.length + 1);
                    pupils.add(login);
                } else if (kind == Kind.Teacher) {
                    int c = random.nextInt(classes);
                    klass = CLASS_PREFIXES[c % 3] + " " + (c / 3 + 1) + "|" + CLASS_PREFIXES[(c + 1) % 3] + " " + ((c + 1) / 3 + 1);
                } else if (kind == Kind.Relative) {
                    int children = 1 + random.nextInt(3);
                    StringBuilder r = new StringBuilder();
                    for (int k = 0; k < children; k++) {
                        String child = pupils.get(random.nextInt(pupils.size()));
                        if (r.indexOf(child + "|") < 0 && !r.toString().endsWith(child)) r.append(r.length() == 0 ? "" : "|").append(child);
                    }
                    relatives = r.toString();
                }
                String code = random.nextInt(10) < 6 ? code(random) : "";
                String email = random.nextInt(3) == 0 ? login + "@exemple-" + school + ".fr" : "";
                String functions = kind == Kind.Personnel && i == 0 ? "ADMIN_LOCAL" : "";
                String created = String.format("202%d-09-%02d", random.nextInt(6), 1 + random.nextInt(28));
                w.write(String.join(";", uai, name, kind.name(), last, first, login, "", code, email, level, klass,
                        relatives, functions, created, random.nextInt(20) == 0 ? "en" : ""));
                w.write('\n');
            }
        }
    }

    private enum Kind { Student, Teacher, Personnel, Guest, Relative }

    private static String code(Random random) {
        char[] c = new char[8];
        for (int i = 0; i < c.length; i++) c[i] = CODE.charAt(random.nextInt(CODE.length()));
        return new String(c);
    }

    private static String ascii(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(java.util.Locale.ROOT);
    }

    private static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
            }
        } catch (IOException ignored) {
            // Not Linux: unknown.
        }
        return -1;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("benchmark check failed: " + what);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}

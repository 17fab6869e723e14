package fr.publipostage.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.publipostage.App;
import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.db.TestEmbedded;
import fr.publipostage.mailing.Campaign;
import fr.publipostage.mailing.CampaignWorker;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What durability costs on the embedded default: the same work on a server with PostgreSQL's durable
 * settings (what serve runs: fsync, synchronous_commit, full_page_writes on) and on one with the test
 * suite's fast settings (fsync and synchronous_commit off), alternated, each on a data directory of its
 * own: the import of a 3,000-line school file (first import, then re-import), and a 1,000-mail
 * campaign to GreenMail in this JVM (ledger start, then sending, one worker, no rate limit).
 *
 * <p>Args: [rounds, default 3]
 */
public final class DurabilityBench {
    private static final String UAI = "0330088C";
    private static final Map<String, String> DURABLE = Map.of();
    private static final Map<String, String> FAST = Map.of("fsync", "off", "synchronous_commit", "off");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.printf("DurabilityBench: %d cores, Java %s, %d rounds%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), rounds);
        GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        byte[] file = schoolFile();
        Map<String, List<double[]>> results = Map.of("durable", new ArrayList<>(), "fast", new ArrayList<>());
        try {
            run(greenMail, file, "warm-up", FAST);
            for (int r = 0; r < rounds; r++) {
                results.get("durable").add(run(greenMail, file, "durable", DURABLE));
                results.get("fast").add(run(greenMail, file, "fast", FAST));
            }
        } finally {
            greenMail.stop();
        }
        System.out.println("median of " + rounds + " rounds:");
        for (String mode : List.of("durable", "fast")) {
            double[] m = median(results.get(mode));
            System.out.printf("  %-8s import %.2f s, re-import %.2f s, campaign start %.2f s, 1,000 mails sent in %.2f s%n",
                    mode, m[0], m[1], m[2], m[3]);
        }
        System.exit(0);
    }

    /** 3,000 lines: 2,000 pupils in classes, 1,000 teachers with an address. */
    private static byte[] schoolFile() {
        StringBuilder csv = new StringBuilder("uai;structure_name;profile;last_name;first_name;login;login_alias;"
                + "activation_code;email;level;classes;relatives;functions;created_at;language\n");
        for (int i = 1; i <= 2000; i++) {
            csv.append(UAI).append(";Lycée de la Durabilité;Student;Élève").append(i).append(";Zoé;e").append(i)
                    .append(";;").append(i % 2 == 0 ? "" : "CODE" + i).append(";;Seconde;2nde ").append(1 + i % 30)
                    .append(";;;2026-09-01;\n");
        }
        for (int i = 1; i <= 1000; i++) {
            csv.append(UAI).append(";Lycée de la Durabilité;Teacher;Professeur").append(i).append(";Anaïs;t").append(i)
                    .append(";;").append(i % 2 == 0 ? "" : "PROF" + i).append(";t").append(i)
                    .append("@example.org;;;;;2026-09-01;\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double[] run(GreenMail greenMail, byte[] file, String label, Map<String, String> serverSettings) throws Exception {
        greenMail.purgeEmailFromAllMailboxes();
        Path dir = Files.createTempDirectory("durability-bench", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Map<Setting, String> s = new EnumMap<>(Setting.class);
        s.put(Setting.DATA_DIR, dir.toString());
        s.put(Setting.DEMO_DATA, "false");
        s.put(Setting.SMTP_HOST, "127.0.0.1");
        s.put(Setting.SMTP_PORT, String.valueOf(greenMail.getSmtp().getPort()));
        s.put(Setting.SMTP_TLS, "none");
        s.put(Setting.SMTP_FROM, "ent@bench.example.fr");
        s.put(Setting.MAIL_BATCH, "50");
        Config config = Config.of(s);
        try (App app = new App(config, TestEmbedded.open(config, serverSettings))) {
            long t0 = System.nanoTime();
            app.importer().importCsv(new ByteArrayInputStream(file), null);
            long t1 = System.nanoTime();
            app.importer().importCsv(new ByteArrayInputStream(file), null);
            long t2 = System.nanoTime();
            long structureId = app.structureByUai(UAI).id();
            Selection teachers = app.selections().parse(structureId, Map.of("profile", List.of("Teacher")));
            Campaign c = app.campaigns().start(teachers, Scope.EVERYTHING, "bench");
            long t3 = System.nanoTime();
            CampaignWorker worker = app.mailWorker();
            while (!app.campaigns().progress(c.id()).campaign().isOver()) worker.runOnce();
            long t4 = System.nanoTime();
            int sent = app.campaigns().progress(c.id()).counts().sent();
            double[] r = {(t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9};
            System.out.printf("%-8s import %.2f s, re-import %.2f s, campaign start %.2f s, %d mails sent in %.2f s (%.0f mails/s)%n",
                    label, r[0], r[1], r[2], sent, r[3], sent / r[3]);
            worker.close();
            return r;
        } finally {
            deleteTree(dir);
        }
    }

    private static double[] median(List<double[]> runs) {
        double[] m = new double[runs.get(0).length];
        for (int i = 0; i < m.length; i++) {
            int k = i;
            List<Double> values = runs.stream().map(r -> r[k]).sorted(Comparator.naturalOrder()).toList();
            m[i] = values.get(values.size() / 2);
        }
        return m;
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

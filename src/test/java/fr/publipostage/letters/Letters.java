package fr.publipostage.letters;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Profile;
import fr.publipostage.directory.Structure;
import fr.publipostage.templates.BuiltinTemplates;
import fr.publipostage.templates.Messages;
import fr.publipostage.templates.QrCodes;
import fr.publipostage.templates.TemplateResolver;
import fr.publipostage.templates.TemplateVariables;
import fr.publipostage.templates.VelocityRenderer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Test fixtures: a school, synthetic accounts with accented names, an engine without database. */
public final class Letters {
    public static final Structure SCHOOL = new Structure(1, "0330001A", "Lycée Montesquieu",
            "12 cours Victor-Hugo, 33000 Bordeaux", "fr", null, "https://ent.lycee-montesquieu.example.fr");
    static final String[] FIRST = {"Zoé", "Anaïs", "Jérôme", "Hélène", "Maëlys", "Loïc", "Bérénice", "Noël", "Łukasz",
            "Ørjan", "Ştefan", "Çağla", "Dvořák", "Grégoire", "Françoise"};
    static final String[] LAST = {"Lefèvre", "Müller", "Châtelain", "Després", "Lemaître", "Brûlé", "Thébault",
            "Œuvray", "Đorđević", "Kowalczyk-Żółć", "Ærøe", "Şahin", "Lagüe", "N'Diaye", "Ñúñez"};
    static final String[] CLASSES = {"2nde 1", "2nde 2", "1ère G1", "Tle G2"};
    static final String CODE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private Letters() {
    }

    /** {@code n} accounts, sorted by class when {@code byClass}; every third one activated. */
    public static List<Account> accounts(int n, boolean byClass) {
        Random r = new Random(42);
        List<Account> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String first = FIRST[r.nextInt(FIRST.length)];
            String last = LAST[r.nextInt(LAST.length)];
            String cls = byClass ? CLASSES[Math.min(CLASSES.length - 1, i * CLASSES.length / Math.max(1, n))]
                    : CLASSES[r.nextInt(CLASSES.length)];
            boolean activated = i % 3 == 2;
            StringBuilder code = new StringBuilder();
            for (int k = 0; k < 8; k++) code.append(CODE.charAt(r.nextInt(CODE.length())));
            Profile profile = i % 5 == 4 ? Profile.Relative : Profile.Student;
            out.add(new Account(1000 + i, 1, profile, last, first, "user" + i + ".login", null,
                    activated ? null : code.toString(), activated, null, "Seconde", List.of(cls), List.of(),
                    profile == Profile.Relative ? List.of("Zoé " + last) : List.of(), false, LocalDate.of(2025, 9, 1),
                    i % 7 == 6 ? "en" : null));
        }
        return out;
    }

    public static ExecutorService pool(int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "letters-test");
            t.setDaemon(true);
            return t;
        });
    }

    public static LetterEngine engine(TemplateResolver templates, ExecutorService pool, int threads, int chunkPages) {
        return engine(SCHOOL, templates, pool, threads, chunkPages);
    }

    public static LetterEngine engine(Structure school, TemplateResolver templates, ExecutorService pool, int threads,
                                      int chunkPages) {
        return engine(school, templates, pool, threads, chunkPages, true);
    }

    /** {@code tagged}: the engine's PDF/UA tagging, on by default (off for comparisons). */
    public static LetterEngine engine(Structure school, TemplateResolver templates, ExecutorService pool, int threads,
                                      int chunkPages, boolean tagged) {
        Messages messages = new Messages();
        return new LetterEngine(null, id -> school, new VelocityRenderer(templates),
                new TemplateVariables(messages, new QrCodes()), new PdfRenderer(new Fonts(), tagged), pool, threads, chunkPages,
                Path.of(System.getProperty("java.io.tmpdir"), "publipostage-test"),
                Clock.fixed(java.time.Instant.parse("2025-09-12T08:00:00Z"), ZoneId.of("Europe/Paris")));
    }

    public static LetterEngine engine(ExecutorService pool, int threads, int chunkPages) {
        return engine(new BuiltinTemplates(), pool, threads, chunkPages);
    }
}

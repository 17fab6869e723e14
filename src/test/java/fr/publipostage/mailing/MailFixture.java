package fr.publipostage.mailing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.Structure;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/** A small school, a real GreenMail, and settings that make retries and leases fast. */
final class MailFixture {
    static final String UAI = "0330099Z";
    static final String SCHOOL = "Lycée Sainte-Anne & Saint-Joseph d'Arcachon";
    static final String FROM = "ent@sainte-anne.example.fr";
    static final String HEADER = "uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;email;level;classes;relatives;functions;created_at;language";

    private MailFixture() {
    }

    static GreenMail greenMail() {
        GreenMail g = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        g.start();
        return g;
    }

    /** Fast settings for the given SMTP port (sandbox off). */
    static Map<Setting, String> settings(int smtpPort) {
        Map<Setting, String> s = new EnumMap<>(Setting.class);
        s.put(Setting.SMTP_HOST, "127.0.0.1");
        s.put(Setting.SMTP_PORT, String.valueOf(smtpPort));
        s.put(Setting.SMTP_TLS, "none");
        s.put(Setting.SMTP_FROM, FROM);
        s.put(Setting.SMTP_REPLY_TO, "secretariat@sainte-anne.example.fr");
        s.put(Setting.SMTP_TIMEOUT, "1s");
        s.put(Setting.MAIL_LEASE, "3s");
        s.put(Setting.MAIL_POLL, "50ms");
        s.put(Setting.MAIL_RETRY_DELAY, "100ms");
        s.put(Setting.MAIL_RETRY_MAX_DELAY, "400ms");
        s.put(Setting.MAIL_MAX_ATTEMPTS, "30");
        s.put(Setting.MAIL_BATCH, "5");
        return s;
    }

    /**
     * {@code n} teachers with addresses t1@ … tn@example.org (odd ones still to activate, every third
     * one in English), plus one without an address, one blocked, and a parent of two pupils (pupils
     * have no address).
     */
    static long school(App app, TestDatabase.Fresh db, int n) throws Exception {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= n; i++) {
            String code = i % 2 == 1 ? "CODE" + (1000 + i) : "";
            String lang = i % 3 == 0 ? "en" : "";
            csv.append(UAI + ";" + SCHOOL + ";Teacher;Prof" + i + ";Zoé;t" + i + ";;" + code + ";t" + i
                    + "@example.org;;;;;2026-09-01;" + lang + "\n");
        }
        csv.append(UAI + ";" + SCHOOL + ";Teacher;Sansadresse;Noé;t.noaddress;;CODE9999;;;;;;2026-09-01;\n");
        csv.append(UAI + ";" + SCHOOL + ";Teacher;Bloqué;Léo;t.blocked;;CODE8888;blocked@example.org;;;;;2026-09-01;\n");
        csv.append(UAI + ";" + SCHOOL + ";Student;Élève;Ève;p.eve;;PUPIL111;;Seconde;2nde A;;;2026-09-01;\n");
        csv.append(UAI + ";" + SCHOOL + ";Student;Élève;Loïc;p.loic;;PUPIL222;;Seconde;2nde A;;;2026-09-01;\n");
        csv.append(UAI + ";" + SCHOOL + ";Relative;Élève;Hélène;r.helene;;PARENT33;helene@example.org;;;p.eve|p.loic;;2026-09-01;\n");
        app.importer().importCsv(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), null);
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("update account set blocked = true where login = 't.blocked'");
        }
        return structure(app).id();
    }

    static Structure structure(App app) {
        return app.campaigns().structureByUai(UAI);
    }

    /** The teachers only. */
    static Selection teachers(App app, long structureId) {
        return app.selections().parse(structureId, Map.of("profile", List.of("Teacher")));
    }

    static Campaign start(App app, Selection selection) {
        return app.campaigns().start(selection, Scope.LOCAL_ADMIN, "admin.test");
    }

    /** Waits until the condition holds (or fails the test after {@code timeout}). */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(20);
        }
    }

    /** Messages received per recipient address. */
    static Map<String, List<MimeMessage>> byRecipient(GreenMail greenMail) {
        Map<String, List<MimeMessage>> out = new HashMap<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            try {
                for (Address a : m.getAllRecipients()) {
                    String addr = ((javax.mail.internet.InternetAddress) a).getAddress().toLowerCase(Locale.ROOT);
                    out.computeIfAbsent(addr, k -> new ArrayList<>()).add(m);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}

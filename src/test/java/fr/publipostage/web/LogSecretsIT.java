package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import fr.publipostage.cli.Args;
import fr.publipostage.cli.ImportCommand;
import fr.publipostage.web.WebFixture.Who;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No activation code and no password in the logs (issue 12 §3): everything the application logs during
 * logins (a wrong password, a password typed as the login, a right one), an import, a campaign, a
 * print, a CSV export and an account's card — our classes at DEBUG, with the MDC — is searched for
 * every activation code of the database and every password used.
 */
class LogSecretsIT {
    private static final String WRONG_PASSWORD = "Wr0ng-Secret-Passw0rd!";

    @TempDir
    Path dir;

    @Test
    void noCodeNorPasswordIsEverLogged() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %mdc - %msg%n%ex{full}");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(captured);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger ours = context.getLogger("fr.publipostage");
        Level before = ours.getLevel();
        root.addAppender(appender);
        ours.setLevel(Level.DEBUG);
        List<String> passwords = new ArrayList<>(List.of(WRONG_PASSWORD, WebFixture.PASSWORD));
        try (WebFixture web = new WebFixture()) {
            // Logins: wrong password, a password typed in the login field, the right one.
            WebFixture.Client c = web.client();
            assertThat(c.login(Who.LOCAL_OWN.login, WRONG_PASSWORD).statusCode()).isEqualTo(401);
            assertThat(c.login(WRONG_PASSWORD, WRONG_PASSWORD).statusCode()).isEqualTo(401);
            WebFixture.Client admin = web.as(Who.LOCAL_OWN);

            // An import of new accounts with their codes (and a refused file naming a bad line).
            Path csv = dir.resolve("import.csv");
            Files.writeString(csv, "uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;email;level;classes;relatives;functions;created_at;language\n"
                    + WebFixture.OWN + ";;Teacher;Secret;Anne;anne.secret;;IMPORTCODE4242;anne@example.org;;;;;2026-09-01;\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
            assertThat(new ImportCommand(print, print).run(web.app, "fr", new Args(List.of(csv.toString()), Set.of()))).isZero();
            Path bad = dir.resolve("bad.csv");
            Files.writeString(bad, "uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;email;level;classes;relatives;functions;created_at;language\n"
                    + WebFixture.OWN + ";;Wizard;Bad;Bob;bob.bad;;BADLINECODE77;;;;;;2026-09-01;\n");
            new ImportCommand(print, print).run(web.app, "fr", new Args(List.of(bad.toString()), Set.of()));

            // A campaign (sandbox), a print, the CSV, a card.
            String base = "/api/structures/" + WebFixture.OWN;
            web.app.mailWorker().start();
            assertThat(admin.post(base + "/campaigns", Map.of("profile", "Teacher"), "X-CSRF-Token", admin.csrf).statusCode()).isEqualTo(201);
            Map<String, String> form = new LinkedHashMap<>();
            form.put("class", "2nde 1");
            assertThat(admin.post(base + "/letters", form, "X-CSRF-Token", admin.csrf).statusCode()).isEqualTo(200);
            assertThat(admin.get(base + "/export.csv?profile=Teacher").statusCode()).isEqualTo(200);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!admin.get(base + "/campaigns").body().contains("\"finished\"") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            web.app.mailWorker().close();

            List<String> codes = new ArrayList<>();
            try (Connection conn = web.db.database().dataSource().getConnection(); Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("select activation_code from account where activation_code is not null")) {
                while (rs.next()) codes.add(rs.getString(1));
            }
            assertThat(codes).contains("IMPORTCODE4242").hasSizeGreaterThan(500);
            appender.stop();
            String logs = captured.toString(StandardCharsets.UTF_8);
            // The capture saw the run: request lines with their admin, the campaign, the logins.
            assertThat(logs).contains("admin=" + Who.LOCAL_OWN.login).contains("POST /login")
                    .contains("login refused").contains("campaign");
            for (String code : codes) assertThat(logs).as("activation code in the logs").doesNotContain(code);
            assertThat(logs).doesNotContain("BADLINECODE77");
            for (String p : passwords) assertThat(logs).as("a password in the logs").doesNotContain(p);
        } finally {
            root.detachAppender(appender);
            ours.setLevel(before);
        }
    }
}

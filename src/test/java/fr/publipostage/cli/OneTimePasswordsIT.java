package fr.publipostage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.testing.AppProcess;
import fr.publipostage.web.WebFixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 §5: two instances start on one database (here two {@code serve} on one data directory).
 * Only the instance that issues the demo admins' one-time passwords prints them; the second keeps
 * them (what the first printed still logs in) and says how to get a new one; {@code admin
 * reset-password} gives one that later starts keep.
 */
class OneTimePasswordsIT {
    @TempDir
    Path work;

    private Map<String, String> settings(Path data) {
        return Map.of("PUBLIPOSTAGE_DATA_DIR", data.toString(), "PUBLIPOSTAGE_LANGUAGE", "en");
    }

    private static String printedPassword(String log, String login) {
        Matcher m = Pattern.compile("- " + Pattern.quote(login) + " / (\\S+)  \\(").matcher(log);
        if (!m.find()) throw new AssertionError("no one-time password printed for " + login + ":\n" + log);
        return m.group(1);
    }

    private static int login(int port, String login, String password) {
        return WebFixture.clientAt(port).login(login, password).statusCode();
    }

    @Test
    void onlyTheIssuingInstancePrintsThemAndASecondStartKeepsThem() throws Exception {
        Path data = work.resolve("data");
        Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String superPassword;
        String localPassword;
        String resetPassword;
        try (AppProcess first = AppProcess.start(work, "first", settings(data), "serve", "--port", "0")) {
            int firstPort = first.awaitServing(Duration.ofSeconds(180));
            superPassword = printedPassword(first.log(), "superadmin");
            localPassword = printedPassword(first.log(), "admin.0330001a");

            try (AppProcess second = AppProcess.start(work, "second", settings(data), "serve", "--port", "0")) {
                int secondPort = second.awaitServing(Duration.ofSeconds(180));
                assertThat(second.log()).contains("One-time passwords kept: another instance running on this database issued and printed them")
                        .contains("- superadmin (issued ").contains("admin reset-password --login LOGIN")
                        .doesNotContain(superPassword).doesNotContain(localPassword).doesNotContain("- superadmin / ");
                // What the first instance printed still logs in, on either instance (then: change it).
                assertThat(login(secondPort, "superadmin", superPassword)).isEqualTo(303);
                assertThat(login(firstPort, "admin.0330001a", localPassword)).isEqualTo(303);
            }

            try (AppProcess reset = AppProcess.start(work, "reset", settings(data), "admin", "reset-password", "--login", "admin.0330001a")) {
                assertThat(reset.awaitExit(Duration.ofSeconds(120))).as(reset.log()).isZero();
                Matcher m = Pattern.compile("New one-time password of admin\\.0330001a: (\\S+) ").matcher(reset.log());
                assertThat(m.find()).as(reset.log()).isTrue();
                resetPassword = m.group(1);
            }
            assertThat(login(firstPort, "admin.0330001a", localPassword)).as("the old one is gone").isEqualTo(401);
            assertThat(login(firstPort, "admin.0330001a", resetPassword)).isEqualTo(303);
        }

        // Alone again: this start issues (renews and prints) the demo passwords, and keeps the operator's.
        try (AppProcess third = AppProcess.start(work, "third", settings(data), "serve", "--port", "0")) {
            int port = third.awaitServing(Duration.ofSeconds(180));
            String renewed = printedPassword(third.log(), "superadmin");
            assertThat(renewed).isNotEqualTo(superPassword);
            assertThat(third.log()).contains("- admin.0330001a: given by “admin reset-password” on").doesNotContain(resetPassword);
            assertThat(login(port, "admin.0330001a", resetPassword)).isEqualTo(303);
            assertThat(login(port, "superadmin", renewed)).isEqualTo(303);
            assertThat(login(port, "superadmin", superPassword)).isEqualTo(401);
        }
    }
}

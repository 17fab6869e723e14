package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.App;
import fr.publipostage.cli.Args;
import fr.publipostage.cli.CliError;
import fr.publipostage.cli.MailCommand;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MailCommandIT {
    @Test
    void startsACampaignFollowsItToTheEndAndCountsThePeopleWithoutAddress() throws Exception {
        GreenMail greenMail = MailFixture.greenMail();
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app(MailFixture.settings(greenMail.getSmtp().getPort()));
            MailFixture.school(app, db, 4);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            int code = new MailCommand(out).run(app, "en",
                    new Args(List.of("--structure", MailFixture.UAI, "--profile", "Teacher"), Set.of()));
            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed).isZero();
            assertThat(printed).contains("Accounts selected: 6; will get an e-mail: 4; without an e-mail address: 1 (hand out on paper); blocked: 1")
                    .contains("Sansadresse Noé (t.noaddress)")
                    .contains("Campaign #1 started")
                    .contains("finished: 4 sent, 0 failed, 2 without an address.");
            assertThat(greenMail.getReceivedMessages()).hasSize(4);
            app.mailWorker().close();

            assertThatThrownBy(() -> new MailCommand(out).run(app, "en",
                    new Args(List.of("--structure", MailFixture.UAI, "--profile", "Wizard"), Set.of())))
                    .isInstanceOf(CliError.class).hasMessageContaining("--profile");
            assertThatThrownBy(() -> new MailCommand(out).run(app, "en",
                    new Args(List.of("--structure", MailFixture.UAI, "--layout", "2"), Set.of())))
                    .isInstanceOf(CliError.class).hasMessageContaining("--layout");
            assertThatThrownBy(() -> new MailCommand(out).run(app, "en", new Args(List.of("--campaign", "42"), Set.of())))
                    .isInstanceOf(CliError.class).hasMessageContaining("#42");
        } finally {
            greenMail.stop();
        }
    }

    /** Leak 1 of issue 10: the command line mails as a local admin of the school (like {@code letters}). */
    @Test
    void theCommandLineNeverMailsTheHiddenSuperAdminAccounts() throws Exception {
        GreenMail greenMail = MailFixture.greenMail();
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app(MailFixture.settings(greenMail.getSmtp().getPort()));
            MailFixture.school(app, db, 3);
            String row = MailFixture.UAI + ";" + MailFixture.SCHOOL + ";Teacher;Plateforme;Admin;super.admin;;SECRET77;"
                    + "plateforme@example.org;;;;SUPER_ADMIN;2026-09-01;\n";
            app.importer().importCsv(new java.io.ByteArrayInputStream((MailFixture.HEADER + "\n" + row)
                    .getBytes(StandardCharsets.UTF_8)), null);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            int code = new MailCommand(out).run(app, "en",
                    new Args(List.of("--structure", MailFixture.UAI, "--profile", "Teacher"), Set.of()));
            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed).isZero();
            assertThat(printed).contains("Accounts selected: 5;").doesNotContain("super.admin");
            assertThat(MailFixture.byRecipient(greenMail)).doesNotContainKey("plateforme@example.org").hasSize(3);
            app.mailWorker().close();
        } finally {
            greenMail.stop();
        }
    }
}

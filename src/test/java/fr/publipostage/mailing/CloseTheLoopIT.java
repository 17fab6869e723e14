package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.cli.Args;
import fr.publipostage.cli.LettersCommand;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's "done when", end to end on the demo school: a campaign to its teachers, two addresses that
 * bounce (the reports delivered by GreenMail into the bounce mailbox, read by the background worker)
 * shown bounced within a poll interval, then the "unreached" letters (no address + bounced) printed by
 * {@code letters --campaign ID --outcome unreached} and read back with PDFBox: exactly those people.
 */
class CloseTheLoopIT {
    private static final Duration POLL = Duration.ofSeconds(2);

    @Test
    void twoBouncesComeBackAndTheUnreachedLettersAreExactlyThePeopleNotReached(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        // The app closed first: its background workers stop before the pool and the mailbox go.
        try (BounceBox box = new BounceBox(); TestDatabase.Fresh db = TestDatabase.fresh();
             App app = db.app(box.settings(null, POLL.toSeconds() + "s"))) {
            app.demo().loadIfEmpty();
            long lycee = app.structureByUai(DemoDirectory.LYCEE_UAI).id();
            Selection teachers = app.selections().parse(lycee, Map.of("profile", List.of("Teacher")));
            Campaign c = app.campaigns().start(teachers, Scope.LOCAL_ADMIN, "admin.test");
            app.startMailWorker();
            MailFixture.await(Duration.ofSeconds(60), "campaign sent", () -> app.campaigns().progress(c.id()).campaign().isOver());

            List<Recipient> rows = Ledger.rows(app, c.id());
            List<Recipient> sent = rows.stream().filter(r -> r.status() == Recipient.Status.sent).toList();
            Set<String> noAddress = new HashSet<>();
            for (Recipient r : rows) if (r.status() == Recipient.Status.skipped && Reason.NO_EMAIL.equals(r.reason())) noAddress.add(r.login());
            assertThat(sent.size()).isGreaterThan(10);
            assertThat(noAddress).isNotEmpty();
            Recipient first = sent.get(3);
            Recipient second = sent.get(sent.size() - 2);

            long deliveredAt = System.nanoTime();
            box.deliver("postfix-permanent.eml", first.messageId(), first.address(), BounceBox.ADDRESS);
            box.deliver("m365-permanent.eml", second.messageId(), second.address(), BounceBox.ADDRESS);
            // Around them, what a real bounce mailbox also holds: a delay (Postfix), a report of a mail that is
            // not ours, and a broken report. Recorded, kept in the mailbox, counted; the delay leaves its row sent.
            Recipient late = sent.get(5);
            box.deliver("postfix-delayed.eml", late.messageId(), late.address(), BounceBox.ADDRESS);
            box.deliver("unmatched-postfix.eml", "<not-ours@relay.example.net>", "someone@example.net", BounceBox.ADDRESS);
            box.deliver("malformed-report.eml", "<unused@example.org>", first.address(), BounceBox.ADDRESS);
            MailFixture.await(POLL.multipliedBy(10), "two rows bounced", () -> app.campaigns().progress(c.id()).counts().bounced() == 2);
            Duration shownAfter = Duration.ofNanos(System.nanoTime() - deliveredAt);
            // The worker reads every poll interval: the bounces show at the next pass (plus the pass itself).
            assertThat(shownAfter).as("bounces shown after " + shownAfter.toMillis() + " ms").isLessThan(POLL.plusSeconds(3));
            CampaignProgress.Counts n = app.campaigns().progress(c.id()).counts();
            assertThat(n.sent()).isEqualTo(sent.size() - 2);
            assertThat(n.unreached()).isEqualTo(noAddress.size() + 2);
            // The worker may have read the five messages over two passes: the last ones within the next.
            MailFixture.await(POLL.multipliedBy(10), "five reports recorded", () -> {
                try {
                    return outcomes(db).values().stream().mapToInt(Integer::intValue).sum() == 5;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(app.campaigns().progress(c.id()).counts().delayed()).isEqualTo(1);
            assertThat(outcomes(db)).containsEntry("bounced", 2).containsEntry("delayed", 1).containsEntry("unmatched", 1)
                    .containsEntry("malformed", 1);
            assertThat(box.folder(BounceBox.PROCESSED)).as("matched reports moved").hasSize(3);
            assertThat(box.folder("INBOX")).as("the rest kept, unread").hasSize(2).allMatch(m -> m.endsWith(" unread"));

            // The check step's selection: exactly the unreached.
            Selection unreached = app.selections().parse(lycee,
                    Map.of("campaign", List.of(String.valueOf(c.id())), "outcome", List.of("unreached")));
            Set<String> expected = new HashSet<>(noAddress);
            expected.add(first.login());
            expected.add(second.login());
            Set<String> selected = new HashSet<>();
            app.selections().forEach(unreached, Scope.LOCAL_ADMIN, a -> selected.add(a.displayLogin()));
            assertThat(selected).isEqualTo(expected);

            // The command line's letters, read back: one page per unreached account, nobody else.
            Path pdf = dir.resolve("unreached.pdf");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = new LettersCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(app, "fr",
                    new Args(List.of("--campaign", String.valueOf(c.id()), "--outcome", "unreached", "--out", pdf.toString()),
                            Set.of("cover")));
            assertThat(code).isZero();
            List<String> pages = pageTexts(Files.readAllBytes(pdf));
            assertThat(pages).hasSize(expected.size());
            Set<String> printed = new HashSet<>();
            Set<String> everyone = new HashSet<>();
            for (Recipient r : rows) everyone.add(r.login());
            for (String page : pages) {
                List<String> on = new ArrayList<>();
                for (String login : everyone) if (containsWord(page, login)) on.add(login);
                assertThat(on).as("logins on one page").hasSize(1);
                printed.add(on.get(0));
            }
            assertThat(printed).isEqualTo(expected);

            // Any layout, with cover sheets by class.
            Path cards = dir.resolve("cards.pdf");
            assertThat(new LettersCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(app, "fr",
                    new Args(List.of("--campaign", String.valueOf(c.id()), "--outcome", "unreached", "--layout", "8",
                            "--sort", "class", "--cover", "--out", cards.toString()), Set.of("cover")))).isZero();
            String all = String.join("\n", pageTexts(Files.readAllBytes(cards)));
            for (String login : expected) assertThat(containsWord(all, login)).as(login + " on a card").isTrue();

            // The bounced addresses are flagged on the accounts.
            Set<String> flagged = new HashSet<>();
            app.selections().forEach(Selection.everyone(lycee), Scope.LOCAL_ADMIN, a -> {
                if (a.emailBounce() != null) flagged.add(a.displayLogin());
            });
            assertThat(flagged).containsExactlyInAnyOrder(first.login(), second.login());
        }
    }

    private static Map<String, Integer> outcomes(TestDatabase.Fresh db) throws Exception {
        Map<String, Integer> out = new java.util.HashMap<>();
        try (java.sql.Connection c = db.database().dataSource().getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select outcome, count(*) from bounce_message group by outcome")) {
            while (rs.next()) out.put(rs.getString(1), rs.getInt(2));
        }
        return out;
    }

    private static boolean containsWord(String text, String login) {
        return java.util.regex.Pattern.compile("(?<![\\w.-])" + java.util.regex.Pattern.quote(login) + "(?![\\w.-])").matcher(text).find();
    }

    private static List<String> pageTexts(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            List<String> out = new ArrayList<>();
            for (int p = 1; p <= doc.getNumberOfPages(); p++) {
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                out.add(stripper.getText(doc));
            }
            return out;
        }
    }
}

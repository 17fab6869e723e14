package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import fr.publipostage.App;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/** The checks every fault test ends with. */
final class Ledger {
    private Ledger() {
    }

    static List<Recipient> rows(App app, long campaignId) {
        return app.campaigns().recipients(campaignId, RecipientFilter.all()).rows();
    }

    /**
     * Every sent row's address received its message, failed and skipped rows received nothing, failed
     * rows say why, and no address received more than one message — but for {@code allowedDuplicates}
     * repeats (same Message-ID). Returns the number of repeats seen.
     */
    static int assertEachReachableRecipientGotExactlyOne(App app, long campaignId, GreenMail greenMail, int allowedDuplicates) {
        Map<String, List<MimeMessage>> received = MailFixture.byRecipient(greenMail);
        int duplicates = 0;
        int sent = 0;
        for (Recipient r : rows(app, campaignId)) {
            List<MimeMessage> got = r.address() == null ? List.of() : received.getOrDefault(r.address().toLowerCase(), List.of());
            switch (r.status()) {
                case sent -> {
                    sent++;
                    assertThat(got).as("messages received by " + r.address()).isNotEmpty();
                    Set<String> ids = new HashSet<>();
                    for (MimeMessage m : got) {
                        try {
                            ids.add(m.getMessageID());
                        } catch (MessagingException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    assertThat(ids).as("a repeat carries the same Message-ID").containsExactly(r.messageId());
                    duplicates += got.size() - 1;
                    assertThat(r.sentAt()).isNotNull();
                    assertThat(r.smtpReply()).startsWith("250");
                }
                case failed -> {
                    assertThat(got).as(r.address() + " failed: nothing received").isEmpty();
                    assertThat(r.reason()).as("failed row carries its reason").isNotBlank();
                }
                case skipped -> {
                    assertThat(got).isEmpty();
                    assertThat(r.reason()).isIn(Reason.NO_EMAIL, Reason.BLOCKED);
                }
                case cancelled -> assertThat(got).as(r.address() + " cancelled: nothing received").isEmpty();
                default -> throw new AssertionError("row left " + r.status() + ": " + r);
            }
        }
        assertThat(duplicates).as("repeated messages").isLessThanOrEqualTo(allowedDuplicates);
        assertThat(greenMail.getReceivedMessages()).hasSize(sent + duplicates);
        return duplicates;
    }
}

package fr.publipostage.bounces;

import java.util.List;

/**
 * What a message of the bounce mailbox says, as {@link BounceParser} read it: whether a delivery
 * failed for good, was delayed, or neither (a success report, an auto-reply, anything else), in which
 * form it came ({@code dsn} for RFC 3464 reports, else {@code postfix}, {@code exim}, {@code qmail},
 * {@code exchange}, {@code generic}), the recipient, the status code and the remote server's words,
 * and where to find the message it is about: the original Message-IDs it quotes (best first) and the
 * addresses it was delivered to (a VERP envelope sender is one of them).
 */
public record BounceReport(Kind kind, String format, String finalRecipient, String status, String diagnostic,
                           List<String> originalMessageIds, List<String> deliveredTo, String subject) {

    public enum Kind {
        /** Delivery failed and was abandoned (Action: failed, or a 5.x.x status). */
        FAILED,
        /** Delivery is late and still being tried (Action: delayed, or a 4.x.x warning). */
        DELAYED,
        /** Not a failure: delivered/relayed reports, auto-replies, anything not recognised as a bounce. */
        OTHER
    }

    public BounceReport {
        originalMessageIds = List.copyOf(originalMessageIds);
        deliveredTo = List.copyOf(deliveredTo);
    }

    /** A permanent failure of the address itself (status class 5): the account's address is flagged. */
    public boolean permanentAddressFailure() {
        return kind == Kind.FAILED && status != null && status.startsWith("5");
    }
}

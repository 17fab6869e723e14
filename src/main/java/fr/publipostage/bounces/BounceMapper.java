package fr.publipostage.bounces;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** The bounce mailbox's lease and reading position, the messages it held, and their effect on the ledger. SQL in BounceMapper.xml. */
public interface BounceMapper {

    void ensureMailbox(@Param("mailbox") String mailbox);

    /** Takes or renews the mailbox's lease for this instance; null when another instance holds a live one. */
    MailboxState claim(@Param("mailbox") String mailbox, @Param("instance") String instance, @Param("leaseMs") long leaseMs);

    /** Locks the mailbox row if this instance still holds its lease (the fence of every write); null otherwise. */
    MailboxState lockIfHeld(@Param("mailbox") String mailbox, @Param("instance") String instance);

    int release(@Param("mailbox") String mailbox, @Param("instance") String instance, @Param("error") String error);

    int advance(@Param("mailbox") String mailbox, @Param("uidValidity") long uidValidity, @Param("lastUid") long lastUid);

    /** Records a message once; null when its key was already recorded (a copy of one seen before). */
    Long recordMessage(@Param("m") NewMessage message);

    String outcomeOf(@Param("mailbox") String mailbox, @Param("key") String messageKey);

    List<Long> uidsToMove(@Param("mailbox") String mailbox, @Param("uidValidity") long uidValidity);

    int markMoved(@Param("mailbox") String mailbox, @Param("uidValidity") long uidValidity, @Param("uids") List<Long> uids);

    /** The ledger row named by a campaign token and a row id (both must agree), or null. */
    LedgerRow findRow(@Param("token") String campaignToken, @Param("id") long rowId);

    int markBounced(@Param("id") long rowId, @Param("status") String status, @Param("diagnostic") String diagnostic);

    int markDelayed(@Param("id") long rowId, @Param("status") String status, @Param("diagnostic") String diagnostic);

    /** Flags the account while its address is still the one that bounced. */
    int flagAccount(@Param("accountId") long accountId, @Param("address") String address, @Param("bounce") String bounce);

    /** Messages by outcome, all mailboxes together. */
    List<OutcomeCount> outcomeCounts();

    record MailboxState(String mailbox, Long uidValidity, long lastUid) {
    }

    record LedgerRow(long id, long campaignId, Long accountId, String address, String status) {
    }

    record OutcomeCount(String outcome, long count) {
    }

    record NewMessage(String mailbox, String messageKey, String outcome, String format, Long recipientId, Long campaignId,
                      String finalRecipient, String status, String diagnostic, String subject, long uidValidity, long uid) {
    }
}

package fr.publipostage.mailing;

import fr.publipostage.selection.Scope;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.cursor.Cursor;

/** The campaign ledger. SQL in CampaignMapper.xml; durations are passed in milliseconds. */
public interface CampaignMapper {

    long insertCampaign(@Param("structureId") long structureId, @Param("createdBy") String createdBy,
                        @Param("selection") String selectionJson, @Param("scope") String scopeJson,
                        @Param("templateVersions") String templateVersionsJson, @Param("rate") int ratePerMinute,
                        @Param("from") String fromAddress, @Param("sandbox") boolean sandbox);

    void insertRecipient(@Param("r") NewRecipient recipient);

    Campaign findCampaign(@Param("id") long id);

    List<Campaign> listCampaigns(@Param("structureId") long structureId, @Param("limit") int limit);

    /** Locks the campaign row for the rest of the transaction; null when there is no such campaign. */
    Campaign lockCampaign(@Param("id") long id);

    List<Long> runningCampaigns();

    /** Rows of the campaign being sent now or attempted in the last minute: its rate window. */
    int attemptsInLastMinute(@Param("campaignId") long campaignId);

    /** pending rows whose time has come → sending, held by {@code instance} until the lease ends. */
    List<ClaimedRow> claim(@Param("campaignId") long campaignId, @Param("instance") String instance,
                           @Param("limit") int limit, @Param("leaseMs") long leaseMs);

    /**
     * Renews the lease of the rows of the campaign this instance holds, if the campaign is still
     * running; returns the ids still held (none when paused or cancelled).
     */
    List<Long> heartbeat(@Param("campaignId") long campaignId, @Param("instance") String instance,
                         @Param("leaseMs") long leaseMs);

    /** Claimed rows not attempted: back to pending (cancelled if the campaign was cancelled). */
    int releaseAll(@Param("campaignId") long campaignId, @Param("instance") String instance);

    int markSent(@Param("id") long id, @Param("instance") String instance, @Param("address") String address,
                 @Param("reply") String smtpReply, @Param("messageId") String messageId);

    int retryLater(@Param("id") long id, @Param("instance") String instance, @Param("reason") String reason,
                   @Param("delayMs") long delayMs);

    int markFailed(@Param("id") long id, @Param("instance") String instance, @Param("reason") String reason);

    /** Rows left in 'sending' by an instance whose lease ran out: pending again (failed if out of attempts). */
    int recoverExpired(@Param("maxAttempts") int maxAttempts, @Param("reason") String reason);

    int countUnfinished(@Param("campaignId") long campaignId);

    int setStatus(@Param("id") long id, @Param("from") List<String> from, @Param("to") String to,
                  @Param("by") String by);

    int markFinished(@Param("id") long id);

    /** Pauses a running campaign because this instance's SMTP settings are wrong (reason: SmtpProblem code: detail). */
    int pauseForConfiguration(@Param("id") long id, @Param("instance") String instance, @Param("reason") String reason,
                              @Param("server") String server);

    int cancelPending(@Param("campaignId") long campaignId, @Param("reason") String reason);

    int resendFailed(@Param("campaignId") long campaignId);

    /** Counts of the rows the viewer's scope shows (see {@code recipientScope} in the XML). */
    CampaignProgress.Counts progress(@Param("campaignId") long campaignId, @Param("scope") Scope scope);

    List<Recipient> recipients(@Param("campaignId") long campaignId, @Param("f") RecipientFilter filter,
                               @Param("scope") Scope scope);

    int countRecipients(@Param("campaignId") long campaignId, @Param("f") RecipientFilter filter,
                        @Param("scope") Scope scope);

    Cursor<Recipient> allRecipients(@Param("campaignId") long campaignId, @Param("scope") Scope scope);

    /** Ids of the rows of the structure's campaigns that this scope does not show. */
    List<Long> hiddenRecipients(@Param("structureId") long structureId, @Param("scope") Scope scope);

    /** The activation code in each row's snapshot (null for reminders). */
    List<RecipientCode> activationCodes(@Param("ids") List<Long> recipientIds);

    record RecipientCode(long id, String code) {
    }

    /** A new ledger row, as written when the campaign starts. */
    record NewRecipient(long campaignId, int position, long accountId, String login, String lastName,
                        String firstName, String profile, String classes, String kind, String language,
                        String snapshot, String address, String status, String reason) {
    }

    /** What a worker needs to send one row. */
    record ClaimedRow(long id, long campaignId, String token, long structureId, String kind, String language,
                      String snapshot, String address, int attempts, String fromAddress) {
    }
}

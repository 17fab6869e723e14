package fr.publipostage.mailing;

import fr.publipostage.jobs.Lease;
import fr.publipostage.selection.Scope;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.cursor.Cursor;

/**
 * The campaign ledger. SQL in CampaignMapper.xml; durations are passed in milliseconds. Every write of a
 * row a worker holds carries its lease's fence.
 */
public interface CampaignMapper {

    long insertCampaign(@Param("structureId") long structureId, @Param("createdBy") String createdBy,
                        @Param("selection") String selectionJson, @Param("scope") String scopeJson,
                        @Param("templateVersions") String templateVersionsJson, @Param("rate") int ratePerMinute,
                        @Param("from") String fromAddress, @Param("sandbox") boolean sandbox,
                        @Param("route") String route, @Param("routeLabel") String routeLabel);

    void insertRecipient(@Param("r") NewRecipient recipient);

    Campaign findCampaign(@Param("id") long id);

    List<Campaign> listCampaigns(@Param("structureId") long structureId, @Param("limit") int limit);

    /** Locks the campaign row for the rest of the transaction; null when there is no such campaign. */
    Campaign lockCampaign(@Param("id") long id);

    /** Running campaigns an instance with this mail route may send. */
    List<Long> runningCampaigns(@Param("route") String route);

    boolean isRunning(@Param("id") long id);

    /** Whether a live instance that is not stopping sends to this route (null: any real server). */
    boolean routeServed(@Param("route") String route);

    /** Rows of the campaign being sent now or attempted in the last minute: its rate window. */
    int attemptsInLastMinute(@Param("campaignId") long campaignId);

    /** pending rows whose time has come → sending, held under this lease. */
    List<ClaimedRow> claim(@Param("campaignId") long campaignId, @Param("fence") Lease.Fence fence,
                           @Param("limit") int limit);

    /**
     * Rows still 'sending' under these leases go back: pending (cancelled if the campaign was), with an
     * attempt counted when {@code expired} (failed, with {@code reason}, when out of attempts).
     */
    int putBack(@Param("epochs") List<Long> epochs, @Param("expired") boolean expired,
                @Param("maxAttempts") int maxAttempts, @Param("reason") String reason);

    int markSent(@Param("id") long id, @Param("fence") Lease.Fence fence, @Param("address") String address,
                 @Param("reply") String smtpReply, @Param("messageId") String messageId);

    int retryLater(@Param("id") long id, @Param("fence") Lease.Fence fence, @Param("reason") String reason,
                   @Param("delayMs") long delayMs);

    int markFailed(@Param("id") long id, @Param("fence") Lease.Fence fence, @Param("reason") String reason);

    int countUnfinished(@Param("campaignId") long campaignId);

    int setStatus(@Param("id") long id, @Param("from") List<String> from, @Param("to") String to,
                  @Param("by") String by);

    int markFinished(@Param("id") long id);

    /** The campaign is sent by instances of this route from now on. */
    int reroute(@Param("id") long id, @Param("route") String route, @Param("label") String label);

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

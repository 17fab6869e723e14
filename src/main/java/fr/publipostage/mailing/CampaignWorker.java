package fr.publipostage.mailing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.db.DatabaseErrors;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.Structure;
import fr.publipostage.jobs.Lease;
import fr.publipostage.jobs.Leases;
import fr.publipostage.jobs.PollLoop;
import fr.publipostage.templates.TemplateError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.apache.commons.mail.EmailException;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends campaigns: any number of instances may run one on the same database. Each pass takes back the
 * rows of expired leases (their instance died or froze), then, for each running campaign of this
 * instance's mail route, claims a small batch of pending rows under one {@link Lease} of the engine in
 * {@code jobs/} ({@code FOR UPDATE SKIP LOCKED}: a row is held by one instance only) and sends them one
 * by one over one reused SMTP connection, holding no database connection while it sends.
 *
 * <p>The engine's heartbeat renews the lease on its own timer and checks the campaign still runs (a
 * pause or a cancel stops the batch within a second). The lease outlasts one send and two missed
 * heartbeats ({@link MailSettings#effectiveLease()}), and a send starts only while the lease still
 * covers {@link MailSettings#sendDeadline()}: it cannot run out in the middle of one. After each
 * message, one fenced statement records the outcome: {@code sent} (address, server reply, time), or
 * {@code failed} (5xx, or no attempts left), or back to {@code pending} after an exponential backoff
 * (4xx, timeout, server unreachable). Rows not attempted go back at once when the batch ends.
 *
 * <p>The only window for a duplicate is between the server accepting a message and its {@code sent}
 * being written: an instance killed (or frozen past its lease) there leaves the row to be sent again
 * by another. The repeat has the same Message-ID.
 */
public final class CampaignWorker {
    /** The kind of the campaign batches' leases. */
    public static final String KIND = "mail";
    private static final Logger LOG = LoggerFactory.getLogger(CampaignWorker.class);
    private static final Duration IDLE_CLOSE = Duration.ofSeconds(10);
    /** Wait between two attempts at a "sent" mark while the database is unavailable. */
    private static final Duration MARK_RETRY = Duration.ofMillis(500);

    private final SqlSessionFactory sessions;
    private final Leases leases;
    private final MailSettings settings;
    private final MailComposer composer;
    private final MessageFactory messages;
    private final SmtpConnection smtp;
    private final ObjectMapper json;
    private final String route;
    private final RateLimiter rate;
    private final Leases.PutBack putBack;
    private final PollLoop loop;
    private int serverDownStreak;
    private long sentCount;

    public CampaignWorker(SqlSessionFactory sessions, Leases leases, MailSettings settings, MailComposer composer,
                          MessageFactory messages, SmtpConnection smtp, ObjectMapper json) {
        this.sessions = sessions;
        this.leases = leases;
        this.settings = settings;
        this.composer = composer;
        this.messages = messages;
        this.smtp = smtp;
        this.json = json;
        this.route = settings.route();
        this.rate = new RateLimiter(settings.ratePerMinute());
        String expired = Reason.of(Reason.LEASE_EXPIRED, "after " + settings.maxAttempts() + " attempts");
        this.putBack = (tx, epochs, wasExpired) -> tx.getMapper(CampaignMapper.class)
                .putBack(epochs, wasExpired, settings.maxAttempts(), expired);
        this.loop = new PollLoop("mail-worker", settings.poll(), () -> {
            boolean worked = runOnce();
            if (!worked) smtp.closeIfIdle(IDLE_CLOSE);
            return worked;
        }, smtp::close);
    }

    /** This process among the instances sharing the database (recorded on the rows it sends). */
    public String instance() {
        return leases.owner();
    }

    /** The mail route this worker sends campaigns of. */
    public String route() {
        return route;
    }

    public SmtpConnection smtp() {
        return smtp;
    }

    /** Messages this worker has seen accepted by the server. */
    public synchronized long sentCount() {
        return sentCount;
    }

    /** Starts the background thread (once), and tells the other instances which route this one sends. */
    public synchronized void start() {
        if (loop.isRunning() || loop.stopping()) return;
        leases.register(route);
        loop.start();
        LOG.info("mail worker {} started, sending to {}", instance(), smtp.endpoint().describe());
    }

    public boolean isRunning() {
        return loop.isRunning();
    }

    /**
     * One pass over the running campaigns of this route (the background thread calls it in a loop;
     * tests and the benchmark may call it directly). Returns true when at least one row was handled.
     */
    public boolean runOnce() throws InterruptedException {
        if (loop.stopping() || !leases.accepting()) return false;
        leases.takeBackExpired(KIND, putBack);
        List<Long> running;
        try (SqlSession s = sessions.openSession(true)) {
            running = s.getMapper(CampaignMapper.class).runningCampaigns(route);
        }
        boolean worked = false;
        for (long campaignId : running) {
            if (loop.stopping() || !leases.accepting()) break;
            BatchResult result = processBatch(campaignId);
            worked |= result.handled > 0;
            finishIfDone(campaignId);
            if (result.serverDown) {
                serverDownStreak++;
                Duration wait = settings.backoff(serverDownStreak);
                LOG.warn("SMTP server {} unreachable ({} time(s) in a row); next try in {} ms",
                        smtp.endpoint().describe(), serverDownStreak, wait.toMillis());
                loop.pause(wait.toNanos());
                return true;
            }
        }
        return worked;
    }

    private record BatchResult(int handled, boolean serverDown) {
    }

    /** A batch under its lease; the heartbeat tells whether the campaign still runs. */
    private static final class Batch {
        private volatile boolean campaignRunning = true;

        void beat(SqlSession session, Lease lease) {
            campaignRunning = session.getMapper(CampaignMapper.class).isRunning(lease.subject());
        }
    }

    private BatchResult processBatch(long campaignId) throws InterruptedException {
        Batch batch = new Batch();
        var claimed = leases.claim(KIND, settings.effectiveLease(), claim(campaignId), batch::beat, putBack);
        if (claimed.isEmpty()) return new BatchResult(0, false);
        Lease lease = claimed.get().lease();
        List<CampaignMapper.ClaimedRow> rows = claimed.get().work();
        int handled = 0;
        boolean handedBack = false;
        try {
            Structure structure;
            try (SqlSession s = sessions.openSession(true)) {
                structure = s.getMapper(DirectoryMapper.class).findStructureById(rows.get(0).structureId());
            }
            for (CampaignMapper.ClaimedRow row : rows) {
                if (loop.stopping() || !leases.accepting() || !batch.campaignRunning || !rate.acquire(loop::pause)) break;
                if (!lease.covers(settings.sendDeadline())) {
                    // The heartbeat could not renew the lease: a send now might outlive it.
                    LOG.warn("{}: too little of the lease left for a send; the rest of the batch goes back", lease);
                    break;
                }
                handled++;
                SendError error = sendOne(lease, row, structure);
                if (error == null) {
                    serverDownStreak = 0;
                    continue;
                }
                if (error.configuration() != null) {
                    // Not the recipient's fault nor temporary: pause at once and put the batch back (this
                    // row included) in one transaction, charging nobody an attempt.
                    String server = smtp.endpoint().describe();
                    leases.release(lease, tx -> tx.getMapper(CampaignMapper.class)
                            .pauseForConfiguration(campaignId, instance(), error.reason(), server));
                    handedBack = true;
                    LOG.warn("campaign {} paused until the SMTP settings are fixed: {}", campaignId, error.reason());
                    return new BatchResult(handled, false);
                }
                int attempts = row.attempts() + 1;
                int recorded;
                try (SqlSession s = sessions.openSession(true)) {
                    CampaignMapper m = s.getMapper(CampaignMapper.class);
                    if (error.permanent()) {
                        recorded = m.markFailed(row.id(), lease.fence(), error.reason());
                    } else if (attempts >= settings.maxAttempts()) {
                        recorded = m.markFailed(row.id(), lease.fence(), error.reason() + " (after " + attempts + " attempts)");
                    } else {
                        recorded = m.retryLater(row.id(), lease.fence(), error.reason(), settings.backoff(attempts).toMillis());
                    }
                }
                if (recorded == 0) leases.refused(lease, "outcome of recipient " + row.id());
                if (error.serverDown()) return new BatchResult(handled, true);
            }
        } finally {
            // Rows not attempted (stopping, paused, cancelled, server down) go back at once.
            if (!handedBack) leases.release(lease);
        }
        return new BatchResult(handled, false);
    }

    /**
     * The claim of a batch, in the engine's transaction: the campaign row is locked first ({@code FOR NO
     * KEY UPDATE}), which serialises claims of one campaign across instances so that its rate window
     * (attempts in the last minute + rows being sent) is counted exactly; the rows are taken {@code
     * SKIP LOCKED}, no more than the campaign's rate window and this instance's rate allow.
     */
    private Leases.Claim<List<CampaignMapper.ClaimedRow>> claim(long campaignId) {
        return new Leases.Claim<>() {
            private int limit;

            @Override
            public Long pick(SqlSession tx) {
                CampaignMapper m = tx.getMapper(CampaignMapper.class);
                Campaign c = m.lockCampaign(campaignId);
                if (c == null || c.status() != Campaign.Status.running) return null;
                int n = Math.min(settings.batchSize(), rate.slotsWithin(settings.effectiveLease().dividedBy(2)));
                if (c.ratePerMinute() > 0) n = Math.min(n, c.ratePerMinute() - m.attemptsInLastMinute(campaignId));
                if (n <= 0) return null;
                limit = n;
                return campaignId;
            }

            @Override
            public List<CampaignMapper.ClaimedRow> bind(SqlSession tx, Lease lease) {
                List<CampaignMapper.ClaimedRow> rows = tx.getMapper(CampaignMapper.class).claim(campaignId, lease.fence(), limit);
                return rows.isEmpty() ? null : new ArrayList<>(rows);
            }
        };
    }

    /** Composes and sends one row; null when the server accepted it (and the row is marked sent). */
    private SendError sendOne(Lease lease, CampaignMapper.ClaimedRow row, Structure structure) throws InterruptedException {
        MimeMessage message;
        String messageId = MessageFactory.messageId(row.token(), row.id(), row.fromAddress());
        Account account;
        try {
            account = json.readValue(row.snapshot(), Account.class);
        } catch (JsonProcessingException e) {
            return new SendError(true, false, false, -1, Reason.of(Reason.TEMPLATE, "unreadable snapshot: " + e.getOriginalMessage()));
        }
        try {
            ComposedMail mail = composerFor(row.campaignId(), structure).compose(MailKind.valueOf(row.kind()), structure, account);
            message = messages.build(smtp.session(), mail, new MessageFactory.Envelope(row.fromAddress(),
                    structure.name(), settings.replyTo(), row.address(), account.displayName(), messageId,
                    row.language(), new Date()));
        } catch (TemplateError e) {
            return new SendError(true, false, false, -1, Reason.of(Reason.TEMPLATE, e.getMessage()));
        } catch (EmailException e) {
            return new SendError(true, false, false, -1, Reason.of(Reason.INVALID_ADDRESS, e.getMessage()));
        }
        String reply;
        try {
            reply = smtp.send(message, new Address[] {new InternetAddress(row.address(), true)});
        } catch (MessagingException e) {
            return SendError.classify(e);
        } catch (RuntimeException e) {
            return new SendError(false, true, false, -1, Reason.of(Reason.TEMPORARY, e.toString()));
        }
        synchronized (this) {
            sentCount++;
        }
        // Written right after the server's "250": between the two lies the only window for a repeat.
        int recorded = markSent(lease, row, reply, messageId);
        if (recorded == 0) leases.refused(lease, "sent mark of recipient " + row.id() + " (it will be sent again)");
        return null;
    }

    /**
     * The "sent" mark of a mail the server accepted. The mail is gone: while the database is briefly
     * unavailable (its server restarting) the mark is tried again as long as the lease still holds —
     * the fence keeps it exact — and no shutdown began, instead of being lost, which would send the
     * mail a second time.
     */
    private int markSent(Lease lease, CampaignMapper.ClaimedRow row, String reply, String messageId) throws InterruptedException {
        while (true) {
            try (SqlSession s = sessions.openSession(true)) {
                return s.getMapper(CampaignMapper.class).markSent(row.id(), lease.fence(), row.address(), reply, messageId);
            } catch (RuntimeException e) {
                if (!DatabaseErrors.isConnectionFailure(e) || !lease.covers(MARK_RETRY) || loop.stopping()) throw e;
                LOG.warn("{}: recipient {} was sent but the database is unavailable; recording it again in {} ms ({})", lease,
                        row.id(), MARK_RETRY.toMillis(), DatabaseErrors.describe(e));
                // A shutdown ends the wait: with the database gone, nothing can be recorded anyway.
                if (!loop.pause(MARK_RETRY.toNanos())) throw e;
            }
        }
    }

    /** Composers pinned to each campaign's recorded template versions (a few recent campaigns). */
    private final Map<Long, MailComposer> pinnedComposers = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, MailComposer> eldest) {
            return size() > 16;
        }
    };

    /**
     * The composer of this campaign: its templates as recorded when it started, so an edit saved while
     * it runs changes neither what later recipients get nor the record (issue 10).
     */
    private synchronized MailComposer composerFor(long campaignId, Structure structure) {
        MailComposer pinned = pinnedComposers.get(campaignId);
        if (pinned != null) return pinned;
        Map<String, String> versions = Map.of();
        try (SqlSession s = sessions.openSession(true)) {
            Campaign c = s.getMapper(CampaignMapper.class).findCampaign(campaignId);
            if (c != null && c.templateVersions() != null) {
                versions = json.readValue(c.templateVersions(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
            }
        } catch (JsonProcessingException e) {
            LOG.warn("campaign {}: unreadable template versions, composing with the current ones", campaignId);
        }
        pinned = composer.pinned(structure, versions);
        pinnedComposers.put(campaignId, pinned);
        return pinned;
    }

    /** Marks the campaign finished when nothing is pending or sending, under the campaign's lock. */
    private void finishIfDone(long campaignId) {
        try (SqlSession s = sessions.openSession(false)) {
            CampaignMapper m = s.getMapper(CampaignMapper.class);
            Campaign c = m.lockCampaign(campaignId);
            if (c != null && c.status() == Campaign.Status.running && m.countUnfinished(campaignId) == 0) {
                m.markFinished(campaignId);
                s.commit(true);
                LOG.info("campaign {} finished", campaignId);
            } else {
                s.rollback();
            }
        }
    }

    /**
     * Stops taking rows; the message being sent is finished and recorded, rows claimed but not
     * attempted go back to pending at once. Waits up to {@code grace} for that.
     */
    public void shutdown(Duration grace) {
        loop.shutdown(grace);
    }

    /** Asks the worker to stop after the message in progress, without waiting ({@link #shutdown} waits). */
    public void stop() {
        loop.stop();
    }

    /** Stops, waiting as long as one send may take. */
    public void close() {
        shutdown(settings.sendDeadline().plusSeconds(1));
    }
}

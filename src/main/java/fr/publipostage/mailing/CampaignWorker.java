package fr.publipostage.mailing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.Structure;
import fr.publipostage.templates.TemplateError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * Sends campaigns: any number of instances may run one on the same database. A pass takes back rows
 * whose holder died (lease expired), then for each running campaign claims a small batch of pending
 * rows ({@code FOR UPDATE SKIP LOCKED}: a row is held by one instance only) and sends them one by one
 * over one reused SMTP connection. At most every second (a quarter of the lease when shorter) a
 * heartbeat renews the leases of the rows it holds and checks that the campaign still runs: a pause or
 * a cancel stops the batch within a second, and a row whose lease was lost is never sent. After each
 * message, one statement records the outcome: {@code sent} (address, server reply, time), or {@code
 * failed} (5xx, or no attempts left), or back to {@code pending} after an exponential backoff (4xx,
 * timeout, server unreachable).
 * The only window for a duplicate is between the server accepting a message and step 3 being written:
 * an instance killed there leaves the row in 'sending', and it is sent again after the lease. The
 * repeat has the same Message-ID.
 */
public final class CampaignWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignWorker.class);
    private static final Duration IDLE_CLOSE = Duration.ofSeconds(10);
    /** How often a worker renews its leases and checks that the campaign still runs (pause, cancel). */
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final SqlSessionFactory sessions;
    private final MailSettings settings;
    private final MailComposer composer;
    private final MessageFactory messages;
    private final SmtpConnection smtp;
    private final ObjectMapper json;
    private final String instance;
    private final RateLimiter rate;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean stopping;
    private Thread thread;
    private int serverDownStreak;
    private long sentCount;

    public CampaignWorker(SqlSessionFactory sessions, MailSettings settings, MailComposer composer,
                          MessageFactory messages, SmtpConnection smtp, ObjectMapper json, String instance) {
        this.sessions = sessions;
        this.settings = settings;
        this.composer = composer;
        this.messages = messages;
        this.smtp = smtp;
        this.json = json;
        this.instance = instance;
        this.rate = new RateLimiter(settings.ratePerMinute());
    }

    public String instance() {
        return instance;
    }

    public SmtpConnection smtp() {
        return smtp;
    }

    /** Messages this worker has seen accepted by the server. */
    public synchronized long sentCount() {
        return sentCount;
    }

    /** Starts the background thread (once). */
    public synchronized void start() {
        if (thread != null) return;
        thread = new Thread(this::loop, "mail-worker");
        thread.setDaemon(true);
        thread.start();
        LOG.info("mail worker {} started, sending to {}", instance, smtp.endpoint().describe());
    }

    public synchronized boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    private void loop() {
        while (!stopping) {
            try {
                boolean worked = runOnce();
                if (!worked) {
                    smtp.closeIfIdle(IDLE_CLOSE);
                    pause(settings.poll().toNanos());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // Database unreachable, or a bug: the rows stay claimed until their lease ends; try again later.
                LOG.warn("mail worker pass failed: {}", e.toString());
                try {
                    pause(Math.max(settings.poll().toNanos(), TimeUnit.SECONDS.toNanos(1)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        smtp.close();
    }

    /** Waits, or returns false at once when stopping. */
    private boolean pause(long nanos) throws InterruptedException {
        if (nanos <= 0) return !stopping;
        return !stop.await(nanos, TimeUnit.NANOSECONDS) && !stopping;
    }

    /**
     * One pass over the running campaigns (the background thread calls it in a loop; tests and the
     * benchmark may call it directly). Returns true when at least one row was handled.
     */
    public boolean runOnce() throws InterruptedException {
        try (SqlSession s = sessions.openSession(true)) {
            int recovered = s.getMapper(CampaignMapper.class).recoverExpired(settings.maxAttempts(),
                    Reason.of(Reason.LEASE_EXPIRED, "after " + settings.maxAttempts() + " attempts"));
            if (recovered > 0) LOG.info("took back {} recipient(s) left 'sending' by a stopped instance", recovered);
        }
        List<Long> running;
        try (SqlSession s = sessions.openSession(true)) {
            running = s.getMapper(CampaignMapper.class).runningCampaigns();
        }
        boolean worked = false;
        for (long campaignId : running) {
            if (stopping) break;
            BatchResult result = processBatch(campaignId);
            worked |= result.handled > 0;
            finishIfDone(campaignId);
            if (result.serverDown) {
                serverDownStreak++;
                Duration wait = settings.backoff(serverDownStreak);
                LOG.warn("SMTP server {} unreachable ({} time(s) in a row); next try in {} ms",
                        smtp.endpoint().describe(), serverDownStreak, wait.toMillis());
                pause(wait.toNanos());
                return true;
            }
        }
        return worked;
    }

    private record BatchResult(int handled, boolean serverDown) {
    }

    private BatchResult processBatch(long campaignId) throws InterruptedException {
        long claimedAt = System.nanoTime();
        List<CampaignMapper.ClaimedRow> rows = claim(campaignId);
        if (rows.isEmpty()) return new BatchResult(0, false);
        long heartbeatEvery = Math.min(HEARTBEAT.toNanos(), settings.lease().toNanos() / 4);
        long nextHeartbeat = claimedAt + heartbeatEvery;
        Set<Long> held = new HashSet<>();
        for (CampaignMapper.ClaimedRow r : rows) held.add(r.id());
        Map<Long, Structure> structures = new HashMap<>();
        int handled = 0;
        try (SqlSession s = sessions.openSession(true)) {
            CampaignMapper m = s.getMapper(CampaignMapper.class);
            for (CampaignMapper.ClaimedRow row : rows) {
                if (stopping || !rate.acquire(this::pause)) break;
                if (System.nanoTime() >= nextHeartbeat) {
                    // Renew the leases, and see whether the campaign was paused or cancelled meanwhile.
                    held = new HashSet<>(m.heartbeat(campaignId, instance, settings.lease().toMillis()));
                    nextHeartbeat = System.nanoTime() + heartbeatEvery;
                    if (held.isEmpty()) break;
                }
                // Held since the last heartbeat, whose lease outlasts it by at least 3/4 of the lease time.
                if (!held.contains(row.id())) continue;
                handled++;
                Structure structure = structures.computeIfAbsent(row.structureId(), id -> {
                    try (SqlSession d = sessions.openSession(true)) {
                        return d.getMapper(DirectoryMapper.class).findStructureById(id);
                    }
                });
                SendError error = sendOne(m, row, structure);
                held.remove(row.id());
                if (error == null) {
                    serverDownStreak = 0;
                    continue;
                }
                if (error.configuration() != null) {
                    // Not the recipient's fault nor temporary: pause at once, charge nobody an attempt.
                    m.pauseForConfiguration(campaignId, instance, error.reason(), smtp.endpoint().describe());
                    m.releaseAll(campaignId, instance);
                    LOG.warn("campaign {} paused until the SMTP settings are fixed: {}", campaignId, error.reason());
                    return new BatchResult(handled, false);
                }
                int attempts = row.attempts() + 1;
                if (error.permanent()) {
                    m.markFailed(row.id(), instance, error.reason());
                } else if (attempts >= settings.maxAttempts()) {
                    m.markFailed(row.id(), instance, error.reason() + " (after " + attempts + " attempts)");
                } else {
                    m.retryLater(row.id(), instance, error.reason(), settings.backoff(attempts).toMillis());
                }
                if (error.serverDown()) {
                    m.releaseAll(campaignId, instance);
                    return new BatchResult(handled, true);
                }
            }
            // Rows not attempted (stopping, paused, cancelled) go back.
            m.releaseAll(campaignId, instance);
        }
        return new BatchResult(handled, false);
    }

    /** Claims up to a batch: no more than the campaign's rate window and this instance's rate allow. */
    private List<CampaignMapper.ClaimedRow> claim(long campaignId) {
        try (SqlSession s = sessions.openSession(false)) {
            CampaignMapper m = s.getMapper(CampaignMapper.class);
            Campaign c = m.lockCampaign(campaignId);
            if (c == null || c.status() != Campaign.Status.running) {
                s.rollback();
                return List.of();
            }
            int limit = Math.min(settings.batchSize(), rate.slotsWithin(settings.lease().dividedBy(2)));
            if (c.ratePerMinute() > 0) limit = Math.min(limit, c.ratePerMinute() - m.attemptsInLastMinute(campaignId));
            if (limit <= 0) {
                s.rollback();
                return List.of();
            }
            List<CampaignMapper.ClaimedRow> rows = m.claim(campaignId, instance, limit, settings.lease().toMillis());
            s.commit(true);
            return new ArrayList<>(rows);
        }
    }

    /** Composes and sends one row; null when the server accepted it (and the row is marked sent). */
    private SendError sendOne(CampaignMapper m, CampaignMapper.ClaimedRow row, Structure structure) {
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
        m.markSent(row.id(), instance, row.address(), reply, messageId);
        return null;
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

    /** Stops after the message in progress; rows claimed but not attempted go back to pending. */
    @Override
    public void close() {
        stopping = true;
        stop.countDown();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(settings.timeout().multipliedBy(3).toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            smtp.close();
        }
    }
}

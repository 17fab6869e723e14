package fr.publipostage.bounces;

import fr.publipostage.mailing.MailSettings;
import fr.publipostage.mailing.SmtpTls;
import fr.publipostage.mailing.Verp;
import fr.publipostage.metrics.Metrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.mail.FetchProfile;
import javax.mail.Flags;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.UIDFolder;
import javax.mail.internet.MimeMessage;
import com.sun.mail.imap.IMAPFolder;
import com.sun.mail.imap.IMAPStore;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bounce mailbox over IMAP and brings what it says back to the campaign ledger. Any instance
 * may run it; one at a time reads the mailbox, under a lease in PostgreSQL ({@code bounce_mailbox}),
 * renewed while it reads, and every write checks it first (the row is locked {@code FOR UPDATE}: a
 * takeover waits for a write in flight, a write after the lease was lost changes nothing).
 *
 * <p>Each pass: messages whose move an interrupted pass left undone are moved; then every message
 * with a UID above the last one read (the position restarts when the folder's UIDVALIDITY changes) is
 * downloaded whole ({@code BODY.PEEK}: unread ones stay unread), read by {@link BounceParser}, matched to
 * its ledger row by the original Message-ID it quotes ({@code <campaign-token.row-id@domain>}) or by the
 * VERP address it was delivered to, and recorded in one transaction with the reading position: a
 * failure marks the row {@code bounced} (and flags the account's address when the status is 5.x.x),
 * a delay is written beside the row, which stays sent. Bounces and delays matched to a row are moved to
 * the processed folder; unmatched, malformed and other messages are counted and left where they are.
 * Nothing is ever deleted but through a move.
 */
public final class BounceWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BounceWorker.class);
    /** A pass reads at most this many messages; the next one goes on. */
    static final int MAX_PER_PASS = 500;
    /** Bigger messages are read up to here (a bounce's report comes first; attachments are not our business). */
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private final SqlSessionFactory sessions;
    private final BounceSettings settings;
    private final BounceParser parser;
    private final Metrics metrics;
    private final String instance;
    private final Duration lease;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean stopping;
    private Thread thread;

    /** What a pass did. */
    public record Pass(boolean held, int read, int bounced, int delayed, int unmatched, int malformed, int other, int moved) {
        static Pass notHeld() {
            return new Pass(false, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    public BounceWorker(SqlSessionFactory sessions, BounceSettings settings, BounceParser parser, Metrics metrics,
                        String instance) {
        this.sessions = sessions;
        this.settings = settings;
        this.parser = parser;
        this.metrics = metrics;
        this.instance = instance;
        // Long enough for a slow IMAP command (each has the timeout), renewed between messages.
        Duration twoTimeouts = settings.timeout().multipliedBy(4);
        this.lease = twoTimeouts.compareTo(Duration.ofMinutes(2)) > 0 ? twoTimeouts : Duration.ofMinutes(2);
    }

    /** Starts the background thread (once). */
    public synchronized void start() {
        if (thread != null) return;
        thread = new Thread(this::loop, "bounce-worker");
        thread.setDaemon(true);
        thread.start();
        LOG.info("bounce worker {} started, reading {} every {} s", instance, settings.describe(), settings.poll().toSeconds());
    }

    private void loop() {
        while (!stopping) {
            try {
                runOnce();
            } catch (RuntimeException e) {
                LOG.warn("bounce worker pass failed: {}", e.toString());
            }
            try {
                if (stop.await(settings.poll().toNanos(), TimeUnit.NANOSECONDS)) break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /**
     * One pass over the mailbox (the thread calls it every poll interval; tests may call it directly).
     * Returns what it did; {@code held} false when another instance holds the mailbox.
     */
    public Pass runOnce() {
        String key = settings.mailboxKey();
        BounceMapper.MailboxState state;
        try (SqlSession s = sessions.openSession(true)) {
            BounceMapper m = s.getMapper(BounceMapper.class);
            m.ensureMailbox(key);
            state = m.claim(key, instance, lease.toMillis());
        }
        if (state == null) return Pass.notHeld();
        String error = null;
        Counter counter = new Counter();
        try {
            read(state, counter);
        } catch (MessagingException | IOException | RuntimeException e) {
            error = e.toString();
            LOG.warn("reading the bounce mailbox {} failed: {}", settings.describe(), e.toString());
        } finally {
            try (SqlSession s = sessions.openSession(true)) {
                s.getMapper(BounceMapper.class).release(key, instance, error == null ? null : abbreviate(error));
            } catch (RuntimeException e) {
                LOG.warn("could not hand the bounce mailbox back: {}", e.toString());
            }
        }
        if (counter.read > 0) {
            LOG.info("bounce mailbox: {} message(s) read: {} bounced, {} delayed, {} unmatched, {} malformed, {} other; {} moved",
                    counter.read, counter.bounced, counter.delayed, counter.unmatched, counter.malformed, counter.other, counter.moved);
        }
        return new Pass(true, counter.read, counter.bounced, counter.delayed, counter.unmatched, counter.malformed,
                counter.other, counter.moved);
    }

    private static final class Counter {
        int read;
        int bounced;
        int delayed;
        int unmatched;
        int malformed;
        int other;
        int moved;
        long renewedAt = System.nanoTime();

        void count(String outcome) {
            read++;
            switch (outcome) {
                case "bounced" -> bounced++;
                case "delayed" -> delayed++;
                case "unmatched" -> unmatched++;
                case "malformed" -> malformed++;
                default -> other++;
            }
        }
    }

    private void read(BounceMapper.MailboxState state, Counter counter) throws MessagingException, IOException {
        Session session = Session.getInstance(imapProperties());
        Store store = session.getStore(protocol());
        store.connect(settings.host(), settings.effectivePort(), settings.user(), settings.password());
        Folder inbox = null;
        try {
            inbox = store.getFolder(settings.folder());
            inbox.open(Folder.READ_WRITE);
            Folder processed = store.getFolder(settings.processedFolder());
            if (!processed.exists() && !processed.create(Folder.HOLDS_MESSAGES)) {
                throw new MessagingException("cannot create the folder " + settings.processedFolder());
            }
            UIDFolder uids = (UIDFolder) inbox;
            long validity = uids.getUIDValidity();
            long last = state.uidValidity() != null && state.uidValidity() == validity ? state.lastUid() : 0;
            if (state.uidValidity() != null && state.uidValidity() != validity) {
                LOG.info("bounce mailbox {}: UIDVALIDITY changed ({} → {}), reading it again from the start",
                        settings.describe(), state.uidValidity(), validity);
            }
            moveLeftovers(inbox, uids, processed, validity, counter);
            Message[] fresh = uids.getMessagesByUID(last + 1, UIDFolder.LASTUID);
            FetchProfile profile = new FetchProfile();
            profile.add(UIDFolder.FetchProfileItem.UID);
            inbox.fetch(fresh, profile);
            List<Message> todo = new ArrayList<>();
            for (Message msg : fresh) {
                // "n:*" always returns the last message, even when its UID is below n.
                if (uids.getUID(msg) > last) todo.add(msg);
            }
            todo.sort(Comparator.comparingLong(msg -> uidOf(uids, msg)));
            for (Message msg : todo.subList(0, Math.min(MAX_PER_PASS, todo.size()))) {
                if (stopping || !renewIfDue(counter)) break;
                long uid = uids.getUID(msg);
                Handled h = handle(msg, validity, uid);
                if (h == null) break;  // the lease was lost: another instance reads the mailbox now
                counter.count(h.outcome);
                if (metrics != null) metrics.bounceMessage(h.outcome);
                if (h.move) {
                    move(inbox, new Message[] {msg}, processed);
                    markMoved(validity, List.of(uid));
                    counter.moved++;
                }
            }
        } finally {
            if (inbox != null && inbox.isOpen()) {
                try {
                    inbox.close(false);
                } catch (MessagingException e) {
                    LOG.debug("closing the bounce folder: {}", e.toString());
                }
            }
            store.close();
        }
    }

    private static long uidOf(UIDFolder uids, Message msg) {
        try {
            return uids.getUID(msg);
        } catch (MessagingException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Bounces recorded by a pass that stopped before moving them. */
    private void moveLeftovers(Folder inbox, UIDFolder uids, Folder processed, long validity, Counter counter)
            throws MessagingException {
        List<Long> pending;
        try (SqlSession s = sessions.openSession(true)) {
            pending = s.getMapper(BounceMapper.class).uidsToMove(settings.mailboxKey(), validity);
        }
        if (pending.isEmpty()) return;
        Message[] found = uids.getMessagesByUID(pending.stream().mapToLong(Long::longValue).toArray());
        Message[] present = Arrays.stream(found).filter(java.util.Objects::nonNull).toArray(Message[]::new);
        if (present.length > 0) move(inbox, present, processed);
        // Those no longer in the folder were moved already (or by a person): nothing more to do.
        markMoved(validity, pending);
        counter.moved += present.length;
    }

    private void markMoved(long validity, List<Long> uids) {
        if (uids.isEmpty()) return;
        try (SqlSession s = sessions.openSession(true)) {
            s.getMapper(BounceMapper.class).markMoved(settings.mailboxKey(), validity, uids);
        }
    }

    /** MOVE when the server has it (RFC 6851), else COPY, flag deleted and expunge those messages only (UIDPLUS). */
    private void move(Folder inbox, Message[] messages, Folder processed) throws MessagingException {
        IMAPStore store = inbox.getStore() instanceof IMAPStore s ? s : null;
        if (store != null && store.hasCapability("MOVE") && inbox instanceof IMAPFolder imap) {
            imap.moveMessages(messages, processed);
            return;
        }
        inbox.copyMessages(messages, processed);
        inbox.setFlags(messages, new Flags(Flags.Flag.DELETED), true);
        if (store != null && store.hasCapability("UIDPLUS") && inbox instanceof IMAPFolder imap) imap.expunge(messages);
        else inbox.expunge();
    }

    private boolean renewIfDue(Counter counter) {
        if (System.nanoTime() - counter.renewedAt < lease.toNanos() / 4) return true;
        try (SqlSession s = sessions.openSession(true)) {
            BounceMapper.MailboxState renewed = s.getMapper(BounceMapper.class).claim(settings.mailboxKey(), instance, lease.toMillis());
            counter.renewedAt = System.nanoTime();
            return renewed != null;
        }
    }

    private record Handled(String outcome, boolean move) {
    }

    /** Reads, matches and records one message; null when the lease was lost (nothing written). */
    private Handled handle(Message msg, long validity, long uid) throws MessagingException, IOException {
        byte[] raw = download(msg);
        String key = null;
        BounceReport report = null;
        String outcome;
        String why = null;
        try {
            MimeMessage copy = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
            String id = copy.getMessageID();
            if (id != null && !id.isBlank() && id.length() <= 500) key = abbreviate(id);
            report = parser.parse(copy);
            outcome = switch (report.kind()) {
                case FAILED -> "bounced";
                case DELAYED -> "delayed";
                case OTHER -> "other";
            };
        } catch (BounceParser.Malformed e) {
            outcome = "malformed";
            why = e.getMessage();
        } catch (MessagingException | RuntimeException e) {
            outcome = "malformed";
            why = e.toString();
        }
        if (key == null) key = validity + ":" + uid;
        try (SqlSession s = sessions.openSession(false)) {
            BounceMapper m = s.getMapper(BounceMapper.class);
            if (m.lockIfHeld(settings.mailboxKey(), instance) == null) {
                s.rollback();
                return null;
            }
            BounceMapper.LedgerRow row = null;
            if (report != null && report.kind() != BounceReport.Kind.OTHER) {
                row = match(m, report).orElse(null);
                if (row == null) outcome = "unmatched";
            }
            Long id = m.recordMessage(new BounceMapper.NewMessage(settings.mailboxKey(), key, outcome,
                    report == null ? null : report.format(), row == null ? null : row.id(), row == null ? null : row.campaignId(),
                    report == null ? null : abbreviate(report.finalRecipient()), report == null ? null : report.status(),
                    report == null ? abbreviate(why) : abbreviate(report.diagnostic()), report == null ? null : abbreviate(report.subject()),
                    validity, uid));
            boolean move;
            if (id == null) {
                // A copy of a message already recorded (same Message-ID): moved like the first one, counted once.
                String first = m.outcomeOf(settings.mailboxKey(), key);
                move = "bounced".equals(first) || "delayed".equals(first);
                outcome = "duplicate";
            } else {
                move = row != null;
                if (row != null && report.kind() == BounceReport.Kind.FAILED) {
                    m.markBounced(row.id(), report.status(), abbreviate(report.diagnostic()));
                    if (report.permanentAddressFailure() && row.accountId() != null && row.address() != null) {
                        m.flagAccount(row.accountId(), row.address(),
                                report.status() + (report.diagnostic() == null ? "" : ": " + abbreviate(report.diagnostic())));
                    }
                } else if (row != null) {
                    m.markDelayed(row.id(), report.status(), abbreviate(report.diagnostic()));
                }
            }
            m.advance(settings.mailboxKey(), validity, uid);
            s.commit(true);
            if ("malformed".equals(outcome)) LOG.warn("bounce mailbox: message UID {} kept, unreadable: {}", uid, why);
            else if ("unmatched".equals(outcome)) LOG.info("bounce mailbox: message UID {} ({}) names no message of ours; kept", uid, key);
            return new Handled(outcome, move);
        }
    }

    /** The ledger row the report is about: by a Message-ID it quotes, else by the VERP address it came to. */
    private Optional<BounceMapper.LedgerRow> match(BounceMapper m, BounceReport report) {
        for (String id : report.originalMessageIds()) {
            Optional<Verp.RowToken> t = Verp.RowToken.ofMessageId(id);
            if (t.isEmpty()) continue;
            BounceMapper.LedgerRow row = m.findRow(t.get().campaignToken(), t.get().rowId());
            if (row != null) return Optional.of(row);
        }
        Verp verp = settings.verp();
        if (verp != null) {
            for (String address : report.deliveredTo()) {
                Optional<Verp.RowToken> t = verp.rowOf(address);
                if (t.isEmpty()) continue;
                BounceMapper.LedgerRow row = m.findRow(t.get().campaignToken(), t.get().rowId());
                if (row != null) return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    private static byte[] download(Message msg) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        msg.writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                if (out.size() < MAX_MESSAGE_BYTES) out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                int room = MAX_MESSAGE_BYTES - out.size();
                if (room > 0) out.write(b, off, Math.min(room, len));
            }
        });
        return out.toByteArray();
    }

    /**
     * One line of at most 1,000 characters, without control characters: whatever a remote server or a
     * sender wrote (a NUL, which PostgreSQL refuses in text and would stop every pass at this message; a
     * terminal escape, which {@code mail --campaign} would print) becomes a space.
     */
    private static String abbreviate(String s) {
        if (s == null) return null;
        String v = s.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
        return v.length() > 1000 ? v.substring(0, 1000) + "…" : v;
    }

    private String protocol() {
        return settings.tls() == MailSettings.Tls.ssl ? "imaps" : "imap";
    }

    private Properties imapProperties() {
        String p = "mail." + protocol() + ".";
        String timeout = String.valueOf(settings.timeout().toMillis());
        Properties props = new Properties();
        props.setProperty(p + "connectiontimeout", timeout);
        props.setProperty(p + "timeout", timeout);
        props.setProperty(p + "writetimeout", timeout);
        // Reading a message never marks it read: a person still sees the unmatched ones as new.
        props.setProperty(p + "peek", "true");
        switch (settings.tls()) {
            case starttls -> {
                props.setProperty(p + "starttls.enable", "true");
                props.setProperty(p + "starttls.required", "true");
                props.put(p + "ssl.socketFactory", SmtpTls.socketFactory(settings.trustStore(), settings.trustStorePassword()));
            }
            case ssl -> {
                props.setProperty(p + "ssl.enable", "true");
                props.put(p + "ssl.socketFactory", SmtpTls.socketFactory(settings.trustStore(), settings.trustStorePassword()));
                props.setProperty(p + "socketFactory.fallback", "false");
            }
            case none -> {
                // Plain IMAP: only on a trusted network (or a test server on loopback).
            }
        }
        return props;
    }

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
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

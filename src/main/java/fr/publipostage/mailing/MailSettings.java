package fr.publipostage.mailing;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.time.Duration;
import java.util.Locale;

/** The e-mail settings of {@link Setting}, checked once. */
public record MailSettings(String host, Integer port, Tls tls, String user, String password, String from,
                           String replyTo, String envelopeFrom, int ratePerMinute, int campaignRatePerMinute,
                           int messagesPerConnection, Duration timeout, boolean worker, int batchSize,
                           int maxAttempts, Duration retryDelay, Duration retryMaxDelay, Duration lease,
                           Duration poll, int sandboxPort, String trustStore, String trustStorePassword) {

    public static final String SANDBOX_FROM = "publipostage@localhost";
    /** The route of campaigns that go to the sandbox mailbox of whichever sandbox instance sends them. */
    public static final String SANDBOX_ROUTE = "sandbox";

    public enum Tls { none, starttls, ssl }

    /** No SMTP host configured: campaigns go to the in-process sandbox server. */
    public boolean sandbox() {
        return host == null || host.isBlank();
    }

    /** The port to use with a real server: as set, else the usual one for the TLS mode. */
    public int effectivePort() {
        if (port != null) return port;
        return switch (tls) {
            case none -> 25;
            case starttls -> 587;
            case ssl -> 465;
        };
    }

    public String effectiveFrom() {
        return from.isBlank() ? SANDBOX_FROM : from;
    }

    public static MailSettings from(Config config) {
        String tlsText = config.get(Setting.SMTP_TLS).toLowerCase(Locale.ROOT);
        Tls tls;
        try {
            tls = Tls.valueOf(tlsText);
        } catch (IllegalArgumentException e) {
            throw new Config.ConfigException("config.error.badTls", Setting.SMTP_TLS.envName, tlsText);
        }
        Integer port = config.has(Setting.SMTP_PORT) ? positive(config, Setting.SMTP_PORT) : null;
        MailSettings s = new MailSettings(config.get(Setting.SMTP_HOST).trim(), port, tls,
                config.get(Setting.SMTP_USER), config.get(Setting.SMTP_PASSWORD), config.get(Setting.SMTP_FROM).trim(),
                config.get(Setting.SMTP_REPLY_TO).trim(), config.get(Setting.SMTP_ENVELOPE_FROM).trim(),
                atLeast(config, Setting.SMTP_RATE, 0), atLeast(config, Setting.SMTP_CAMPAIGN_RATE, 0),
                atLeast(config, Setting.SMTP_MESSAGES_PER_CONNECTION, 1), config.getDuration(Setting.SMTP_TIMEOUT),
                config.getBoolean(Setting.MAIL_WORKER), atLeast(config, Setting.MAIL_BATCH, 1),
                atLeast(config, Setting.MAIL_MAX_ATTEMPTS, 1), config.getDuration(Setting.MAIL_RETRY_DELAY),
                config.getDuration(Setting.MAIL_RETRY_MAX_DELAY), config.getDuration(Setting.MAIL_LEASE),
                config.getDuration(Setting.MAIL_POLL), atLeast(config, Setting.SANDBOX_SMTP_PORT, 0),
                config.get(Setting.SMTP_TRUSTSTORE).trim(), config.get(Setting.SMTP_TRUSTSTORE_PASSWORD));
        // A trust store that cannot be read stops the start with its reason, not the first campaign.
        if (!s.trustStore.isEmpty()) SmtpTls.load(java.nio.file.Path.of(s.trustStore), s.trustStorePassword);
        if (!s.sandbox() && s.from.isBlank()) {
            throw new Config.ConfigException("config.error.fromRequired", Setting.SMTP_FROM.envName, Setting.SMTP_HOST.envName);
        }
        return s;
    }

    /**
     * The longest one send may take: each reply it may wait for, within {@link #timeout()} each — the
     * check of a connection the server complained on (NOOP), connect, greeting, EHLO; with STARTTLS
     * three more (STARTTLS, the handshake, EHLO again), with implicit TLS the handshake; with a login
     * three more (AUTH and up to two challenges); MAIL, RCPT, DATA, the end of data; and QUIT when the
     * connection is renewed right after.
     */
    public Duration sendDeadline() {
        int replies = 9;
        if (!sandbox()) {
            if (tls == Tls.starttls) replies += 3;
            if (tls == Tls.ssl) replies += 1;
            if (!user.isBlank()) replies += 3;
        }
        return timeout.multipliedBy(replies);
    }

    /**
     * How long a batch of rows is leased: {@link #lease()} as set, raised when needed so that it
     * outlasts one send and two missed heartbeats. A send starts only when the lease still covers
     * {@link #sendDeadline()}, so it never runs out in the middle of one.
     */
    public Duration effectiveLease() {
        Duration needed = sendDeadline().plusSeconds(2);
        return lease.compareTo(needed) >= 0 ? lease : needed;
    }

    /** The route of campaigns sent with these settings: {@code sandbox}, or {@code smtp:} and a fingerprint. */
    public String route() {
        if (sandbox()) return SANDBOX_ROUTE;
        // The server and the identity the mails leave with; never the password.
        String identity = String.join("\n", host.toLowerCase(Locale.ROOT), String.valueOf(effectivePort()), tls.name(),
                user, effectiveFrom().toLowerCase(Locale.ROOT));
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "smtp:" + java.util.HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The route in words for the people who read a campaign's progress: server and TLS mode, no login. */
    public String routeLabel() {
        return sandbox() ? SANDBOX_ROUTE : host + ":" + effectivePort() + " (" + tls + ")";
    }

    /** The wait before attempt {@code attempts + 1}: the retry delay doubled per attempt, capped. */
    public Duration backoff(int attempts) {
        Duration d = retryDelay;
        for (int i = 1; i < attempts && d.compareTo(retryMaxDelay) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(retryMaxDelay) > 0 ? retryMaxDelay : d;
    }

    private static int atLeast(Config config, Setting s, int min) {
        int v = config.getInt(s);
        if (v < min) throw new Config.ConfigException("config.error.tooSmall", s.envName, min, v);
        return v;
    }

    private static int positive(Config config, Setting s) {
        int v = config.getInt(s);
        if (v < 1 || v > 65535) throw new Config.ConfigException("config.error.badPort", s.envName, v);
        return v;
    }
}

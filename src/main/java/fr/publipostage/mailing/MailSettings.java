package fr.publipostage.mailing;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The e-mail settings of {@link Setting}, checked once. */
public record MailSettings(String host, Integer port, Tls tls, String user, String password, String from,
                           String replyTo, String envelopeFrom, int ratePerMinute, int campaignRatePerMinute,
                           int messagesPerConnection, Duration timeout, boolean worker, int batchSize,
                           int maxAttempts, Duration retryDelay, Duration retryMaxDelay, Duration lease,
                           Duration poll, int sandboxPort, String trustStore, String trustStorePassword) {

    public static final String SANDBOX_FROM = "publipostage@localhost";

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
            throw new Config.ConfigException(Setting.SMTP_TLS.envName + " must be none, starttls or ssl, got \"" + tlsText + "\"");
        }
        Integer port = config.has(Setting.SMTP_PORT) ? positive(config, Setting.SMTP_PORT) : null;
        MailSettings s = new MailSettings(config.get(Setting.SMTP_HOST).trim(), port, tls,
                config.get(Setting.SMTP_USER), config.get(Setting.SMTP_PASSWORD), config.get(Setting.SMTP_FROM).trim(),
                config.get(Setting.SMTP_REPLY_TO).trim(), config.get(Setting.SMTP_ENVELOPE_FROM).trim(),
                atLeast(config, Setting.SMTP_RATE, 0), atLeast(config, Setting.SMTP_CAMPAIGN_RATE, 0),
                atLeast(config, Setting.SMTP_MESSAGES_PER_CONNECTION, 1), duration(config, Setting.SMTP_TIMEOUT),
                config.getBoolean(Setting.MAIL_WORKER), atLeast(config, Setting.MAIL_BATCH, 1),
                atLeast(config, Setting.MAIL_MAX_ATTEMPTS, 1), duration(config, Setting.MAIL_RETRY_DELAY),
                duration(config, Setting.MAIL_RETRY_MAX_DELAY), duration(config, Setting.MAIL_LEASE),
                duration(config, Setting.MAIL_POLL), atLeast(config, Setting.SANDBOX_SMTP_PORT, 0),
                config.get(Setting.SMTP_TRUSTSTORE).trim(), config.get(Setting.SMTP_TRUSTSTORE_PASSWORD));
        // A trust store that cannot be read stops the start with its reason, not the first campaign.
        if (!s.trustStore.isEmpty()) SmtpTls.load(java.nio.file.Path.of(s.trustStore), s.trustStorePassword);
        if (!s.sandbox() && s.from.isBlank()) {
            throw new Config.ConfigException(Setting.SMTP_FROM.envName + " is required when "
                    + Setting.SMTP_HOST.envName + " is set (the address the mails come from)");
        }
        if (s.lease.compareTo(s.timeout.multipliedBy(2)) < 0) {
            throw new Config.ConfigException(Setting.MAIL_LEASE.envName + " (" + config.get(Setting.MAIL_LEASE)
                    + ") must be at least twice " + Setting.SMTP_TIMEOUT.envName + " (" + config.get(Setting.SMTP_TIMEOUT)
                    + "): a slow message must not outlive its lease");
        }
        return s;
    }

    /** The wait before attempt {@code attempts + 1}: the retry delay doubled per attempt, capped. */
    public Duration backoff(int attempts) {
        Duration d = retryDelay;
        for (int i = 1; i < attempts && d.compareTo(retryMaxDelay) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(retryMaxDelay) > 0 ? retryMaxDelay : d;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    /** "500ms", "30s", "2m", "1h"; a bare number is seconds. */
    public static Duration parseDuration(String name, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new Config.ConfigException(name + " must be a duration such as 500ms, 30s, 2m or 1h, got \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static Duration duration(Config config, Setting s) {
        return parseDuration(s.envName, config.get(s));
    }

    private static int atLeast(Config config, Setting s, int min) {
        int v = config.getInt(s);
        if (v < min) throw new Config.ConfigException(s.envName + " must be " + min + " or more, got " + v);
        return v;
    }

    private static int positive(Config config, Setting s) {
        int v = config.getInt(s);
        if (v < 1 || v > 65535) throw new Config.ConfigException(s.envName + " must be a port number, got " + v);
        return v;
    }
}

package fr.publipostage.bounces;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import fr.publipostage.mailing.MailSettings;
import fr.publipostage.mailing.Verp;
import java.time.Duration;
import java.util.Locale;

/** The bounce mailbox settings of {@link Setting} ({@code PUBLIPOSTAGE_BOUNCE_*}), checked once. */
public record BounceSettings(String host, Integer port, MailSettings.Tls tls, String user, String password,
                             String folder, String processedFolder, Duration poll, Verp verp, String trustStore,
                             String trustStorePassword, Duration timeout) {

    /** No IMAP host: nothing reads bounces (VERP may still be set, for a mailbox read by other means). */
    public boolean enabled() {
        return !host.isBlank();
    }

    public int effectivePort() {
        if (port != null) return port;
        return tls == MailSettings.Tls.ssl ? 993 : 143;
    }

    /** The mailbox's name in {@code bounce_mailbox}: one lease and one reading position per mailbox. */
    public String mailboxKey() {
        return user + "@" + host + ":" + effectivePort() + "/" + folder;
    }

    public String describe() {
        return "imap" + (tls == MailSettings.Tls.ssl ? "s" : "") + "://" + user + "@" + host + ":" + effectivePort() + "/" + folder;
    }

    public static BounceSettings from(Config config) {
        String tlsText = config.get(Setting.BOUNCE_IMAP_TLS).toLowerCase(Locale.ROOT).strip();
        MailSettings.Tls tls;
        try {
            tls = MailSettings.Tls.valueOf(tlsText);
        } catch (IllegalArgumentException e) {
            throw new Config.ConfigException(Setting.BOUNCE_IMAP_TLS.envName + " must be none, starttls or ssl, got \"" + tlsText + "\"");
        }
        Integer port = null;
        if (config.has(Setting.BOUNCE_IMAP_PORT)) {
            int p = config.getInt(Setting.BOUNCE_IMAP_PORT);
            if (p < 1 || p > 65535) throw new Config.ConfigException(Setting.BOUNCE_IMAP_PORT.envName + " must be a port number, got " + p);
            port = p;
        }
        Duration poll = config.getDuration(Setting.BOUNCE_POLL);
        if (poll.isZero()) throw new Config.ConfigException(Setting.BOUNCE_POLL.envName + " must be more than 0");
        String folder = config.get(Setting.BOUNCE_IMAP_FOLDER).strip();
        String processed = config.get(Setting.BOUNCE_PROCESSED_FOLDER).strip();
        BounceSettings s = new BounceSettings(config.get(Setting.BOUNCE_IMAP_HOST).strip(), port, tls,
                config.get(Setting.BOUNCE_IMAP_USER).strip(), config.get(Setting.BOUNCE_IMAP_PASSWORD),
                folder.isEmpty() ? "INBOX" : folder, processed, poll, Verp.parse(config.get(Setting.BOUNCE_VERP)),
                config.get(Setting.SMTP_TRUSTSTORE).strip(), config.get(Setting.SMTP_TRUSTSTORE_PASSWORD),
                config.getDuration(Setting.SMTP_TIMEOUT));
        if (s.enabled()) {
            if (s.user.isBlank()) {
                throw new Config.ConfigException(Setting.BOUNCE_IMAP_USER.envName + " is required when "
                        + Setting.BOUNCE_IMAP_HOST.envName + " is set (the login of the bounce mailbox)");
            }
            if (processed.isEmpty() || processed.equalsIgnoreCase(s.folder)) {
                throw new Config.ConfigException(Setting.BOUNCE_PROCESSED_FOLDER.envName
                        + " must name a folder other than " + Setting.BOUNCE_IMAP_FOLDER.envName + " (" + s.folder + ")");
            }
        }
        return s;
    }
}

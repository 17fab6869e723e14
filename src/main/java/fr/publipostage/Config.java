package fr.publipostage;

import fr.publipostage.templates.Messages;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Settings, resolved once: environment variable, else the properties file named by
 * PUBLIPOSTAGE_CONFIG (or ./publipostage.properties when present), else the default.
 */
public final class Config {
    private final Map<Setting, String> values;

    private Config(Map<Setting, String> values) {
        this.values = values;
    }

    public static Config fromEnvironment() {
        Map<String, String> env = System.getenv();
        Properties file = new Properties();
        String configFile = env.getOrDefault("PUBLIPOSTAGE_CONFIG", "publipostage.properties");
        Path path = Path.of(configFile);
        if (Files.isRegularFile(path)) {
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                file.load(reader);
            } catch (IOException e) {
                throw new ConfigException("config.error.cannotRead", path, e.getMessage());
            }
        } else if (env.containsKey("PUBLIPOSTAGE_CONFIG")) {
            throw new ConfigException("config.error.fileNotFound", path);
        }
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String v = env.get(s.envName);
            if (v == null) v = file.getProperty(s.propertyName());
            if (v == null) v = file.getProperty(s.envName);
            values.put(s, v == null ? s.defaultValue : v.trim());
        }
        return new Config(values);
    }

    /** Defaults overridden by the given values (tests, command-line flags). */
    public static Config of(Map<Setting, String> overrides) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) values.put(s, s.defaultValue);
        values.putAll(overrides);
        return new Config(values);
    }

    public Config with(Setting setting, String value) {
        Map<Setting, String> copy = new EnumMap<>(values);
        copy.put(setting, value);
        return new Config(copy);
    }

    public String get(Setting s) {
        return values.get(s);
    }

    public int getInt(Setting s) {
        String v = get(s);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("config.error.notNumber", s.envName, v);
        }
    }

    public boolean getBoolean(Setting s) {
        String v = get(s).toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException("config.error.notBoolean", s.envName, v);
        };
    }

    /** A duration such as 500ms, 30s, 2m or 1h; a bare number is seconds. */
    public java.time.Duration getDuration(Setting s) {
        return parseDuration(s.envName, get(s));
    }

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    /** "500ms", "30s", "2m", "1h"; a bare number is seconds. {@code name} names the setting in the error. */
    public static java.time.Duration parseDuration(String name, String text) {
        java.util.regex.Matcher m = DURATION.matcher(text.trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException("config.error.badDuration", name, text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            default -> java.time.Duration.ofHours(n);
        };
    }

    /**
     * Whether the session cookie is marked Secure: as {@code PUBLIPOSTAGE_COOKIE_SECURE} says, else when
     * the public address users type is https (they come over HTTPS, the cookie must never leave without it).
     */
    public boolean secureCookies() {
        if (has(Setting.COOKIE_SECURE)) return getBoolean(Setting.COOKIE_SECURE);
        return get(Setting.PUBLIC_URL).strip().toLowerCase(java.util.Locale.ROOT).startsWith("https:");
    }

    public boolean has(Setting s) {
        return !get(s).isBlank();
    }

    /**
     * A setting that cannot be used: an i18n key ({@code config.error.*}) and its arguments, worded for the
     * operator in {@code PUBLIPOSTAGE_LANGUAGE} ({@link #message}); {@link #getMessage()} is the English text
     * (logs).
     */
    public static final class ConfigException extends RuntimeException {
        private final String key;
        private final transient Object[] args;

        public ConfigException(String key, Object... args) {
            super(new Messages().get("en", key, args));
            this.key = key;
            this.args = args.clone();
        }

        public String key() {
            return key;
        }

        /** The sentence in this language. */
        public String message(Messages messages, String language) {
            return messages.get(language, key, args);
        }
    }
}

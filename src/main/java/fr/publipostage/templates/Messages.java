package fr.publipostage.templates;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The UI, CLI and letter texts of i18n/messages_{fr,en}.properties (UTF-8). French is the default;
 * placeholders are {0}, {1}… replaced literally (no MessageFormat, so French apostrophes need no escaping).
 */
public final class Messages {
    public static final List<String> LANGUAGES = List.of("fr", "en");
    public static final String DEFAULT_LANGUAGE = "fr";

    private final Map<String, Properties> bundles;

    public Messages() {
        this.bundles = Map.of("fr", load("fr"), "en", load("en"));
    }

    private static Properties load(String language) {
        String path = "i18n/messages_" + language + ".properties";
        try (InputStream in = Messages.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path);
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A supported language code for anything the user sent: unknown or empty gives French. */
    public static String language(String requested) {
        if (requested == null) return DEFAULT_LANGUAGE;
        String lang = requested.trim().toLowerCase(Locale.ROOT);
        if (lang.length() > 2) lang = lang.substring(0, 2);
        return LANGUAGES.contains(lang) ? lang : DEFAULT_LANGUAGE;
    }

    public String get(String language, String key, Object... args) {
        String text = bundles.get(language(language)).getProperty(key);
        if (text == null) text = bundles.get(DEFAULT_LANGUAGE).getProperty(key, key);
        return fill(text, args);
    }

    /** Puts the arguments where {0}, {1}… are. */
    public static String fill(String text, Object... args) {
        for (int i = 0; i < args.length; i++) text = text.replace("{" + i + "}", String.valueOf(args[i]));
        return text;
    }

    /** Whether the bundle of this language has this key. */
    public boolean has(String language, String key) {
        return bundles.get(language(language)).containsKey(key);
    }

    public Set<String> keys(String language) {
        return bundles.get(language(language)).stringPropertyNames();
    }
}

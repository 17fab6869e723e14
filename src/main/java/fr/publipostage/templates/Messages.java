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
        return fill(text(language, key), args);
    }

    /** The text of a key before its placeholders are filled: this language's, else French, else the key itself. */
    public String text(String language, String key) {
        String text = bundles.get(language(language)).getProperty(key);
        return text == null ? bundles.get(DEFAULT_LANGUAGE).getProperty(key, key) : text;
    }

    /** Puts the arguments where {0}, {1}… are, in one pass: an argument's own "{1}" stays as it is. */
    public static String fill(String text, Object... args) {
        if (args.length == 0 || text.indexOf('{') < 0) return text;
        StringBuilder filled = new StringBuilder(text.length() + 32);
        walk(text, strings(args), filled);
        return filled.toString();
    }

    /**
     * The length {@link #fill} would give, counted without building it: a text of many placeholders
     * and a long argument can be refused before it takes the memory (templates' {@code $msg.get}).
     */
    public static long filledLength(String text, Object... args) {
        if (args.length == 0 || text.indexOf('{') < 0) return text.length();
        return walk(text, strings(args), null);
    }

    private static String[] strings(Object[] args) {
        String[] values = new String[args.length];
        for (int i = 0; i < args.length; i++) values[i] = String.valueOf(args[i]);
        return values;
    }

    /** Appends the filled text to {@code out} (when not null); returns its length. */
    private static long walk(String text, String[] values, StringBuilder out) {
        long length = 0;
        int copied = 0;
        int open = text.indexOf('{');
        while (open >= 0) {
            int close = text.indexOf('}', open + 1);
            if (close < 0) break;
            int index = placeholder(text, open + 1, close, values.length);
            if (index < 0) {
                open = text.indexOf('{', open + 1);
                continue;
            }
            length += open - copied + values[index].length();
            if (out != null) out.append(text, copied, open).append(values[index]);
            copied = close + 1;
            open = text.indexOf('{', copied);
        }
        if (out != null) out.append(text, copied, text.length());
        return length + text.length() - copied;
    }

    /** The argument number written between {@code from} and {@code to} ("0", "12", no sign, no leading zero), or -1. */
    private static int placeholder(String text, int from, int to, int count) {
        if (to == from || to - from > 9) return -1;
        if (text.charAt(from) == '0' && to - from > 1) return -1;
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n < count ? n : -1;
    }

    /** Whether the bundle of this language has this key. */
    public boolean has(String language, String key) {
        return bundles.get(language(language)).containsKey(key);
    }

    public Set<String> keys(String language) {
        return bundles.get(language(language)).stringPropertyNames();
    }
}

package fr.publipostage.templates;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A structure's own wording of the letter and mail texts: the file {@code messages_<lang>.properties}
 * of its template set (so it has versions, history and rollback like any template), whose keys win
 * over the bundle's. The built-in set has no such file: no structure, no override.
 */
public final class MessageOverrides {
    private record Parsed(String origin, long version, Map<String, String> texts) {
    }

    private final TemplateResolver templates;
    // Parsed once per saved version; drafts (unsaved, one preview) are not kept.
    private final ConcurrentHashMap<String, Parsed> parsed = new ConcurrentHashMap<>();

    public MessageOverrides(TemplateResolver templates) {
        this.templates = templates;
    }

    /** The file holding a structure's texts in one language. */
    public static String file(String language) {
        return "messages_" + Messages.language(language) + ".properties";
    }

    /** The structure's texts for this language, by key (empty when it has none). */
    public Map<String, String> texts(Long structureId, String language) {
        if (structureId == null) return Map.of();
        String name = file(language);
        Optional<TemplateSource> source = templates.resolve(structureId, name);
        if (source.isEmpty()) return Map.of();
        TemplateSource s = source.get();
        if (DraftTemplates.ORIGIN.equals(s.origin())) return parse(s.text());
        String key = structureId + "/" + name;
        Parsed p = parsed.get(key);
        if (p == null || p.version() != s.version() || !p.origin().equals(s.origin())) {
            p = new Parsed(s.origin(), s.version(), parse(s.text()));
            parsed.put(key, p);
        }
        return p.texts();
    }

    /** Java properties syntax, read as UTF-8 text. */
    public static Map<String, String> parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new TemplateError("messages.properties", "malformed \\u escape: " + e.getMessage());
        }
        Map<String, String> texts = new HashMap<>();
        for (String k : p.stringPropertyNames()) texts.put(k, p.getProperty(k));
        return Map.copyOf(texts);
    }
}

package fr.publipostage.templates;

import java.util.Map;

/**
 * {@code $msg}: the i18n texts in the letter's language: {@code $msg.get('letter.title', $account.firstName)};
 * the structure's own wording of a key ({@link MessageOverrides}) wins over the bundle's.
 */
public final class MessagesView implements TemplateView {
    private final Messages messages;
    private final Map<String, String> structureTexts;
    private final String language;

    public MessagesView(Messages messages, String language) {
        this(messages, Map.of(), language);
    }

    public MessagesView(Messages messages, Map<String, String> structureTexts, String language) {
        this.messages = messages;
        this.structureTexts = structureTexts;
        this.language = Messages.language(language);
    }

    public String get(String key, Object... args) {
        return Messages.fill(text(key), args);
    }

    /** How long {@link #get} would be, counted before anything is built (the sandbox's value limit). */
    public long filledLength(String key, Object... args) {
        return Messages.filledLength(text(key), args);
    }

    private String text(String key) {
        String own = structureTexts.get(key);
        return own == null ? messages.text(language, key) : own;
    }

    /** The letter's language code, e.g. for {@code <html lang="$msg.language">}. */
    public String getLanguage() {
        return language;
    }

    @Override
    public String toString() {
        return language;
    }
}

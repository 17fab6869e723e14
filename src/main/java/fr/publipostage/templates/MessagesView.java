package fr.publipostage.templates;

/** {@code $msg}: the i18n texts in the letter's language: {@code $msg.get('letter.title', $account.firstName)}. */
public final class MessagesView implements TemplateView {
    private final Messages messages;
    private final String language;

    public MessagesView(Messages messages, String language) {
        this.messages = messages;
        this.language = Messages.language(language);
    }

    public String get(String key, Object... args) {
        return messages.get(language, key, args);
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

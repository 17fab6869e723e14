package fr.publipostage.cli;

import fr.publipostage.templates.Messages;

/**
 * Bad input on the command line: printed as one line, exit code 2. Either already worded in the
 * operator's language ({@code new CliError(text)}), or an i18n key and its arguments ({@link #of}) that
 * {@code Main} words in {@code PUBLIPOSTAGE_LANGUAGE} (French by default).
 */
public final class CliError extends RuntimeException {
    private final String key;
    private final transient Object[] args;

    public CliError(String message) {
        super(message);
        this.key = null;
        this.args = new Object[0];
    }

    private CliError(String key, Object[] args) {
        super(key);
        this.key = key;
        this.args = args;
    }

    /** An error worded later from {@code i18n/} ({@code cli.error.*}). */
    public static CliError of(String key, Object... args) {
        return new CliError(key, args);
    }

    /** The sentence in this language. */
    public String message(Messages messages, String language) {
        return key == null ? getMessage() : messages.get(language, key, args);
    }
}

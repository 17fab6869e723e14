package fr.publipostage.letters;

import java.util.List;

/**
 * The PDF cannot be produced as promised: a letter (or a cover sheet) does not fit its page, or a
 * template failed. {@code key} and {@code args} are an i18n message for the admin; the message of the
 * exception is the same text in English-neutral form for logs.
 */
public final class LetterFailure extends RuntimeException {
    private final String key;
    private final List<Object> args;

    public LetterFailure(String key, List<Object> args, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
        this.args = List.copyOf(args);
    }

    public String key() {
        return key;
    }

    public List<Object> args() {
        return args;
    }
}

package fr.publipostage.web;

/** A request parameter outside what the handler accepts: 400 with the i18n message {@code key}. */
public final class BadRequest extends RuntimeException {
    private final String key;
    private final Object[] args;

    public BadRequest(String key, Object... args) {
        super(key, null, false, false);
        this.key = key;
        this.args = args;
    }

    public String key() {
        return key;
    }

    public Object[] args() {
        return args;
    }
}

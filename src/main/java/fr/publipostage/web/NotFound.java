package fr.publipostage.web;

/** Something named in the path does not exist for this admin: 404 with the i18n message {@code key}. */
public final class NotFound extends RuntimeException {
    private final String key;

    public NotFound(String key) {
        super(key, null, false, false);
        this.key = key;
    }

    public String key() {
        return key;
    }
}

package fr.publipostage.customisation;

import java.util.Arrays;
import java.util.List;

/**
 * An uploaded logo is refused. {@code key} (under {@code logo.}) and {@code args} are an i18n message
 * for the admin, in both message bundles; nothing was stored.
 */
public final class LogoRejected extends RuntimeException {
    private final String key;
    private final List<Object> args;

    public LogoRejected(String key, Object... args) {
        this(null, key, args);
    }

    public LogoRejected(Throwable cause, String key, Object... args) {
        super(key + " " + Arrays.toString(args), cause);
        this.key = key;
        this.args = List.of(args);
    }

    public String key() {
        return key;
    }

    public List<Object> args() {
        return args;
    }
}

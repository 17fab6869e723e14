package fr.publipostage.db;

import java.util.Arrays;
import java.util.List;

/**
 * The database cannot be used: a sentence for the operator (a key of i18n/messages_*.properties and
 * its arguments, shown in the command line's language) and, on a second line, the cause as the
 * server or the system said it — never a Java class name.
 */
public final class DatabaseUnavailable extends RuntimeException {
    private final String key;
    private final List<String> args;
    private final String detail;

    public DatabaseUnavailable(String key, List<String> args, String detail, Throwable cause) {
        super(key + " " + args + (detail == null ? "" : ": " + detail), cause);
        this.key = key;
        this.args = List.copyOf(args);
        this.detail = detail;
    }

    public DatabaseUnavailable(String key, String detail, Throwable cause, String... args) {
        this(key, Arrays.asList(args), detail, cause);
    }

    /** The sentence's key in the messages bundles. */
    public String key() {
        return key;
    }

    public Object[] args() {
        return args.toArray();
    }

    /** The cause in the words of PostgreSQL or of the system, or null. */
    public String detail() {
        return detail;
    }
}

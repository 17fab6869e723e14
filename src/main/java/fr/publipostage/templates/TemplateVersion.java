package fr.publipostage.templates;

import java.time.OffsetDateTime;

/**
 * One saved state of a structure's template file.
 *
 * @param text         the file's text; null for a reset (back to the built-in), or when a listing left it out
 * @param action       {@code save}, {@code rollback} or {@code reset}
 * @param restoredFrom for a rollback, the version whose text it restored
 */
public record TemplateVersion(long structureId, String name, int version, String text, String author,
                              OffsetDateTime createdAt, String comment, String action, Integer restoredFrom) {
    public static final String SAVE = "save";
    public static final String ROLLBACK = "rollback";
    public static final String RESET = "reset";

    /** Whether this state is an override (false: the built-in file applies). */
    public boolean overrides() {
        return !RESET.equals(action);
    }
}

package fr.publipostage.mailing;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Filters of the per-recipient table: statuses (empty = all), message kind (null = both), a text
 * searched in names, login and address, and a page.
 */
public record RecipientFilter(Set<Recipient.Status> statuses, MailKind kind, String search, int offset, int limit) {
    public static final int MAX_LIMIT = 1000;

    public RecipientFilter {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        search = search == null || search.isBlank() ? null : search.trim();
        if (offset < 0) offset = 0;
        if (limit <= 0 || limit > MAX_LIMIT) limit = MAX_LIMIT;
    }

    public static RecipientFilter all() {
        return new RecipientFilter(Set.of(), null, null, 0, MAX_LIMIT);
    }

    public static RecipientFilter status(Recipient.Status... statuses) {
        return new RecipientFilter(Set.of(statuses), null, null, 0, MAX_LIMIT);
    }

    /** For the SQL: status names. */
    public List<String> statusNames() {
        return statuses.stream().map(Enum::name).sorted().toList();
    }

    /** For the SQL: an ILIKE pattern with the user's % and _ taken literally. */
    public String searchPattern() {
        if (search == null) return null;
        String escaped = search.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}

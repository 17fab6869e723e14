package fr.publipostage.directory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The ENT export's "Dernière connexion": when the account last logged in, which is when it was
 * activated at the latest. The column is informational (the import never refuses a line for it):
 * the forms ENT consoles and spreadsheets write are read (ISO date-time with or without offset,
 * {@code dd/MM/yyyy HH:mm[:ss]}, a date alone, epoch milliseconds), anything else is no date.
 * Dates without an offset are the school's time (Europe/Paris).
 */
public final class LastLogin {
    static final ZoneId SCHOOL_TIME = ZoneId.of("Europe/Paris");
    private static final List<DateTimeFormatter> LOCAL_DATE_TIMES = List.of(
            DateTimeFormatter.ISO_LOCAL_DATE_TIME,
            strict("uuuu-MM-dd HH:mm[:ss][.SSS]"),
            strict("dd/MM/uuuu HH:mm[:ss]"),
            strict("dd/MM/uuuu' à 'HH:mm[:ss]"),
            strict("d/M/uuuu H:mm[:ss]"));
    private static final List<DateTimeFormatter> DATES = List.of(
            DateTimeFormatter.ISO_LOCAL_DATE, strict("dd/MM/uuuu"), strict("d/M/uuuu"));

    private LastLogin() {
    }

    /** 31/02 is no date (the default resolver would read 28/02). */
    private static DateTimeFormatter strict(String pattern) {
        return DateTimeFormatter.ofPattern(pattern).withResolverStyle(java.time.format.ResolverStyle.STRICT);
    }

    /** The instant the cell names, or empty (blank, "jamais", unreadable, or in the future). */
    public static Optional<OffsetDateTime> parse(String cell) {
        if (cell == null || cell.isBlank()) return Optional.empty();
        String v = cell.strip();
        OffsetDateTime at = read(v);
        if (at == null || at.toInstant().isAfter(Instant.now().plusSeconds(86_400))) return Optional.empty();
        return Optional.of(at);
    }

    private static OffsetDateTime read(String v) {
        if (v.matches("\\d{12,13}")) return Instant.ofEpochMilli(Long.parseLong(v)).atZone(SCHOOL_TIME).toOffsetDateTime();
        try {
            return OffsetDateTime.parse(v.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            // not with an offset
        }
        for (DateTimeFormatter f : LOCAL_DATE_TIMES) {
            try {
                return LocalDateTime.parse(v, f).atZone(SCHOOL_TIME).toOffsetDateTime();
            } catch (DateTimeParseException e) {
                // next form
            }
        }
        for (DateTimeFormatter f : DATES) {
            try {
                return LocalDate.parse(v, f).atStartOfDay(SCHOOL_TIME).toOffsetDateTime();
            } catch (DateTimeParseException e) {
                // next form
            }
        }
        return null;
    }
}

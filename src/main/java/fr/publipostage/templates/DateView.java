package fr.publipostage.templates;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** {@code $date}: the day the letters are printed; prints as "12 septembre 2025" / "12 September 2025". */
public final class DateView implements TemplateView {
    private static final DateTimeFormatter LONG_FR = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.FRENCH);
    private static final DateTimeFormatter LONG_EN = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_FR = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter DAY_EN = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    /** Times are shown in French school time. */
    public static final java.time.ZoneId ZONE = java.time.ZoneId.of("Europe/Paris");

    private final LocalDate date;
    private final String language;

    public DateView(LocalDate date, String language) {
        this.date = date;
        this.language = Messages.language(language);
    }

    /**
     * The one date format of each language everywhere the application shows a date (check table, account
     * card, mailbox, history, command line): 31/08/2025 in French, 2025-08-31 in English ({@code assets/page.js}
     * writes the same).
     */
    public static String day(LocalDate day, String language) {
        return day == null ? "" : day.format(Messages.language(language).equals("en") ? DAY_EN : DAY_FR);
    }

    /** The day and the time, "31/08/2025 14:05" / "2025-08-31 14:05", in {@link #ZONE}. */
    public static String dateTime(java.time.temporal.TemporalAccessor at, String language) {
        if (at == null) return "";
        java.time.ZonedDateTime t = at instanceof java.time.Instant i ? i.atZone(ZONE)
                : java.time.OffsetDateTime.from(at).atZoneSameInstant(ZONE);
        return day(t.toLocalDate(), language) + " " + t.format(TIME);
    }

    public String getLong() {
        return date.format(language.equals("en") ? LONG_EN : LONG_FR);
    }

    /** {@code $date.short}: the application's one short format of the language (31/08/2025, 2025-08-31). */
    public String getShort() {
        return day(date, language);
    }

    public String getIso() {
        return date.toString();
    }

    public int getYear() {
        return date.getYear();
    }

    @Override
    public String toString() {
        return getLong();
    }
}

package fr.publipostage.templates;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** {@code $date}: the day the letters are printed; prints as "12 septembre 2025" / "12 September 2025". */
public final class DateView implements TemplateView {
    private static final DateTimeFormatter LONG_FR = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.FRENCH);
    private static final DateTimeFormatter LONG_EN = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter SHORT_FR = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter SHORT_EN = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private final LocalDate date;
    private final String language;

    public DateView(LocalDate date, String language) {
        this.date = date;
        this.language = Messages.language(language);
    }

    public String getLong() {
        return date.format(language.equals("en") ? LONG_EN : LONG_FR);
    }

    public String getShort() {
        return date.format(language.equals("en") ? SHORT_EN : SHORT_FR);
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

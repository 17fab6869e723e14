package fr.publipostage.selection;

import java.time.Clock;
import java.time.LocalDate;
import java.time.Month;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one-click selections of DESIGN.md's distribution strategies: each fills the filters, the sort
 * and the layout. Parameters are those of {@link SelectionParser}; labels are the i18n keys
 * {@code preset.ID} and {@code preset.ID.hint}.
 */
public final class Presets {
    /** A school year starts on this day: accounts created since are this year's newcomers. */
    static final int SCHOOL_YEAR_MONTH = Month.AUGUST.getValue();

    private final Clock clock;

    public Presets(Clock clock) {
        this.clock = clock;
    }

    public record Preset(String id, Map<String, List<String>> parameters) {
    }

    public List<Preset> all() {
        return List.of(
                preset("teachers", "profile", "Teacher"),
                preset("pupils", "profile", "Student", "sort", "class", "cover", "yes"),
                preset("staff", "profile", "Personnel"),
                preset("parents", "profile", "Relative", "sort", "class", "cover", "yes"),
                // Parents by post (the school office): the window-envelope letter, at each parent's postal address.
                preset("parentsPost", "profile", "Relative", "layout", "postal"),
                preset("guests", "profile", "Guest"),
                preset("newcomers", "created-after", schoolYearStart().toString(), "sort", "profile,class"));
    }

    /** 1 August of the current school year (a school year runs from August to July). */
    public LocalDate schoolYearStart() {
        LocalDate today = LocalDate.now(clock);
        int year = today.getMonthValue() >= SCHOOL_YEAR_MONTH ? today.getYear() : today.getYear() - 1;
        return LocalDate.of(year, SCHOOL_YEAR_MONTH, 1);
    }

    private static Preset preset(String id, String... pairs) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) p.put(pairs[i], List.of(pairs[i + 1].split(",")));
        return new Preset(id, p);
    }
}

package fr.publipostage.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A selection survives the trip to parameters and back (audit events, background work); presets follow the school year. */
class SelectionParametersTest {
    private final SelectionParser parser = new SelectionParser();
    private final Set<String> levels = Set.of("Seconde", "Première");
    private final Set<String> classes = Set.of("2nde 1", "1re 2");

    @Test
    void parametersRoundTrip() {
        Map<String, List<String>> params = Map.ofEntries(
                Map.entry("profile", List.of("Élève,Parent")), Map.entry("level", List.of("Seconde")),
                Map.entry("class", List.of("2nde 1")), Map.entry("activation", List.of("pending")),
                Map.entry("email", List.of("without")), Map.entry("local-admin", List.of("no")),
                Map.entry("created-after", List.of("2026-08-01")), Map.entry("created-before", List.of("2026-10-01")),
                Map.entry("sort", List.of("class,profile")), Map.entry("layout", List.of("8")), Map.entry("cover", List.of("yes")),
                Map.entry("search-last", List.of("Lé, Fèvre")), Map.entry("search-class", List.of("2nde")),
                Map.entry("order", List.of("createdAt:desc")));
        Selection s = parser.parse(7, params, levels, classes);
        assertThat(s.search().lastName()).as("commas are text in a search box").isEqualTo("Lé, Fèvre");
        assertThat(s.order()).isEqualTo(new Selection.Order(Selection.Column.createdAt, true));
        assertThat(s.sortedByClass()).isFalse();
        assertThat(parser.parse(7, s.toParameters(), levels, classes)).isEqualTo(s);
        assertThat(Selection.everyone(7).toParameters()).isEmpty();
    }

    @Test
    void thePostalFilterAndTheWindowEnvelopeLayoutRoundTrip() {
        Selection s = parser.parse(7, Map.of("profile", List.of("Relative"), "postal", List.of("with"), "layout", List.of("postal"),
                "without-address", List.of("hand")), levels, classes);
        assertThat(s.postalLayout()).isTrue();
        assertThat(s.layout()).isEqualTo(1);
        assertThat(s.postal()).isEqualTo(Selection.PostalFilter.with);
        assertThat(s.postalPrint()).isEqualTo(new Selection.PostalPrint(Selection.PostalPrint.WithoutAddress.hand));
        assertThat(s.toParameters()).containsEntry("layout", List.of("postal")).containsEntry("without-address", List.of("hand"));
        assertThat(parser.parse(7, s.toParameters(), levels, classes)).isEqualTo(s);
        Selection refuse = parser.parse(7, Map.of("layout", List.of("postal")), levels, classes);
        assertThat(refuse.postalPrint()).isEqualTo(Selection.PostalPrint.DEFAULT);
        assertThat(parser.parse(7, Map.of("layout", List.of("1")), levels, classes).postalLayout()).isFalse();
        for (Map<String, List<String>> bad : List.of(Map.of("postal", List.of("maybe")),
                Map.of("without-address", List.of("hand")),
                Map.of("layout", List.of("postal"), "without-address", List.of("drop")),
                Map.of("layout", List.of("postal"), "cover", List.of("yes"), "sort", List.of("class")),
                Map.of("layout", List.of("enveloppe")))) {
            assertThatThrownBy(() -> parser.parse(7, bad, levels, classes)).as(bad.toString()).isInstanceOf(InvalidSelection.class);
        }
        assertThatThrownBy(() -> parser.parse(7, Map.of("postal", List.of("maybe")), levels, classes))
                .isInstanceOfSatisfying(InvalidSelection.class, e -> assertThat(e.key()).isEqualTo("selection.badPostal"));
    }

    @Test
    void searchTermsAreLikeEscaped() {
        Selection.Search search = new Selection.Search("50%_a\\b", " ", null);
        assertThat(search.lastNameLike()).isEqualTo("50\\%\\_a\\\\b");
        assertThat(search.firstName()).isNull();
        assertThatThrownBy(() -> parser.parse(7, Map.of("search-first", List.of("a\u0000b")), levels, classes))
                .isInstanceOfSatisfying(InvalidSelection.class, e -> assertThat(e.key()).isEqualTo("check.badSearch"));
    }

    @Test
    void newcomersStartOnTheFirstOfAugustOfTheCurrentSchoolYear() {
        assertThat(presetsAt("2026-11-24").schoolYearStart()).isEqualTo(LocalDate.of(2026, 8, 1));
        assertThat(presetsAt("2027-03-10").schoolYearStart()).isEqualTo(LocalDate.of(2026, 8, 1));
        assertThat(presetsAt("2026-08-01").schoolYearStart()).isEqualTo(LocalDate.of(2026, 8, 1));
        Presets.Preset newcomers = presetsAt("2026-11-24").all().stream().filter(p -> p.id().equals("newcomers")).findFirst().orElseThrow();
        assertThat(newcomers.parameters().get("created-after")).containsExactly("2026-08-01");
        for (Presets.Preset p : presetsAt("2026-11-24").all()) {
            assertThat(parser.parse(1, p.parameters(), levels, classes)).as(p.id()).isNotNull();
        }
    }

    private static Presets presetsAt(String day) {
        return new Presets(Clock.fixed(Instant.parse(day + "T10:00:00Z"), ZoneOffset.UTC));
    }
}

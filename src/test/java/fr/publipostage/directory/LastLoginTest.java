package fr.publipostage.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The ENT export's "Dernière connexion", in the forms it is found in; the rest is no date, never a refusal. */
class LastLoginTest {
    private static String utc(String cell) {
        return LastLogin.parse(cell).map(d -> d.toInstant().toString()).orElse("none");
    }

    @Test
    void readsTheFormsExportsAndSpreadsheetsWrite() {
        assertThat(utc("15/09/2026 08:30")).isEqualTo("2026-09-15T06:30:00Z");
        assertThat(utc("15/09/2026 08:30:12")).isEqualTo("2026-09-15T06:30:12Z");
        assertThat(utc("15/01/2026 08:30")).as("winter time").isEqualTo("2026-01-15T07:30:00Z");
        assertThat(utc("15/09/2026")).isEqualTo("2026-09-14T22:00:00Z");
        assertThat(utc("2026-09-15")).isEqualTo("2026-09-14T22:00:00Z");
        assertThat(utc("2026-09-15T08:30:00")).isEqualTo("2026-09-15T06:30:00Z");
        assertThat(utc("2026-09-15 08:30:00.123")).isEqualTo("2026-09-15T06:30:00.123Z");
        assertThat(utc("2026-09-15T08:30:00+02:00")).isEqualTo("2026-09-15T06:30:00Z");
        assertThat(utc("2026-09-15T06:30:00Z")).isEqualTo("2026-09-15T06:30:00Z");
        assertThat(utc("1789000000000")).isEqualTo("2026-09-10T00:26:40Z");
    }

    @Test
    void blankUnreadableOrFutureIsNoDate() {
        assertThat(utc(null)).isEqualTo("none");
        assertThat(utc("  ")).isEqualTo("none");
        assertThat(utc("jamais")).isEqualTo("none");
        assertThat(utc("31/02/2026")).isEqualTo("none");
        assertThat(utc(OffsetDateTime.now().plusDays(3).toString())).isEqualTo("none");
    }
}

package fr.publipostage.security;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditLogIT {
    @Test
    void recordsAndListsEventsOfAStructure() {
        try (TestDatabase.Fresh db = TestDatabase.fresh()) {
            App app = db.app();
            app.demo().loadIfEmpty();
            app.audit().record("admin.x", AuditEvent.CSV_EXPORT, 1L, 42, Map.of("profile", "Student"));
            var events = app.audit().recent(1L, 10);
            assertThat(events).hasSize(1);
            assertThat(events.get(0).adminLogin()).isEqualTo("admin.x");
            assertThat(events.get(0).accountCount()).isEqualTo(42);
            assertThat(events.get(0).details()).contains("\"profile\"").contains("Student");
            assertThat(events.get(0).at()).isNotNull();
        }
    }
}

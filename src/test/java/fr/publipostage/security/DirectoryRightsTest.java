package fr.publipostage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mapping rules of DirectoryRights, account by account. */
class DirectoryRightsTest {
    private final DirectoryRights rights = new DirectoryRights(List.of("head_teacher", " PROF_PRINCIPAL "));

    private static DirectoryRights.DirectoryAccount account(long structure, String profile, List<String> functions, boolean blocked,
                                                            String... classIds) {
        return new DirectoryRights.DirectoryAccount(structure, "033000" + structure + "X", profile, "Léa", "Martin", functions,
                blocked, List.of(classIds));
    }

    @Test
    void adminLocalIsLocalAdminOfThatStructureOnly() {
        var r = rights.of(List.of(account(1, "Personnel", List.of("ADMIN_LOCAL"), false), account(2, "Personnel", List.of(), false)), false);
        assertThat(r.superAdmin()).isFalse();
        assertThat(r.localAdminOf()).containsExactly(1L);
        assertThat(r.classTeacherOf()).isEmpty();
        assertThat(r.any()).isTrue();
        assertThat(r.displayName()).isEqualTo("Léa Martin");
    }

    @Test
    void superAdminAnywhereMakesASuperAdmin() {
        assertThat(rights.of(List.of(account(1, "Personnel", List.of("SUPER_ADMIN"), false)), false).superAdmin()).isTrue();
    }

    @Test
    void aBlockedAccountGivesNothing() {
        var r = rights.of(List.of(account(1, "Personnel", List.of("ADMIN_LOCAL", "SUPER_ADMIN"), true),
                account(2, "Teacher", List.of("HEAD_TEACHER"), true, "5")), true);
        assertThat(r.any()).isFalse();
        assertThat(r.displayName()).isNotNull();
    }

    @Test
    void aTeacherWithAClassTeacherFunctionIsClassTeacherOfHisClasses() {
        var r = rights.of(List.of(account(1, "Teacher", List.of("PROF_PRINCIPAL"), false, "12", "7"),
                account(2, "Teacher", List.of(), false, "9")), false);
        assertThat(r.classTeacherOf()).isEqualTo(Map.of(1L, List.of(7L, 12L)));
        assertThat(r.localAdminOf()).isEmpty();
    }

    @Test
    void theProvidersClaimCountsForTeachersOnlyAndOnlyWithClasses() {
        var r = rights.of(List.of(account(1, "Teacher", List.of(), false, "3"), account(2, "Personnel", List.of(), false, "4"),
                account(3, "Teacher", List.of(), false)), true);
        assertThat(r.classTeacherOf()).isEqualTo(Map.of(1L, List.of(3L)));
        assertThat(rights.of(List.of(account(1, "Teacher", List.of(), false, "3")), false).any()).isFalse();
    }

    @Test
    void whereHeIsLocalAdminHeIsNotAlsoClassTeacher() {
        var r = rights.of(List.of(account(1, "Teacher", List.of("ADMIN_LOCAL", "HEAD_TEACHER"), false, "3")), false);
        assertThat(r.localAdminOf()).isEqualTo(Set.of(1L));
        assertThat(r.classTeacherOf()).isEmpty();
    }

    @Test
    void pupilsParentsGuestsAndPlainStaffGetNothing() {
        for (String profile : List.of("Student", "Relative", "Guest", "Personnel", "Teacher")) {
            assertThat(rights.of(List.of(account(1, profile, List.of("ENS"), false, "1")), false).any()).as(profile).isFalse();
        }
        assertThat(rights.of(List.of(), false).displayName()).isNull();
    }
}

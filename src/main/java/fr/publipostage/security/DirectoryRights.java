package fr.publipostage.security;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.ibatis.session.SqlSession;

/**
 * The rights of a person of the OpenID Connect provider, read from the imported directory: every
 * unblocked account with his login (one per structure he belongs to) gives what its functions say.
 * <ul>
 * <li>{@code SUPER_ADMIN} on any of them: super admin (read in {@code AdminMapper.xml}, so that
 * {@link Admin#superAdmin()} is right everywhere);</li>
 * <li>{@code ADMIN_LOCAL}: local admin of that account's structure;</li>
 * <li>a Teacher account with a class-teacher function ({@code PUBLIPOSTAGE_OIDC_CLASS_TEACHER_FUNCTIONS}),
 * or whose provider asserted one at login ({@code PUBLIPOSTAGE_OIDC_CLASS_TEACHER_CLAIM}): class
 * teacher of that account's classes in that structure (where he is not local admin);</li>
 * <li>nothing else: no right at all (guests, parents, pupils, plain teachers and staff).</li>
 * </ul>
 * Read at every request, so a re-import that removes a function takes the right away at once.
 */
public final class DirectoryRights {
    public static final String SUPER_ADMIN = "SUPER_ADMIN";
    public static final String ADMIN_LOCAL = "ADMIN_LOCAL";

    private final Set<String> classTeacherFunctions;

    public DirectoryRights(Collection<String> classTeacherFunctions) {
        Set<String> upper = new TreeSet<>();
        for (String f : classTeacherFunctions) {
            if (!f.isBlank()) upper.add(f.strip().toUpperCase(Locale.ROOT));
        }
        this.classTeacherFunctions = Set.copyOf(upper);
    }

    /** The functions that make a teacher the class teacher of his classes. */
    public Set<String> classTeacherFunctions() {
        return classTeacherFunctions;
    }

    /** One account of the directory with the login, as the rights need it. */
    public record DirectoryAccount(long structureId, String uai, String profile, String firstName, String lastName,
                                   List<String> functions, boolean blocked, List<String> classIds) {
    }

    /**
     * What the directory makes of one login.
     *
     * @param localAdminOf   structure ids where he is local admin
     * @param classTeacherOf structure id → his class ids there, where he is class teacher
     * @param displayName    first and last name of his first account (null when he has none)
     */
    public record Rights(boolean superAdmin, Set<Long> localAdminOf, Map<Long, List<Long>> classTeacherOf,
                         String displayName) {
        public boolean any() {
            return superAdmin || !localAdminOf.isEmpty() || !classTeacherOf.isEmpty();
        }
    }

    /** The rights of a directory login; {@code providerClassTeacher}: the provider's class-teacher claim. */
    public Rights of(SqlSession session, String directoryLogin, boolean providerClassTeacher) {
        List<DirectoryAccount> accounts = session.getMapper(AdminMapper.class)
                .directoryAccounts(directoryLogin.toLowerCase(Locale.ROOT));
        return of(accounts, providerClassTeacher);
    }

    Rights of(List<DirectoryAccount> accounts, boolean providerClassTeacher) {
        boolean superAdmin = false;
        Set<Long> localAdminOf = new TreeSet<>();
        Map<Long, List<Long>> classTeacherOf = new LinkedHashMap<>();
        String displayName = null;
        for (DirectoryAccount a : accounts) {
            if (displayName == null) displayName = a.firstName() + " " + a.lastName();
            if (a.blocked()) continue;
            if (a.functions().contains(SUPER_ADMIN)) superAdmin = true;
            if (a.functions().contains(ADMIN_LOCAL)) localAdminOf.add(a.structureId());
        }
        for (DirectoryAccount a : accounts) {
            if (a.blocked() || !"Teacher".equals(a.profile()) || localAdminOf.contains(a.structureId())) continue;
            boolean classTeacher = providerClassTeacher || a.functions().stream().anyMatch(classTeacherFunctions::contains);
            if (!classTeacher || a.classIds().isEmpty()) continue;
            classTeacherOf.put(a.structureId(), a.classIds().stream().map(Long::valueOf).sorted().toList());
        }
        return new Rights(superAdmin, Set.copyOf(localAdminOf), Map.copyOf(classTeacherOf), displayName);
    }
}

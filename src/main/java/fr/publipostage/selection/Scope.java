package fr.publipostage.selection;

import fr.publipostage.directory.Profile;
import fr.publipostage.security.StructureAccess;
import java.util.List;

/**
 * What the viewer may see inside a structure, added to every selection query: local admins never
 * see SUPER_ADMIN accounts; a class teacher sees only the pupils and parents of his classes.
 */
public record Scope(boolean hideSuperAdmins, List<Long> onlyClassIds) {
    public static final Scope EVERYTHING = new Scope(false, null);
    public static final Scope LOCAL_ADMIN = new Scope(true, null);

    public Scope {
        onlyClassIds = onlyClassIds == null ? null : List.copyOf(onlyClassIds);
    }

    /** The profiles this viewer can ever select: a class teacher sees pupils and parents only. */
    public List<Profile> profiles() {
        if (onlyClassIds != null) return List.of(Profile.Student, Profile.Relative);
        return List.of(Profile.values());
    }

    /** The scope of an admin's right on a structure ({@code security.AccessControl}). */
    public static Scope of(StructureAccess access) {
        return new Scope(access.hideSuperAdmins(), access.onlyClassIds());
    }
}

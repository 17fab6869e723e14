package fr.publipostage.security;

import fr.publipostage.directory.DirectoryMapper;
import fr.publipostage.directory.Structure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The one answer to "may this admin act on this structure, and seeing what?". Every web handler
 * that touches a structure asks {@link #forStructure}; the letters and mailing work does too.
 */
public final class AccessControl {
    private final SqlSessionFactory sessions;
    private final DirectoryRights directoryRights;

    /** @param directoryRights the rights of admins of the OpenID Connect provider, read from the directory */
    public AccessControl(SqlSessionFactory sessions, DirectoryRights directoryRights) {
        this.sessions = sessions;
        this.directoryRights = directoryRights;
    }

    /**
     * The admin's right on the structure with this UAI.
     *
     * @throws AccessDenied not found when no such structure exists, forbidden when it is not his
     */
    public StructureAccess forStructure(Admin admin, String uai) {
        try (SqlSession session = sessions.openSession(true)) {
            Structure structure = uai == null ? null : session.getMapper(DirectoryMapper.class).findStructureByUai(uai);
            if (structure == null) throw AccessDenied.notFound();
            StructureAccess access = access(session, admin, structure);
            if (access == null) throw AccessDenied.forbidden();
            return access;
        }
    }

    /** Every structure the admin may use, by name. */
    public List<StructureAccess> structures(Admin admin) {
        try (SqlSession session = sessions.openSession(true)) {
            DirectoryMapper directory = session.getMapper(DirectoryMapper.class);
            List<StructureAccess> out = new ArrayList<>();
            if (admin.superAdmin()) {
                for (Structure s : directory.listStructures()) out.add(access(session, admin, s));
                return out;
            }
            if (admin.fromProvider()) {
                DirectoryRights.Rights rights = directoryRights.of(session, admin.directoryLogin(), admin.providerClassTeacher());
                for (Structure s : directory.listStructures()) {
                    StructureAccess a = fromDirectory(rights, s);
                    if (a != null) out.add(a);
                }
                return out;
            }
            AdminMapper admins = session.getMapper(AdminMapper.class);
            Set<String> uais = new TreeSet<>(admins.structureUais(admin.id()));
            uais.addAll(admins.classStructureUais(admin.id()));
            for (Structure s : directory.listStructures()) {
                if (uais.contains(s.uai())) out.add(access(session, admin, s));
            }
            return out;
        }
    }

    private StructureAccess access(SqlSession session, Admin admin, Structure structure) {
        if (admin.superAdmin()) return new StructureAccess(structure, Role.SUPER_ADMIN, false, null);
        // A person of the provider: the directory alone, never admin_structure / admin_class (no union
        // with a local admin of the same login, which is another admin row).
        if (admin.fromProvider()) {
            return fromDirectory(directoryRights.of(session, admin.directoryLogin(), admin.providerClassTeacher()), structure);
        }
        AdminMapper admins = session.getMapper(AdminMapper.class);
        if (admins.structureUais(admin.id()).contains(structure.uai())) {
            return new StructureAccess(structure, Role.LOCAL_ADMIN, true, null);
        }
        List<Long> classIds = admins.classIds(admin.id(), structure.id());
        if (!classIds.isEmpty()) return new StructureAccess(structure, Role.CLASS_TEACHER, true, classIds);
        return null;
    }

    private static StructureAccess fromDirectory(DirectoryRights.Rights rights, Structure structure) {
        if (rights.superAdmin()) return new StructureAccess(structure, Role.SUPER_ADMIN, false, null);
        if (rights.localAdminOf().contains(structure.id())) return new StructureAccess(structure, Role.LOCAL_ADMIN, true, null);
        List<Long> classIds = rights.classTeacherOf().get(structure.id());
        if (classIds != null) return new StructureAccess(structure, Role.CLASS_TEACHER, true, classIds);
        return null;
    }
}

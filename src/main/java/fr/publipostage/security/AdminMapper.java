package fr.publipostage.security;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** Admins and the structures they manage. SQL in AdminMapper.xml. */
public interface AdminMapper {
    Admin findByLogin(@Param("login") String login);

    long insert(@Param("login") String login, @Param("displayName") String displayName,
                @Param("passwordHash") String passwordHash, @Param("superAdmin") boolean superAdmin,
                @Param("oneTimePassword") boolean oneTimePassword);

    void updatePassword(@Param("id") long id, @Param("passwordHash") String passwordHash,
                        @Param("oneTimePassword") boolean oneTimePassword);

    void linkStructure(@Param("adminId") long adminId, @Param("uai") String uai);

    void unlinkStructures(@Param("adminId") long adminId);

    List<String> structureUais(@Param("adminId") long adminId);

    List<Admin> listOneTimePasswordAdmins();

    int count();
}

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

    /** A new one-time password given by an operator (admin reset-password): kept by later starts. */
    void resetPassword(@Param("id") long id, @Param("passwordHash") String passwordHash);

    int endSessions(@Param("adminId") long adminId);

    List<AdminService.KeptOneTimePassword> listKeptOneTimePasswordAdmins();

    void linkStructure(@Param("adminId") long adminId, @Param("uai") String uai);

    void unlinkStructures(@Param("adminId") long adminId);

    List<String> structureUais(@Param("adminId") long adminId);

    /** Admins whose one-time password a start of serve renews (not those given by admin reset-password). */
    List<Admin> listOneTimePasswordAdmins();

    int count();

    Admin findById(@Param("id") long id);

    /** Links a class teacher to a class of a structure; 0 when the class does not exist there. */
    int linkClass(@Param("adminId") long adminId, @Param("uai") String uai, @Param("className") String className);

    /** Ids of the classes of this admin in this structure (class-teacher role). */
    List<Long> classIds(@Param("adminId") long adminId, @Param("structureId") long structureId);

    /** UAIs of the structures where this admin teaches a class. */
    List<String> classStructureUais(@Param("adminId") long adminId);

    void setTotpSecret(@Param("id") long id, @Param("secret") String secret);

    /** Records the TOTP step just used; 0 when this step (or a later one) was used already: a replay. */
    int useTotpStep(@Param("id") long id, @Param("step") long step);

    /** Locks the admin's row for the rest of the transaction: TOTP attempts of one admin are counted one by one. */
    Long lockForTotp(@Param("id") long id);

    /**
     * Seconds until the admin may try a TOTP code again: null while he has fewer than {@code max} wrong
     * codes within the last {@code minutes}; else until the oldest of the last {@code max} leaves the window.
     */
    Long totpWaitSeconds(@Param("id") long id, @Param("minutes") int minutes, @Param("max") int max);

    void insertTotpFailure(@Param("id") long id);

    void clearTotpFailures(@Param("id") long id);

    /** Creates or refreshes the admin row of a person of the provider; returns its id. */
    long upsertProviderAdmin(@Param("directoryLogin") String directoryLogin, @Param("displayName") String displayName,
                             @Param("classTeacher") boolean classTeacher);

    /** The directory's accounts with this login (lower case), in every structure: the source of DirectoryRights. */
    List<DirectoryRights.DirectoryAccount> directoryAccounts(@Param("login") String login);

    void updateLanguage(@Param("id") long id, @Param("language") String language);
}

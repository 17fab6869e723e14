package fr.publipostage.sso;

import org.apache.ibatis.annotations.Param;

/** Logins started at the provider and not yet come back. SQL in OidcMapper.xml. */
public interface OidcMapper {
    void insertPending(@Param("stateHash") String stateHash, @Param("bindingHash") String bindingHash,
                       @Param("nonce") String nonce, @Param("codeVerifier") String codeVerifier,
                       @Param("reauthSession") String reauthSession);

    /** Takes (deletes) the pending login of this state: null when unknown or already taken. */
    Pending takePending(@Param("stateHash") String stateHash, @Param("maxMinutes") int maxMinutes);

    int purgePending(@Param("maxMinutes") int maxMinutes);

    /** Unblocked accounts of the directory whose functions give a right at a single sign-on (for the start-up lines). */
    java.util.List<DirectoryAdmin> directoryAdmins(@Param("classTeacherFunctions") java.util.List<String> classTeacherFunctions,
                                                    @Param("limit") int limit);

    record DirectoryAdmin(String login, String uai, java.util.List<String> functions) {
    }

    /** @param fresh started less than the allowed minutes ago */
    record Pending(String bindingHash, String nonce, String codeVerifier, String reauthSession, boolean fresh) {
    }
}

package fr.publipostage.security;

import java.time.OffsetDateTime;
import org.apache.ibatis.annotations.Param;

/** Web sessions and failed logins. SQL in SessionMapper.xml. */
public interface SessionMapper {
    void insert(@Param("tokenHash") String tokenHash, @Param("adminId") long adminId, @Param("csrf") String csrf);

    /**
     * A session opened by the OpenID Connect provider; {@code secondFactorUntil} (may be null) is until
     * when the second factor the provider asserted (at {@code secondFactorAt}) allows outputs carrying credentials.
     */
    void insertFromProvider(@Param("tokenHash") String tokenHash, @Param("adminId") long adminId, @Param("csrf") String csrf,
                            @Param("idToken") String idToken, @Param("secondFactorAt") OffsetDateTime secondFactorAt,
                            @Param("secondFactorUntil") OffsetDateTime secondFactorUntil);

    /** The provider's ID token of a session (for the logout at the provider), or null. */
    String idToken(@Param("tokenHash") String tokenHash);

    /** The session when it exists and is neither idle too long nor too old. */
    SessionRow find(@Param("tokenHash") String tokenHash, @Param("idleMinutes") int idleMinutes,
                    @Param("maxHours") int maxHours);

    void touch(@Param("tokenHash") String tokenHash);

    void delete(@Param("tokenHash") String tokenHash);

    void deleteOthers(@Param("adminId") long adminId, @Param("keepTokenHash") String keepTokenHash);

    int deleteExpired(@Param("idleMinutes") int idleMinutes, @Param("maxHours") int maxHours);

    void setTotpFresh(@Param("tokenHash") String tokenHash, @Param("minutes") int minutes);

    void setTotpPending(@Param("tokenHash") String tokenHash, @Param("secret") String secret);

    /** The admin's sessions forget any fresh TOTP code and enrolment in progress (his authenticator was reset). */
    void forgetTotp(@Param("adminId") long adminId);

    void insertFailure(@Param("login") String login, @Param("address") String address);

    /**
     * Login attempts on this login, then from this address, are counted one at a time (all instances)
     * until the transaction ends: always in this order, so two attempts never wait on each other in a circle.
     */
    void lockFailuresOfLogin(@Param("login") String login);

    void lockFailuresOfAddress(@Param("address") String address);

    int countFailuresByLogin(@Param("login") String login, @Param("minutes") int minutes);

    int countFailuresByAddress(@Param("address") String address, @Param("minutes") int minutes);

    void clearFailures(@Param("login") String login);

    void purgeFailures(@Param("minutes") int minutes);

    record SessionRow(String tokenHash, long adminId, String csrfToken, OffsetDateTime createdAt,
                      OffsetDateTime totpFreshUntil, String totpPending, boolean totpFresh, String loginVia,
                      String secondFactorVia) {
    }
}

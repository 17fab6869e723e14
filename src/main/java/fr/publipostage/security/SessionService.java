package fr.publipostage.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * Web sessions kept in PostgreSQL, so that every instance knows them. The cookie carries a random
 * token; the table keeps only its SHA-256. A session ends after {@code idleMinutes} without use, and
 * in any case {@link #MAX_HOURS} after login.
 */
public final class SessionService {
    public static final int MAX_HOURS = 12;

    private final SqlSessionFactory sessions;
    private final SecureRandom random;
    private final int idleMinutes;

    public SessionService(SqlSessionFactory sessions, SecureRandom random, int idleMinutes) {
        this.sessions = sessions;
        this.random = random;
        this.idleMinutes = idleMinutes;
    }

    /** A new session for the admin; the token goes into the cookie and nowhere else. */
    public record Opened(String token, WebSession session) {
    }

    public Opened open(Admin admin) {
        String token = randomToken();
        String csrf = randomToken();
        String hash = hash(token);
        try (SqlSession session = sessions.openSession(true)) {
            SessionMapper mapper = session.getMapper(SessionMapper.class);
            mapper.deleteExpired(idleMinutes, MAX_HOURS);
            mapper.insert(hash, admin.id(), csrf);
        }
        return new Opened(token, new WebSession(hash, admin, csrf, false, null, false, null));
    }

    /**
     * A new session for an admin of the OpenID Connect provider: the same session as a password
     * login (cookie, CSRF, idle and absolute timeouts), plus the provider's ID token for the logout at
     * the provider, and its second factor when it asserted one.
     *
     * @param secondFactorAt    when the provider checked the second factor (its auth_time); ignored without one
     * @param secondFactorUntil until when the provider's second factor allows credential outputs; null = none
     */
    public Opened openFromProvider(Admin admin, String idToken, Instant secondFactorAt, Instant secondFactorUntil) {
        String token = randomToken();
        String csrf = randomToken();
        String hash = hash(token);
        OffsetDateTime until = secondFactorUntil == null ? null : secondFactorUntil.atOffset(ZoneOffset.UTC);
        try (SqlSession session = sessions.openSession(true)) {
            SessionMapper mapper = session.getMapper(SessionMapper.class);
            mapper.deleteExpired(idleMinutes, MAX_HOURS);
            mapper.insertFromProvider(hash, admin.id(), csrf, idToken,
                    secondFactorAt == null ? null : secondFactorAt.atOffset(ZoneOffset.UTC), until);
        }
        boolean fresh = secondFactorUntil != null && secondFactorUntil.isAfter(Instant.now());
        return new Opened(token, new WebSession(hash, admin, csrf, fresh, null, true, fresh ? "provider" : null));
    }

    /** The provider's ID token of this session (null for a password session). */
    public String idToken(WebSession web) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(SessionMapper.class).idToken(web.tokenHash());
        }
    }

    /** Ends the session whose token hash this is (a session replaced by a new login through the provider). */
    public void closeByHash(String tokenHash) {
        try (SqlSession session = sessions.openSession(true)) {
            session.getMapper(SessionMapper.class).delete(tokenHash);
        }
    }

    /** The live session of this cookie token, with its admin as stored now. */
    public Optional<WebSession> find(String token) {
        if (token == null || token.isBlank() || token.length() > 100) return Optional.empty();
        String hash = hash(token);
        try (SqlSession session = sessions.openSession(true)) {
            SessionMapper mapper = session.getMapper(SessionMapper.class);
            SessionMapper.SessionRow row = mapper.find(hash, idleMinutes, MAX_HOURS);
            if (row == null) return Optional.empty();
            Admin admin = session.getMapper(AdminMapper.class).findById(row.adminId());
            if (admin == null) return Optional.empty();
            mapper.touch(hash);
            return Optional.of(new WebSession(hash, admin, row.csrfToken(), row.totpFresh(), row.totpPending(),
                    "oidc".equals(row.loginVia()), row.secondFactorVia()));
        }
    }

    public void close(WebSession web) {
        try (SqlSession session = sessions.openSession(true)) {
            session.getMapper(SessionMapper.class).delete(web.tokenHash());
        }
    }

    /** Ends the admin's other sessions (after a password change). */
    public void closeOthers(WebSession web) {
        try (SqlSession session = sessions.openSession(true)) {
            session.getMapper(SessionMapper.class).deleteOthers(web.admin().id(), web.tokenHash());
        }
    }

    void markTotpFresh(WebSession web, int minutes) {
        try (SqlSession session = sessions.openSession(true)) {
            session.getMapper(SessionMapper.class).setTotpFresh(web.tokenHash(), minutes);
        }
    }

    void setTotpPending(WebSession web, String secret) {
        try (SqlSession session = sessions.openSession(true)) {
            session.getMapper(SessionMapper.class).setTotpPending(web.tokenHash(), secret);
        }
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package fr.publipostage.security;

import java.util.Locale;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging in: throttled per login and per address (counted in PostgreSQL, so across instances),
 * one generic answer for an unknown login and a wrong password.
 */
public final class LoginService {
    private static final Logger LOG = LoggerFactory.getLogger(LoginService.class);
    /** Failures counted over this window. */
    public static final int WINDOW_MINUTES = 15;
    /** Failed attempts on one login within the window before it is refused without checking. */
    public static final int MAX_FAILURES_PER_LOGIN = 5;
    /** Failed attempts from one address within the window before it is refused without checking. */
    public static final int MAX_FAILURES_PER_ADDRESS = 20;

    private final SqlSessionFactory sessions;
    private final AdminService admins;
    private final SessionService webSessions;

    public LoginService(SqlSessionFactory sessions, AdminService admins, SessionService webSessions) {
        this.sessions = sessions;
        this.admins = admins;
        this.webSessions = webSessions;
    }

    public sealed interface Result permits LoggedIn, Refused, Throttled {
    }

    public record LoggedIn(SessionService.Opened opened) implements Result {
    }

    /** Unknown login or wrong password: which one is never said. */
    public record Refused() implements Result {
    }

    /** Too many failures lately for this login or this address. */
    public record Throttled() implements Result {
    }

    /**
     * What a log line may say of a typed login: an admin's login, else nothing (someone who typed his
     * password in the login field must not find it in the logs).
     */
    private String loggable(String login) {
        return !login.isEmpty() && admins.findByLogin(login).isPresent() ? login : "(unknown login)";
    }

    public Result login(String login, String password, String address) {
        String key = login == null ? "" : login.strip().toLowerCase(Locale.ROOT);
        String from = address == null ? "" : address;
        // The attempt is counted as a failure before its password is checked (and forgiven when it is
        // right): attempts sent in parallel see each other, so a burst gets no more checks than the limits.
        boolean throttled;
        try (SqlSession session = sessions.openSession(false)) {
            SessionMapper mapper = session.getMapper(SessionMapper.class);
            mapper.lockFailuresOfLogin(key);
            mapper.lockFailuresOfAddress(from);
            throttled = mapper.countFailuresByLogin(key, WINDOW_MINUTES) >= MAX_FAILURES_PER_LOGIN
                    || mapper.countFailuresByAddress(from, WINDOW_MINUTES) >= MAX_FAILURES_PER_ADDRESS;
            // A throttled attempt is not counted: nothing was checked, and counting it would let anyone who
            // keeps retrying (or a whole school behind one address) keep the lock on for ever.
            if (!throttled) mapper.insertFailure(key, from);
            session.commit(true);
        }
        if (throttled) {
            // After the connection is back: a burst must not hold every connection while asking for one more.
            LOG.warn("login throttled: {} from {}", loggable(key), from);
            return new Throttled();
        }
        Optional<Admin> admin = admins.authenticate(login == null ? null : login.strip(), password);
        try (SqlSession session = sessions.openSession(true)) {
            SessionMapper mapper = session.getMapper(SessionMapper.class);
            // A wrong password keeps the failure counted above; a right one clears the login's failures.
            if (admin.isEmpty()) mapper.purgeFailures(24 * 60);
            else mapper.clearFailures(key);
        }
        if (admin.isEmpty()) {
            LOG.info("login refused: {} from {}", loggable(key), from);
            return new Refused();
        }
        LOG.info("login: {} from {}", admin.get().login(), from);
        return new LoggedIn(webSessions.open(admin.get()));
    }
}

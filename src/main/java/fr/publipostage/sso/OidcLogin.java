package fr.publipostage.sso;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.AMR;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import fr.publipostage.security.Admin;
import fr.publipostage.security.AdminMapper;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.security.AuditLog;
import fr.publipostage.security.DirectoryRights;
import fr.publipostage.security.SessionService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A login through the OpenID Connect provider, from the button to the session: {@link #start} keeps
 * state, nonce and PKCE verifier in PostgreSQL (keyed by the state's hash, bound to the browser by a
 * random token in a cookie) and gives the provider's address; {@link #finish} takes that row once,
 * has the code exchanged and the ID token checked by {@link OidcProvider}, matches the login claim to
 * the directory ({@link DirectoryRights}), refuses (and audits) a person with no right, and opens the
 * same PostgreSQL session as a password login. Knows nothing of HTTP.
 */
public final class OidcLogin {
    private static final Logger LOG = LoggerFactory.getLogger(OidcLogin.class);
    /** A login started at the provider must come back within this time. */
    public static final int PENDING_MINUTES = 10;
    public static final String AUDIT_LOGIN = "oidc-login";
    public static final String AUDIT_REFUSED = "oidc-login-refused";

    private final OidcSettings settings;
    private final OidcProvider provider;
    private final SqlSessionFactory sessions;
    private final DirectoryRights rights;
    private final SessionService webSessions;
    private final AuditLog audit;
    private final SecureRandom random;

    public OidcLogin(OidcSettings settings, OidcProvider provider, SqlSessionFactory sessions, DirectoryRights rights,
                     SessionService webSessions, AuditLog audit, SecureRandom random) {
        this.settings = settings;
        this.provider = provider;
        this.sessions = sessions;
        this.rights = rights;
        this.webSessions = webSessions;
        this.audit = audit;
        this.random = random;
    }

    public OidcSettings settings() {
        return settings;
    }

    /** Where to send the browser, and the token its cookie must carry back. */
    public record Started(URI authorizationUri, String bindingToken) {
    }

    /**
     * Starts a login. {@code fresh}: the provider must authenticate again now (a step-up);
     * {@code replacedSession}: the token hash of the browser's current session, closed when the login succeeds.
     */
    public Started start(URI redirectUri, boolean fresh, String replacedSession) {
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        String binding = randomToken();
        URI uri = provider.authorizationUri(redirectUri, state, nonce, verifier, fresh);
        try (SqlSession session = sessions.openSession(true)) {
            OidcMapper mapper = session.getMapper(OidcMapper.class);
            mapper.purgePending(PENDING_MINUTES);
            mapper.insertPending(hash(state.getValue()), hash(binding), nonce.getValue(), verifier.getValue(), replacedSession);
        }
        return new Started(uri, binding);
    }

    /** What the provider sent back to the redirect URI. */
    public record Callback(String state, String code, String error, String errorDescription) {
    }

    /** A person of the provider logged in, with the session to give his browser. */
    public record LoggedIn(SessionService.Opened opened, Admin admin, boolean providerSecondFactor) {
    }

    /**
     * Ends a login: the state must be one this server started for this browser (binding token), less
     * than {@link #PENDING_MINUTES} ago, and never used; then the code, the ID token and the directory.
     *
     * @throws OidcFailure with the reason to show
     */
    public LoggedIn finish(URI redirectUri, String bindingToken, Callback callback) {
        if (callback.state() == null || callback.state().isBlank() || callback.state().length() > 512) {
            throw new OidcFailure(OidcFailure.Reason.EXPIRED, "callback without state");
        }
        OidcMapper.Pending pending;
        try (SqlSession session = sessions.openSession(true)) {
            pending = session.getMapper(OidcMapper.class).takePending(hash(callback.state()), PENDING_MINUTES);
        }
        if (pending == null) throw new OidcFailure(OidcFailure.Reason.EXPIRED, "state unknown or already used");
        if (!pending.fresh()) throw new OidcFailure(OidcFailure.Reason.EXPIRED, "login started more than " + PENDING_MINUTES + " minutes ago");
        if (bindingToken == null || !MessageDigest.isEqual(hash(bindingToken).getBytes(StandardCharsets.US_ASCII),
                pending.bindingHash().getBytes(StandardCharsets.US_ASCII))) {
            throw new OidcFailure(OidcFailure.Reason.EXPIRED, "state started by another browser (binding cookie missing or different)");
        }
        if (callback.error() != null) {
            throw new OidcFailure(OidcFailure.Reason.PROVIDER_ERROR, "provider answered " + loggable(callback.error())
                    + (callback.errorDescription() == null ? "" : " (" + loggable(callback.errorDescription()) + ")"));
        }
        if (callback.code() == null || callback.code().isBlank()) throw new OidcFailure(OidcFailure.Reason.PROVIDER_ERROR, "callback without code");

        OidcProvider.Tokens tokens = provider.exchange(callback.code(), redirectUri, new CodeVerifier(pending.codeVerifier()));
        IDTokenClaimsSet claims = provider.validate(tokens.idToken(), new Nonce(pending.nonce()));
        Map<String, Object> userInfo = null;
        String login = stringClaim(claims.getClaim(settings.loginClaim()));
        Object classTeacherClaim = settings.classTeacherClaim().isEmpty() ? null : claims.getClaim(settings.classTeacherClaim());
        if (login == null) {
            userInfo = provider.userInfo(tokens.accessToken(), claims.getSubject().getValue()).orElse(Map.of());
            login = stringClaim(userInfo.get(settings.loginClaim()));
        }
        if (classTeacherClaim == null && !settings.classTeacherClaim().isEmpty()) {
            if (userInfo == null) {
                try {
                    userInfo = provider.userInfo(tokens.accessToken(), claims.getSubject().getValue()).orElse(Map.of());
                } catch (OidcFailure e) {
                    // Only the class-teacher claim was looked for: the directory's functions still count.
                    LOG.warn("userinfo for the class-teacher claim failed ({}): {}", e.reason(), e.getMessage());
                    userInfo = Map.of();
                }
            }
            classTeacherClaim = userInfo.get(settings.classTeacherClaim());
        }
        if (login == null || login.isBlank()) {
            throw new OidcFailure(OidcFailure.Reason.NO_LOGIN, "neither the ID token nor userinfo has the claim \""
                    + settings.loginClaim() + "\" (subject " + claims.getSubject() + ")");
        }
        String directoryLogin = login.strip().toLowerCase(Locale.ROOT);
        boolean providerClassTeacher = mentionsAny(classTeacherClaim, rights.classTeacherFunctions());
        String auditLogin = Admin.PROVIDER_LOGIN_PREFIX + directoryLogin;

        DirectoryRights.Rights granted;
        Admin admin;
        try (SqlSession session = sessions.openSession(true)) {
            granted = rights.of(session, directoryLogin, providerClassTeacher);
            if (!granted.any()) {
                boolean known = granted.displayName() != null;
                audit.record(auditLogin, AUDIT_REFUSED, null, null, details(claims, granted, false,
                        known ? "no-rights" : "no-account"));
                throw new OidcFailure(known ? OidcFailure.Reason.NO_RIGHTS : OidcFailure.Reason.NO_ACCOUNT,
                        "login \"" + directoryLogin + "\" (subject " + claims.getSubject() + ") "
                                + (known ? "has no ADMIN_LOCAL, SUPER_ADMIN or class-teacher function in the directory"
                                : "matches no account of the directory"));
            }
            String name = granted.displayName() != null ? granted.displayName()
                    : Optional.ofNullable(stringClaim(claims.getClaim("name"))).orElse(login);
            AdminMapper admins = session.getMapper(AdminMapper.class);
            long id = admins.upsertProviderAdmin(directoryLogin, name, providerClassTeacher);
            admin = admins.findById(id);
        }
        boolean secondFactor = providerSecondFactor(claims);
        Instant authenticated = claims.getAuthenticationTime() != null ? claims.getAuthenticationTime().toInstant()
                : claims.getIssueTime().toInstant();
        Instant until = secondFactor ? authenticated.plus(Duration.ofMinutes(settings.mfaFreshMinutes())) : null;
        if (pending.reauthSession() != null) webSessions.closeByHash(pending.reauthSession());
        SessionService.Opened opened = webSessions.openFromProvider(admin, tokens.idToken().serialize(), authenticated, until);
        audit.record(auditLogin, AUDIT_LOGIN, null, null, details(claims, granted, secondFactor, null));
        LOG.info("single sign-on of {} (subject {}): super admin {}, local admin of {} structure(s), class teacher in {}, second factor {}",
                directoryLogin, claims.getSubject(), granted.superAdmin(), granted.localAdminOf().size(),
                granted.classTeacherOf().size(), secondFactor);
        return new LoggedIn(opened, admin, secondFactor);
    }

    /** The directory's accounts that a single sign-on lets in (at most {@code limit}), for the start-up lines. */
    public List<OidcMapper.DirectoryAdmin> directoryAdmins(int limit) {
        try (SqlSession session = sessions.openSession(true)) {
            return session.getMapper(OidcMapper.class).directoryAdmins(List.copyOf(rights.classTeacherFunctions()), limit);
        }
    }

    /** Discovery now: null when the provider answers, else what went wrong (for the start-up lines). */
    public String checkProvider() {
        try {
            provider.check();
            return null;
        } catch (OidcFailure e) {
            return e.getMessage();
        }
    }

    /** amr with mfa or otp, or acr at or above PUBLIPOSTAGE_OIDC_MFA_ACR. */
    boolean providerSecondFactor(IDTokenClaimsSet claims) {
        List<AMR> amr = claims.getAMR();
        if (amr != null) {
            for (AMR a : amr) if (OidcSettings.MFA_AMR.contains(a.getValue().toLowerCase(Locale.ROOT))) return true;
        }
        return claims.getACR() != null && settings.acrCounts(claims.getACR().getValue());
    }

    /** The address to send the browser to after the local logout, when the provider offers one. */
    public Optional<URI> logoutUri(String idToken, URI postLogoutRedirect) {
        if (!settings.enabled() || idToken == null) return Optional.empty();
        try {
            return provider.logoutUri(com.nimbusds.jwt.JWTParser.parse(idToken), postLogoutRedirect);
        } catch (java.text.ParseException e) {
            return Optional.empty();
        }
    }

    private Map<String, Object> details(IDTokenClaimsSet claims, DirectoryRights.Rights granted, boolean secondFactor, String refusal) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", claims.getIssuer().getValue());
        d.put("subject", claims.getSubject().getValue());
        if (refusal != null) d.put("refused", refusal);
        d.put("superAdmin", granted.superAdmin());
        d.put("localAdminOf", granted.localAdminOf());
        d.put("classTeacherIn", granted.classTeacherOf().keySet());
        d.put("providerSecondFactor", secondFactor);
        return d;
    }

    /** A value the browser sent, fit for one log line: no control characters, at most 200 characters. */
    private static String loggable(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }

    private static String stringClaim(Object value) {
        if (value instanceof String s && !s.isBlank()) return s;
        return null;
    }

    private static boolean mentionsAny(Object claim, Collection<String> functions) {
        List<String> values = new ArrayList<>();
        if (claim instanceof String s) values.addAll(List.of(s.split("[\\s,]+")));
        else if (claim instanceof Collection<?> c) for (Object o : c) if (o != null) values.add(String.valueOf(o));
        for (String v : values) if (functions.contains(v.strip().toUpperCase(Locale.ROOT))) return true;
        return false;
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package fr.publipostage.security;

import com.bastiaanjansen.otp.SecretGenerator;
import com.bastiaanjansen.otp.TOTPGenerator;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * The TOTP second factor (RFC 6238: 6 digits, 30 s, SHA-1, as every authenticator app reads it).
 * Admins enrol by scanning a QR code and typing one code. When the platform requires it
 * ({@code PUBLIPOSTAGE_TOTP_REQUIRED}), {@link #requireFreshCode} stands before every output that
 * carries credentials — CSV export, PDF letters, e-mail campaigns all call it.
 */
public final class SecondFactor {
    public static final String ISSUER = "Publipostage";
    /** Wrong codes of one admin counted over this window… */
    public static final int WINDOW_MINUTES = 15;
    /** …before any code (even the right one) waits: guessing 6 digits takes years at this pace. */
    public static final int MAX_FAILURES = 5;
    private static final Duration PERIOD = Duration.ofSeconds(30);

    private final SqlSessionFactory sessions;
    private final SessionService webSessions;
    private final AuditLog audit;
    private final Clock clock;
    private final boolean required;
    private final int freshMinutes;

    public SecondFactor(SqlSessionFactory sessions, SessionService webSessions, AuditLog audit, Clock clock,
                        boolean required, int freshMinutes) {
        this.sessions = sessions;
        this.webSessions = webSessions;
        this.audit = audit;
        this.clock = clock;
        this.required = required;
        this.freshMinutes = freshMinutes;
    }

    /**
     * Whether activation codes may be shown to this session: always when the platform does not ask for
     * a second factor, else only within the minutes after a code of the admin's authenticator.
     */
    public boolean codesVisible(WebSession session) {
        // The same freshness as requireFreshCode: a code typed lately, or the provider's own second factor.
        return !required || session.totpFresh();
    }

    /**
     * Whether this admin must type a fresh code before acting on another admin's second factor: when
     * the platform asks for codes, or when he has an authenticator himself.
     */
    public boolean freshCodeNeeded(Admin admin) {
        return required || admin.totpSecret() != null;
    }

    /** Whether the platform setting asks for a code before credential outputs. */
    public boolean required() {
        return required;
    }

    /**
     * Call before producing anything that carries credentials (activation codes): passes when the
     * setting is off or a code was typed in this session within the last minutes.
     *
     * @throws SecondFactorRequired with what the admin must do
     */
    public void requireFreshCode(WebSession session) {
        if (!required) return;
        // Fresh = a code typed here lately, or the provider's own second factor (amr/acr at login, see
        // WebSession.secondFactorVia): either is the step-up.
        if (session.totpFresh()) return;
        if (session.admin().totpSecret() == null) {
            throw new SecondFactorRequired(session.viaProvider() ? "auth.reauthRequired" : "auth.totpEnrolRequired");
        }
        throw new SecondFactorRequired("auth.totpRequired");
    }

    /**
     * Checks a code of the admin's enrolled authenticator; a good one makes the session fresh. At most
     * {@link #MAX_FAILURES} wrong codes per admin within {@link #WINDOW_MINUTES} minutes (counted in
     * PostgreSQL, so across sessions and instances); every wrong code is audited ({@code totp-failure}).
     *
     * @throws TotpThrottled when too many wrong codes were typed lately: no code is checked until then
     */
    public boolean confirmCode(WebSession session, String code) {
        Admin admin = session.admin();
        if (admin.totpSecret() == null) return false;
        if (!accept(admin, admin.totpSecret(), code)) return false;
        webSessions.markTotpFresh(session, freshMinutes);
        return true;
    }

    /** What the enrolment page shows: the secret (for typing by hand), its otpauth URI and the QR code. */
    public record Enrolment(String secret, String uri, String qrSvg) {
    }

    /**
     * Whether this session may enrol a new authenticator: always a first one; replacing an enrolled one
     * takes a fresh code of it (typed in this session within the last minutes) — not the password, and
     * not the provider's second factor either: it is this authenticator that is being replaced.
     */
    public boolean mayEnrol(WebSession session) {
        return session.admin().totpSecret() == null || (session.totpFresh() && "totp".equals(session.secondFactorVia()));
    }

    /**
     * Starts (or restarts) enrolment: a new secret kept on the session until a code confirms it.
     *
     * @throws IllegalStateException when {@link #mayEnrol} says no (callers check first)
     */
    public Enrolment startEnrolment(WebSession session) {
        if (!mayEnrol(session)) throw new IllegalStateException("replacing an authenticator needs a fresh code of it");
        String secret = new String(SecretGenerator.generate(), StandardCharsets.US_ASCII);
        webSessions.setTotpPending(session, secret);
        return enrolment(session.admin(), secret);
    }

    public Enrolment enrolment(Admin admin, String secret) {
        String label = URLEncoder.encode(ISSUER + ":" + admin.login(), StandardCharsets.UTF_8).replace("+", "%20");
        String uri = "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + ISSUER
                + "&algorithm=SHA1&digits=6&period=30";
        return new Enrolment(secret, uri, qrSvg(uri));
    }

    /** Confirms the pending secret with a code from the app: from now on it is the admin's. */
    public boolean finishEnrolment(WebSession session, String code) {
        String secret = session.totpPending();
        if (secret == null || !mayEnrol(session) || !validCode(secret, code, clock.instant()).isPresent()) return false;
        boolean replaced = session.admin().totpSecret() != null;
        try (SqlSession s = sessions.openSession(true)) {
            AdminMapper admins = s.getMapper(AdminMapper.class);
            admins.setTotpSecret(session.admin().id(), secret);
            admins.clearTotpFailures(session.admin().id());
            // The code just typed counts as fresh, and may not be used again.
            admins.useTotpStep(session.admin().id(), validCode(secret, code, clock.instant()).getAsLong());
        }
        webSessions.setTotpPending(session, null);
        webSessions.markTotpFresh(session, freshMinutes);
        audit.record(session.admin().login(), replaced ? AuditEvent.TOTP_REPLACE : AuditEvent.TOTP_ENROL, null, null,
                Map.of("login", session.admin().login()));
        return true;
    }

    /**
     * Removes an admin's authenticator (he lost it): a super admin's decision or the command line's,
     * recorded as {@code totp-reset}. His sessions lose their fresh code and any enrolment in progress;
     * he enrols again at his next visit to "Sécurité".
     *
     * @return false when there is no such admin
     */
    public boolean reset(String login, String by) {
        Admin target;
        try (SqlSession s = sessions.openSession(false)) {
            AdminMapper admins = s.getMapper(AdminMapper.class);
            target = admins.findByLogin(login == null ? "" : login.strip());
            if (target == null) return false;
            admins.setTotpSecret(target.id(), null);
            admins.clearTotpFailures(target.id());
            s.getMapper(SessionMapper.class).forgetTotp(target.id());
            s.commit(true);
        }
        audit.record(by, AuditEvent.TOTP_RESET, null, null,
                Map.of("login", target.login(), "hadAuthenticator", target.totpSecret() != null));
        return true;
    }

    /** The code for a secret at an instant (tests and the enrolment page's self-check). */
    public static String codeAt(String secret, Instant at) {
        return generator(secret).at(at);
    }

    /**
     * One attempt, under a lock on the admin's row (parallel guesses queue up and are counted one by
     * one): refused while the admin has too many recent failures; else the code is checked, its time
     * step used once (no replay), a failure recorded and audited.
     */
    private boolean accept(Admin admin, String secret, String code) {
        boolean ok;
        try (SqlSession s = sessions.openSession(false)) {
            AdminMapper admins = s.getMapper(AdminMapper.class);
            admins.lockForTotp(admin.id());
            Long wait = admins.totpWaitSeconds(admin.id(), WINDOW_MINUTES, MAX_FAILURES);
            if (wait != null) {
                s.rollback();
                throw new TotpThrottled(Math.max(1, wait));
            }
            var step = validCode(secret, code, clock.instant());
            ok = step.isPresent() && admins.useTotpStep(admin.id(), step.getAsLong()) == 1;
            if (ok) admins.clearTotpFailures(admin.id());
            else admins.insertTotpFailure(admin.id());
            s.commit(true);
        }
        if (!ok) audit.record(admin.login(), AuditEvent.TOTP_FAILURE, null, null, Map.of("login", admin.login()));
        return ok;
    }

    /** The time step whose code this is, allowing one step of clock drift either way. */
    private static java.util.OptionalLong validCode(String secret, String code, Instant now) {
        if (code == null) return java.util.OptionalLong.empty();
        String digits = code.replace(" ", "").strip();
        if (!digits.matches("[0-9]{6}")) return java.util.OptionalLong.empty();
        TOTPGenerator generator = generator(secret);
        long step = now.getEpochSecond() / PERIOD.getSeconds();
        for (long s = step - 1; s <= step + 1; s++) {
            String expected = generator.at(Instant.ofEpochSecond(s * PERIOD.getSeconds()));
            if (java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    digits.getBytes(StandardCharsets.US_ASCII))) {
                return java.util.OptionalLong.of(s);
            }
        }
        return java.util.OptionalLong.empty();
    }

    private static TOTPGenerator generator(String secret) {
        return new TOTPGenerator.Builder(secret.getBytes(StandardCharsets.US_ASCII)).withPeriod(PERIOD).build();
    }

    /** A QR code as an inline SVG (ZXing core; no image library needed). */
    static String qrSvg(String text) {
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
        } catch (WriterException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                if (m.get(x, y)) path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + m.getWidth() + " " + m.getHeight()
                + "\" width=\"240\" height=\"240\" shape-rendering=\"crispEdges\" aria-hidden=\"true\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }
}

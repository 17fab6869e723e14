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
    private static final Duration PERIOD = Duration.ofSeconds(30);

    private final SqlSessionFactory sessions;
    private final SessionService webSessions;
    private final Clock clock;
    private final boolean required;
    private final int freshMinutes;

    public SecondFactor(SqlSessionFactory sessions, SessionService webSessions, Clock clock, boolean required,
                        int freshMinutes) {
        this.sessions = sessions;
        this.webSessions = webSessions;
        this.clock = clock;
        this.required = required;
        this.freshMinutes = freshMinutes;
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

    /** Checks a code of the admin's enrolled authenticator; a good one makes the session fresh. */
    public boolean confirmCode(WebSession session, String code) {
        Admin admin = session.admin();
        if (admin.totpSecret() == null || !accept(admin.id(), admin.totpSecret(), code)) return false;
        webSessions.markTotpFresh(session, freshMinutes);
        return true;
    }

    /** What the enrolment page shows: the secret (for typing by hand), its otpauth URI and the QR code. */
    public record Enrolment(String secret, String uri, String qrSvg) {
    }

    /** Starts (or restarts) enrolment: a new secret kept on the session until a code confirms it. */
    public Enrolment startEnrolment(WebSession session) {
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
        if (secret == null || !validCode(secret, code, clock.instant()).isPresent()) return false;
        try (SqlSession s = sessions.openSession(true)) {
            s.getMapper(AdminMapper.class).setTotpSecret(session.admin().id(), secret);
        }
        webSessions.setTotpPending(session, null);
        // The code just typed counts as fresh, and may not be used again.
        accept(session.admin().id(), secret, code);
        webSessions.markTotpFresh(session, freshMinutes);
        return true;
    }

    /** The code for a secret at an instant (tests and the enrolment page's self-check). */
    public static String codeAt(String secret, Instant at) {
        return generator(secret).at(at);
    }

    private boolean accept(long adminId, String secret, String code) {
        var step = validCode(secret, code, clock.instant());
        if (step.isEmpty()) return false;
        try (SqlSession s = sessions.openSession(true)) {
            return s.getMapper(AdminMapper.class).useTotpStep(adminId, step.getAsLong()) == 1;
        }
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

package fr.publipostage.security;

/**
 * An output carrying credentials was asked without a fresh TOTP code. {@code key} is the i18n key
 * of what to do: {@code auth.totpRequired} (type a code) or {@code auth.totpEnrolRequired}
 * (enrol an authenticator app first).
 */
public final class SecondFactorRequired extends RuntimeException {
    private final String key;

    public SecondFactorRequired(String key) {
        super(key, null, false, false);
        this.key = key;
    }

    public String key() {
        return key;
    }
}

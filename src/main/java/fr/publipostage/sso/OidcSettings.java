package fr.publipostage.sso;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The single sign-on settings ({@code PUBLIPOSTAGE_OIDC_*}, {@code PUBLIPOSTAGE_PUBLIC_URL}), checked
 * once at start-up: a half-configured provider stops the start with the setting to fix.
 */
public record OidcSettings(String issuer, String clientId, String clientSecret, List<String> scopes, String loginClaim,
                           String label, boolean only, List<String> mfaAcr, int mfaFreshMinutes,
                           List<String> classTeacherFunctions, String classTeacherClaim, int clockSkewSeconds,
                           int timeoutMillis, String publicUrl) {

    /** amr values (RFC 8176) that say the provider checked a second factor. */
    public static final Set<String> MFA_AMR = Set.of("mfa", "otp");

    public OidcSettings {
        scopes = List.copyOf(scopes);
        mfaAcr = List.copyOf(mfaAcr);
        classTeacherFunctions = List.copyOf(classTeacherFunctions);
    }

    /** Single sign-on is offered when an issuer is set. */
    public boolean enabled() {
        return !issuer.isEmpty();
    }

    public static OidcSettings from(Config config) {
        String issuer = config.get(Setting.OIDC_ISSUER).strip();
        while (issuer.endsWith("/") && issuer.length() > "https://x/".length()) issuer = issuer.substring(0, issuer.length() - 1);
        String publicUrl = config.get(Setting.PUBLIC_URL).strip();
        while (publicUrl.endsWith("/")) publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add("openid");
        scopes.addAll(list(config.get(Setting.OIDC_SCOPES), "[\\s,]+"));
        OidcSettings s = new OidcSettings(issuer, config.get(Setting.OIDC_CLIENT_ID).strip(),
                config.get(Setting.OIDC_CLIENT_SECRET), List.copyOf(scopes),
                config.get(Setting.OIDC_LOGIN_CLAIM).strip(), config.get(Setting.OIDC_LABEL).strip(),
                config.getBoolean(Setting.OIDC_ONLY), list(config.get(Setting.OIDC_MFA_ACR), ","),
                config.getInt(Setting.OIDC_MFA_FRESH_MINUTES),
                list(config.get(Setting.OIDC_CLASS_TEACHER_FUNCTIONS), ",").stream().map(f -> f.toUpperCase(Locale.ROOT)).toList(),
                config.get(Setting.OIDC_CLASS_TEACHER_CLAIM).strip(), config.getInt(Setting.OIDC_CLOCK_SKEW_SECONDS),
                config.getInt(Setting.OIDC_TIMEOUT_SECONDS) * 1000, publicUrl);
        s.check();
        return s;
    }

    private void check() {
        if (!publicUrl.isEmpty()) url(Setting.PUBLIC_URL, publicUrl);
        if (!enabled()) {
            if (only) throw new Config.ConfigException(Setting.OIDC_ONLY.envName + "=true needs " + Setting.OIDC_ISSUER.envName);
            return;
        }
        url(Setting.OIDC_ISSUER, issuer);
        if (clientId.isEmpty()) throw new Config.ConfigException(Setting.OIDC_CLIENT_ID.envName + " is required with " + Setting.OIDC_ISSUER.envName);
        if (loginClaim.isEmpty()) throw new Config.ConfigException(Setting.OIDC_LOGIN_CLAIM.envName + " must name a claim");
        if (mfaFreshMinutes < 1) throw new Config.ConfigException(Setting.OIDC_MFA_FRESH_MINUTES.envName + " must be 1 or more");
        if (clockSkewSeconds < 0 || clockSkewSeconds > 600) {
            throw new Config.ConfigException(Setting.OIDC_CLOCK_SKEW_SECONDS.envName + " must be between 0 and 600");
        }
        if (timeoutMillis < 1000) throw new Config.ConfigException(Setting.OIDC_TIMEOUT_SECONDS.envName + " must be 1 or more");
    }

    private static void url(Setting setting, String value) {
        try {
            URI uri = new URI(value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException();
            }
        } catch (Exception e) {
            throw new Config.ConfigException(setting.envName + " must be an http(s) URL without query, got \"" + value + "\"");
        }
    }

    private static List<String> list(String value, String separator) {
        return Arrays.stream(value.strip().split(separator)).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    /**
     * Whether this acr meets the configured threshold: equal to a listed value, or the same text
     * ending with a number at least as high as a listed one ({@code urn:ent:loa:3} for {@code urn:ent:loa:2}).
     */
    public boolean acrCounts(String acr) {
        if (acr == null || acr.isBlank()) return false;
        for (String accepted : mfaAcr) {
            if (accepted.equals(acr)) return true;
            String prefix = accepted.replaceFirst("[0-9]+$", "");
            if (prefix.length() == accepted.length() || !acr.startsWith(prefix)) continue;
            String rest = acr.substring(prefix.length());
            if (!rest.matches("[0-9]{1,9}")) continue;
            if (Long.parseLong(rest) >= Long.parseLong(accepted.substring(prefix.length()))) return true;
        }
        return false;
    }
}

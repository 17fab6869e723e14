package fr.publipostage.sso;

/**
 * A single sign-on that did not end in a session. {@link Reason} says what the person (or the
 * operator) can do; its i18n key {@code oidc.error.<reason>} is the sentence of the login page, and
 * the message (never shown) is the detail written to the log.
 */
public final class OidcFailure extends RuntimeException {
    public enum Reason {
        /** discovery, keys, token or userinfo endpoint unreachable or answering nonsense */
        UNREACHABLE(502),
        /** the provider refuses our client id or secret (invalid_client, unauthorized_client) */
        CLIENT_REFUSED(502),
        /** the login took too long, was already used, or its state does not belong to this browser */
        EXPIRED(400),
        /** the provider refused the code (invalid_grant: replayed, expired, PKCE mismatch) */
        CODE_REFUSED(400),
        /** the ID token is outside its validity times: expired, or issued in the future (clocks differ) */
        CLOCK(401),
        /** the ID token failed its checks: signature, issuer, audience, nonce */
        TOKEN_REFUSED(401),
        /** the provider's answer names no login in the configured claim */
        NO_LOGIN(401),
        /** no account of the directory has this login */
        NO_ACCOUNT(403),
        /** accounts found, but none gives a right here */
        NO_RIGHTS(403),
        /** the provider answered with an error (the person cancelled, access denied…) */
        PROVIDER_ERROR(401);

        public final int status;

        Reason(int status) {
            this.status = status;
        }

        public String key() {
            return "oidc.error." + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public OidcFailure(Reason reason, String detail) {
        this(reason, detail, null);
    }

    public OidcFailure(Reason reason, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

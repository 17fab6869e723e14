package fr.publipostage.security;

/**
 * A logged-in admin's session, as loaded for one request.
 *
 * @param tokenHash       the key of the session (SHA-256 of the cookie's token)
 * @param csrfToken       what every state-changing request must send back
 * @param totpFresh       the session's second factor is fresh enough for outputs that carry credentials
 *                        (a TOTP code typed recently, or the provider's second factor, see {@code secondFactorVia})
 * @param totpPending     a secret being enrolled, not yet confirmed by a code
 * @param viaProvider     opened by the OpenID Connect provider (else by the password form)
 * @param secondFactorVia how the second factor was last satisfied: "totp", "provider", or null
 */
public record WebSession(String tokenHash, Admin admin, String csrfToken, boolean totpFresh, String totpPending,
                         boolean viaProvider, String secondFactorVia) {
}

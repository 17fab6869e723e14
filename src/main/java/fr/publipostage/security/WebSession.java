package fr.publipostage.security;

/**
 * A logged-in admin's session, as loaded for one request.
 *
 * @param tokenHash   the key of the session (SHA-256 of the cookie's token)
 * @param csrfToken   what every state-changing request must send back
 * @param totpFresh   a TOTP code was typed recently enough for outputs that carry credentials
 * @param totpPending a secret being enrolled, not yet confirmed by a code
 */
public record WebSession(String tokenHash, Admin admin, String csrfToken, boolean totpFresh, String totpPending) {
}

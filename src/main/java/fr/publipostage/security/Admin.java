package fr.publipostage.security;

/**
 * A person who logs in to Publipostage: a local admin (password, rights in admin_structure /
 * admin_class) or a person of the OpenID Connect provider ({@code fromProvider}: no password, login
 * {@code oidc:<directoryLogin>}, rights read from the directory's accounts with that login).
 *
 * @param providerClassTeacher the provider's class-teacher claim at his last login
 */
public record Admin(long id, String login, String displayName, String passwordHash, boolean superAdmin,
                    String language, boolean oneTimePassword, String totpSecret, boolean fromProvider,
                    String directoryLogin, boolean providerClassTeacher) {
    /** Prefix of the login of an admin of the provider; local logins cannot contain ':'. */
    public static final String PROVIDER_LOGIN_PREFIX = "oidc:";
}

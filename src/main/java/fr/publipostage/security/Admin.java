package fr.publipostage.security;

/** A person who logs in to Publipostage. */
public record Admin(long id, String login, String displayName, String passwordHash, boolean superAdmin,
                    String language, boolean oneTimePassword, String totpSecret) {
}

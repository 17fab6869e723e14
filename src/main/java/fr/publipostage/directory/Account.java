package fr.publipostage.directory;

import java.time.LocalDate;
import java.util.List;

/**
 * One ENT account as the check step, the CSV, the letters and the e-mails see it.
 * {@code children} holds the display names of a parent's children (empty for other profiles).
 */
public record Account(long id, long structureId, Profile profile, String lastName, String firstName,
                      String login, String loginAlias, String activationCode, boolean activated,
                      String email, String level, List<String> classes, List<String> functions,
                      List<String> children, boolean blocked, LocalDate createdAt, String language) {

    public static final String SUPER_ADMIN = "SUPER_ADMIN";
    public static final String ADMIN_LOCAL = "ADMIN_LOCAL";

    /** The login a person types: the alias when one is set. */
    public String displayLogin() {
        return loginAlias == null || loginAlias.isBlank() ? login : loginAlias;
    }

    public String displayName() {
        return firstName + " " + lastName;
    }

    public boolean hasEmail() {
        return email != null && !email.isBlank();
    }
}

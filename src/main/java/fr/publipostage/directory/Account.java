package fr.publipostage.directory;

import java.time.LocalDate;
import java.util.List;
import org.apache.ibatis.annotations.AutomapConstructor;

/**
 * One ENT account as the check step, the CSV, the letters and the e-mails see it.
 * {@code children} holds the display names of a parent's children (empty for other profiles).
 * {@code emailBounce}: its address bounced for good ("5.1.1: the server's words"), until an import
 * changes the address; null otherwise.
 */
public record Account(long id, long structureId, Profile profile, String lastName, String firstName,
                      String login, String loginAlias, String activationCode, boolean activated,
                      String email, String level, List<String> classes, List<String> functions,
                      List<String> children, boolean blocked, LocalDate createdAt, String language,
                      String emailBounce) {

    /** The one MyBatis and Jackson build from. */
    @AutomapConstructor
    public Account {
    }

    /** An account whose address never bounced. */
    public Account(long id, long structureId, Profile profile, String lastName, String firstName,
                   String login, String loginAlias, String activationCode, boolean activated,
                   String email, String level, List<String> classes, List<String> functions,
                   List<String> children, boolean blocked, LocalDate createdAt, String language) {
        this(id, structureId, profile, lastName, firstName, login, loginAlias, activationCode, activated, email, level,
                classes, functions, children, blocked, createdAt, language, null);
    }

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

package fr.publipostage.directory;

import java.time.LocalDate;
import java.util.List;
import org.apache.ibatis.annotations.AutomapConstructor;

/**
 * One ENT account as the check step, the CSV, the letters and the e-mails see it.
 * {@code children} holds the display names of a parent's children (empty for other profiles).
 * {@code emailBounce}: its address bounced for good ("5.1.1: the server's words"), until an import
 * changes the address; null otherwise.
 * The postal address fields hold the text as imported ({@link #postalAddress()}; null when none).
 */
public record Account(long id, long structureId, Profile profile, String lastName, String firstName,
                      String login, String loginAlias, String activationCode, boolean activated,
                      String email, String level, List<String> classes, List<String> functions,
                      List<String> children, boolean blocked, LocalDate createdAt, String language,
                      String emailBounce,
                      String addressLine1, String addressLine2, String addressLine3, String addressLine4,
                      String postcode, String city, String country) {

    public static final String SUPER_ADMIN = "SUPER_ADMIN";
    public static final String ADMIN_LOCAL = "ADMIN_LOCAL";

    /** The one constructor MyBatis and Jackson build from (by argument names). */
    @AutomapConstructor
    public Account {
    }

    /** An account without a postal address, whose e-mail address never bounced. */
    public Account(long id, long structureId, Profile profile, String lastName, String firstName,
                   String login, String loginAlias, String activationCode, boolean activated,
                   String email, String level, List<String> classes, List<String> functions,
                   List<String> children, boolean blocked, LocalDate createdAt, String language) {
        this(id, structureId, profile, lastName, firstName, login, loginAlias, activationCode, activated, email, level,
                classes, functions, children, blocked, createdAt, language, null, null, null, null, null, null, null, null);
    }

    /** The same account with this postal address (null: none). */
    public Account withPostalAddress(PostalAddress a) {
        return a == null
                ? new Account(id, structureId, profile, lastName, firstName, login, loginAlias, activationCode, activated,
                        email, level, classes, functions, children, blocked, createdAt, language, emailBounce,
                        null, null, null, null, null, null, null)
                : new Account(id, structureId, profile, lastName, firstName, login, loginAlias, activationCode, activated,
                        email, level, classes, functions, children, blocked, createdAt, language, emailBounce, a.line1(), a.line2(),
                        a.line3(), a.line4(), a.postcode(), a.city(), a.country());
    }

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

    /** The postal address as imported, or null when the account has none (an address has a city). */
    public PostalAddress postalAddress() {
        if (city == null || city.isBlank()) return null;
        return PostalAddress.ofAccount(addressLine1, addressLine2, addressLine3, addressLine4, postcode, city, country);
    }

    public boolean hasPostalAddress() {
        return postalAddress() != null;
    }
}

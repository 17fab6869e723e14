package fr.publipostage.templates;

import fr.publipostage.directory.Account;
import java.util.List;

/**
 * {@code $account}: what a template may know of a person. {@code login} is the login the person
 * types (the alias when one is set); missing text is the empty string, so {@code #if($account.email)}
 * reads naturally; {@code profile} is the profile's name in the letter's language.
 */
public final class AccountView implements TemplateView {
    private final Account account;
    private final String profileLabel;

    public AccountView(Account account, String profileLabel) {
        this.account = account;
        this.profileLabel = profileLabel;
    }

    public String getFirstName() {
        return text(account.firstName());
    }

    public String getLastName() {
        return text(account.lastName());
    }

    public String getDisplayName() {
        return account.displayName();
    }

    public String getLogin() {
        return account.displayLogin();
    }

    public String getActivationCode() {
        return text(account.activationCode());
    }

    public String getProfile() {
        return profileLabel;
    }

    /** The profile's English code (Student, Relative, Teacher, Personnel, Guest), for tests in templates. */
    public String getProfileCode() {
        return account.profile().name();
    }

    public String getLevel() {
        return text(account.level());
    }

    public List<String> getClasses() {
        return account.classes() == null ? List.of() : List.copyOf(account.classes());
    }

    /** A parent's children, as display names. */
    public List<String> getChildren() {
        return account.children() == null ? List.of() : List.copyOf(account.children());
    }

    /** The classes joined with ", " ("" when none). */
    public String getClassesText() {
        return String.join(", ", getClasses());
    }

    /** A parent's children joined with ", " ("" when none). */
    public String getChildrenText() {
        return String.join(", ", getChildren());
    }

    public String getEmail() {
        return text(account.email());
    }

    public boolean isActivated() {
        return account.activated();
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String toString() {
        return getDisplayName();
    }
}

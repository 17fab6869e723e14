package fr.publipostage.directory;

import java.net.IDN;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for a personal e-mail address read from an import file: exactly one plain
 * {@code addr-spec} (RFC 5322 dot-atom local part @ domain), nothing around it. The address shown in
 * the check table is then the address the mail goes to: a cell like {@code Evil<evil@evil.example>x.fr}
 * (a display name, angle brackets, a comment, a list, a quoted local part, an IP literal) is refused,
 * since a mail library would read another address out of it. Internationalised domain names are
 * allowed ({@code école-exemple.fr}: each label must convert with {@link IDN#toASCII}); the local part
 * stays ASCII, which every SMTP server accepts.
 */
public final class EmailAddress {
    /** RFC 5322 atext, the characters of a dot-atom's atoms. */
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern ASCII_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern TLD = Pattern.compile("(?i)[a-z]{2,63}|xn--[a-z0-9-]{1,59}");

    private EmailAddress() {
    }

    /**
     * Why the text is not one plain address: a message key of {@code import.badEmail.*}, or empty when it is
     * one. The text is taken as it is (the caller trims the cell).
     */
    public static Optional<String> problem(String text) {
        if (text.length() > 254) return Optional.of("import.badEmail.tooLong");
        int at = text.indexOf('@');
        if (at < 0) return Optional.of("import.badEmail.noAt");
        if (text.indexOf('@', at + 1) >= 0 || text.chars().anyMatch(c -> c == '<' || c == '>' || c == ',' || c == ';'
                || c == '(' || c == ')' || c == '"' || c == '[' || c == ']' || c == ':' || c == '\\' || Character.isWhitespace(c)
                || Character.isISOControl(c))) {
            return Optional.of("import.badEmail.notOne");
        }
        String local = text.substring(0, at);
        String domain = text.substring(at + 1);
        if (local.isEmpty() || local.length() > 64 || !LOCAL_PART.matcher(local).matches()) {
            return Optional.of("import.badEmail.localPart");
        }
        if (!domainIsValid(domain)) return Optional.of("import.badEmail.domain");
        return Optional.empty();
    }

    public static boolean isValid(String text) {
        return problem(text).isEmpty();
    }

    private static boolean domainIsValid(String domain) {
        if (domain.isEmpty() || domain.endsWith(".") || domain.startsWith(".")) return false;
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (ascii.length() > 253) return false;
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) return false;
        for (String label : labels) {
            if (!ASCII_LABEL.matcher(label).matches()) return false;
        }
        return TLD.matcher(labels[labels.length - 1]).matches();
    }
}

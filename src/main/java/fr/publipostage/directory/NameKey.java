package fr.publipostage.directory;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A person's name folded for comparison, the way an administrator reads two names as "the same":
 * case, accents and ligatures ignored (Bérézina = BEREZINA, Œ = OE, Ø = O), and anything that is not a
 * letter or a digit read as a space (Anne-Sophie = Anne Sophie, N'Diaye = N’Diaye). The ENT names a
 * parent's children and a pupil's parents as "Prénom Nom": {@code of(first + " " + last)} of every
 * candidate compared with {@code of(text)} finds them, compound first and last names included, with no
 * need to know where the first name ends.
 */
public final class NameKey {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

    private NameKey() {
    }

    public static String of(String text) {
        if (text == null) return "";
        String s = Normalizer.normalize(text, Normalizer.Form.NFKD);
        s = MARKS.matcher(s).replaceAll("");
        s = s.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case 'œ' -> out.append("oe");
                case 'æ' -> out.append("ae");
                case 'ß' -> out.append("ss");
                case 'ø' -> out.append('o');
                case 'đ', 'ð' -> out.append('d');
                case 'ł' -> out.append('l');
                case 'ı' -> out.append('i');
                case 'þ' -> out.append("th");
                default -> out.append(c);
            }
        }
        return SEPARATORS.matcher(out).replaceAll(" ").trim();
    }

    /** The key of "first last", the ENT's order. */
    public static String firstLast(String firstName, String lastName) {
        return of(firstName + " " + lastName);
    }

    /** The key of "last first" (older exports and people who write "NOM Prénom"). */
    public static String lastFirst(String firstName, String lastName) {
        return of(lastName + " " + firstName);
    }
}

package fr.publipostage.directory;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * A school's name with its French article ("nom avec article"), derived from the usual first words of
 * school names, and the forms French texts need: "du Lycée Montesquieu", "de l’École Jules-Ferry",
 * "de la Cité scolaire Grand-Air", "au Lycée…". The importer derives it when it creates a structure; the
 * school's admin may correct it (it is then stored as written). A name whose first word is not a
 * known kind of school ("Saint-Joseph") gets no article: "de Saint-Joseph".
 */
public final class SchoolNames {
    private static final String APOSTROPHE = "’";
    /** First words (lower case, without accents) of masculine school names. */
    private static final Set<String> MASCULINE = Set.of("lycee", "college", "lp", "lpo", "lgt", "legt", "lep", "lpa",
            "lycees", "cfa", "cfppa", "groupe", "centre", "pole", "internat", "gymnase", "clg", "lyc", "greta");
    /** Feminine ones. */
    private static final Set<String> FEMININE = Set.of("cite", "maison", "mfr", "segpa", "section", "residence");
    /** Words that take l’ (they start with a vowel or a mute h). */
    private static final Set<String> ELIDED = Set.of("ecole", "erea", "etablissement", "ensemble", "institut",
            "institution", "ime", "itep", "annexe", "ulis", "unite", "eple", "epl", "ems", "internat-ecole");

    private SchoolNames() {
    }

    /** "Lycée Montesquieu" → "le Lycée Montesquieu"; "École …" → "l’École …"; "Cité scolaire …" → "la Cité scolaire …". */
    public static String withArticle(String name) {
        if (name == null) return null;
        String n = name.strip().replaceAll("\\s+", " ");
        if (n.isEmpty()) return n;
        String lower = n.toLowerCase(Locale.FRENCH);
        for (String article : new String[] {"le ", "la ", "les "}) {
            if (lower.startsWith(article)) return article + n.substring(article.length());
        }
        if (lower.startsWith("l'") || lower.startsWith("l’")) return "l" + APOSTROPHE + n.substring(2);
        String first = fold(n.split("[ \\-’']", 2)[0]);
        if (MASCULINE.contains(first)) return "le " + n;
        if (FEMININE.contains(first)) return "la " + n;
        if (ELIDED.contains(first)) return "l" + APOSTROPHE + n;
        return n;
    }

    /** "le Lycée M." → "du Lycée M."; "l’École" → "de l’École"; "la Cité" → "de la Cité"; "Saint-Joseph" → "de Saint-Joseph". */
    public static String of(String nameWithArticle) {
        return contract(nameWithArticle, "du ", "des ", "de la ", "de l" + APOSTROPHE, "de ", "d" + APOSTROPHE);
    }

    /** "le Lycée M." → "au Lycée M."; "l’École" → "à l’École"; "la Cité" → "à la Cité". */
    public static String to(String nameWithArticle) {
        return contract(nameWithArticle, "au ", "aux ", "à la ", "à l" + APOSTROPHE, "à ", "à ");
    }

    private static String contract(String withArticle, String masculine, String plural, String feminine, String elided,
                                   String bare, String bareElided) {
        if (withArticle == null) return null;
        String n = withArticle.strip();
        String lower = n.toLowerCase(Locale.FRENCH);
        if (lower.startsWith("le ")) return masculine + n.substring(3);
        if (lower.startsWith("les ")) return plural + n.substring(4);
        if (lower.startsWith("la ")) return feminine + n.substring(3);
        if (lower.startsWith("l'") || lower.startsWith("l’")) return elided + n.substring(2);
        return (startsWithVowel(n) ? bareElided : bare) + n;
    }

    private static boolean startsWithVowel(String s) {
        return !s.isEmpty() && "aeiouy".indexOf(fold(s.substring(0, 1)).charAt(0)) >= 0;
    }

    private static String fold(String s) {
        String d = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return d.toLowerCase(Locale.ROOT);
    }
}

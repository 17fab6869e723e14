package fr.publipostage.directory;

import java.text.Collator;
import java.text.Normalizer;
import java.util.Comparator;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Levels and classes in the order of a French school: 6e, 5e, 4e, 3e; Seconde, Première, Terminale;
 * then the others (CAP, BTS, ULIS…) alphabetically. The same ranks as the SQL function
 * {@code school_rank} (V75), which orders the lists and the table in the database; {@code SchoolOrderIT}
 * checks both agree. Within a rank, names compare the French way with numbers as numbers (2nde 2 before
 * 2nde 10).
 */
public final class SchoolOrder {
    /** Rank of a name that is none of the seven levels. */
    public static final int OTHER = 100;

    private static final Pattern[] RANKS = {
            Pattern.compile("^(6|6e|6eme|6 ?e|sixieme)([^0-9].*)?$|^6[0-9]{2}$"),
            Pattern.compile("^(5|5e|5eme|cinquieme)([^0-9].*)?$|^5[0-9]{2}$"),
            Pattern.compile("^(4|4e|4eme|quatrieme)([^0-9].*)?$|^4[0-9]{2}$"),
            Pattern.compile("^(3|3e|3eme|troisieme)([^0-9].*)?$|^3[0-9]{2}$"),
            Pattern.compile("^(seconde|2nde|2de|2nd|2e|2eme|2)([^0-9].*)?$"),
            Pattern.compile("^(premiere|1ere|1re|1er|1e|1)([^0-9].*)?$"),
            Pattern.compile("^(terminale|term|tle|tale|t)([^a-z].*)?$|^t(g|stmg|sti2d|st2s|stl|std2a|stav|s|es|l|pro|bp)[ 0-9-].*$")};

    private static final Comparator<String> NAMES = names();

    private SchoolOrder() {
    }

    /** 1 (6e) … 7 (Terminale), {@link #OTHER} for anything else or null. */
    public static int rank(String name) {
        if (name == null) return OTHER;
        String s = fold(name);
        for (int i = 0; i < RANKS.length; i++) {
            if (RANKS[i].matcher(s).matches()) return i + 1;
        }
        return OTHER;
    }

    /** School order, then French order with numbers compared as numbers. */
    public static final Comparator<String> LEVELS = Comparator.comparingInt(SchoolOrder::rank).thenComparing(NAMES);

    /** A class's rank is its level's when the level is known, else the one its name says. */
    public static int classRank(String name, String level) {
        return Math.min(rank(level), rank(name));
    }

    static String fold(String s) {
        String d = Normalizer.normalize(s.strip(), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return d.toLowerCase(Locale.ROOT).replace('è', 'e');
    }

    private static Comparator<String> names() {
        Collator collator = Collator.getInstance(Locale.FRENCH);
        collator.setStrength(Collator.SECONDARY);
        return (a, b) -> {
            // Digit runs compare as numbers, the rest the French way.
            String[] x = a.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
            String[] y = b.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
            for (int i = 0; i < Math.min(x.length, y.length); i++) {
                int c;
                if (!x[i].isEmpty() && !y[i].isEmpty() && Character.isDigit(x[i].charAt(0)) && Character.isDigit(y[i].charAt(0))) {
                    c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
                } else {
                    c = collator.compare(x[i], y[i]);
                }
                if (c != 0) return c;
            }
            return Integer.compare(x.length, y.length);
        };
    }
}

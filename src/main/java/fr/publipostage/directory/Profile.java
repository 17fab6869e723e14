package fr.publipostage.directory;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/** The five kinds of ENT account. Stored by English name; French names are accepted on import. */
public enum Profile {
    Student("Élève", "ELEVE"),
    Relative("Parent", "PERSRELELEVE"),
    Teacher("Enseignant", "ENSEIGNANT"),
    Personnel("Personnel", "PERSEDUCNAT"),
    Guest("Invité", "GUEST");

    private final String frenchName;
    private final String entCode;

    Profile(String frenchName, String entCode) {
        this.frenchName = frenchName;
        this.entCode = entCode;
    }

    public String frenchName() {
        return frenchName;
    }

    /** English, French (with or without accents) or ENT code, any case. */
    public static Optional<Profile> parse(String text) {
        if (text == null) return Optional.empty();
        String wanted = fold(text);
        for (Profile p : values()) {
            if (fold(p.name()).equals(wanted) || fold(p.frenchName).equals(wanted) || fold(p.entCode).equals(wanted)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String fold(String s) {
        return Normalizer.normalize(s.trim(), Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
    }
}

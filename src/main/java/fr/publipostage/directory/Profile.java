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

    /** Every accepted spelling, folded: read once per line of an import, so not folded again each time. */
    private static final java.util.Map<String, Profile> BY_NAME;

    static {
        java.util.Map<String, Profile> names = new java.util.HashMap<>();
        for (Profile p : values()) {
            names.put(fold(p.name()), p);
            names.put(fold(p.frenchName), p);
            names.put(fold(p.entCode), p);
            names.put(p.name(), p);
            names.put(p.frenchName, p);
        }
        BY_NAME = java.util.Map.copyOf(names);
    }

    /** English, French (with or without accents) or ENT code, any case. */
    public static Optional<Profile> parse(String text) {
        if (text == null) return Optional.empty();
        Profile exact = BY_NAME.get(text);
        if (exact != null) return Optional.of(exact);
        return Optional.ofNullable(BY_NAME.get(fold(text)));
    }

    private static String fold(String s) {
        return Normalizer.normalize(s.trim(), Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
    }
}

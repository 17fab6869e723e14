package fr.publipostage.web;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.Profile;
import fr.publipostage.selection.Selection;
import fr.publipostage.templates.Messages;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * File names that say what a download holds, in the admin's language and in plain ASCII (no header
 * encoding needed, any file system takes them): {@code lettres-0330001A-2nde1-A4.pdf},
 * {@code cartes-0330001A-8par-page.pdf}, {@code lettre-jean.dupont.pdf},
 * {@code comptes-0330001A-parents-20250912.csv}. Never an internal id.
 */
final class DownloadNames {
    private static final int MAX_PART = 60;
    private final Messages messages;

    DownloadNames(Messages messages) {
        this.messages = messages;
    }

    /** A selection's letters (or cards, in layout 8). */
    String letters(String uai, Selection s, String lang) {
        List<String> parts = new ArrayList<>();
        parts.add(word(lang, s.layout() == 8 ? "file.cards" : "file.letters"));
        parts.add(safe(uai));
        what(s, lang, parts);
        parts.add(word(lang, "file.layout." + s.layout()));
        return String.join("-", parts) + ".pdf";
    }

    /** One person's letter (or card), by the login printed on it. */
    String letter(Account a, int layout, String lang) {
        String kind = word(lang, layout == 8 ? "file.card" : "file.letter");
        String name = kind + "-" + safe(a.displayLogin());
        return (layout == 2 ? name + "-" + word(lang, "file.layout.2") : name) + ".pdf";
    }

    /** The check step's list as CSV, dated (it is a snapshot of codes that change). */
    String accounts(String uai, Selection s, String lang, LocalDate day) {
        List<String> parts = new ArrayList<>();
        parts.add(word(lang, "file.accounts"));
        parts.add(safe(uai));
        what(s, lang, parts);
        parts.add(day.format(DateTimeFormatter.BASIC_ISO_DATE));
        return String.join("-", parts) + ".csv";
    }

    /** Who is in the selection, shortly: profiles, classes or levels, pending or activated, without e-mail. */
    private void what(Selection s, String lang, List<String> parts) {
        Set<Profile> profiles = s.profiles().isEmpty() ? EnumSet.allOf(Profile.class) : EnumSet.copyOf(s.profiles());
        boolean groups = !s.classes().isEmpty() || !s.levels().isEmpty();
        // "Pupils of 2nde 1" is simply "2nde1"; parents of 2nde 1 are "parents-2nde1".
        boolean pupilsOfGroups = groups && profiles.equals(EnumSet.of(Profile.Student));
        if (profiles.size() <= 2 && !pupilsOfGroups) {
            for (Profile p : profiles) parts.add(word(lang, "file.profile." + p.name()));
        }
        Set<String> groupNames = !s.classes().isEmpty() ? s.classes() : s.levels();
        if (groupNames.size() > 3) {
            parts.add(word(lang, "file.classes", groupNames.size()));
        } else if (!groupNames.isEmpty()) {
            parts.add(cut(String.join("_", groupNames.stream().map(DownloadNames::safe).sorted().toList())));
        }
        if (s.activation() != Selection.Activation.all) parts.add(word(lang, "file.activation." + s.activation().name()));
        if (s.email() == Selection.EmailFilter.without) parts.add(word(lang, "file.withoutEmail"));
    }

    private String word(String lang, String key, Object... args) {
        return safe(messages.get(lang, key, args));
    }

    /** ASCII letters, digits, '.', '_' and '-' only: accents dropped, spaces removed ("2nde 1" → "2nde1"). */
    static String safe(String text) {
        String ascii = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE").replace("’", "");
        String kept = ascii.replaceAll("\\s+", "").replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("-{2,}", "-")
                .replaceAll("^[.-]+|[.-]+$", "");
        return cut(kept.isEmpty() ? "_" : kept);
    }

    private static String cut(String s) {
        return s.length() <= MAX_PART ? s : s.substring(0, MAX_PART);
    }
}

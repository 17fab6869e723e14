package fr.publipostage.letters;

import fr.publipostage.directory.Account;
import fr.publipostage.directory.PostalAddress;
import fr.publipostage.directory.PostalRules;
import fr.publipostage.directory.Profile;
import fr.publipostage.templates.TemplateView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code $address} in {@code print-address.vm}: what the envelope's window shows, line by line — the
 * recipient (line 1, sometimes 2), then the address in NF Z 10-011 order ({@link PostalRules}): at most
 * 6 lines of at most 38 characters (7 abroad, the last being the country).
 *
 * <p>The recipient's line comes from the directory, which Publipostage cannot correct, so a name too
 * long for one line is reduced as the norm allows for line 1, in this order, the first form that fits
 * winning: "Madame, Monsieur First LAST" (adults; a pupil has no civility), "M. ou Mme First LAST",
 * "M. ou Mme F. LAST", "First LAST", "F. LAST", "LAST"; then, when a second line is free, the name over
 * two lines (cut at a space or a hyphen); then the last name's trailing parts reduced to initials
 * ("DE LA ROCHEFOUCAULD-Œ.-L.-Ÿ."); last, a word longer than a line cut to 37 characters and a full
 * stop. The full name is always written in the letter itself.
 */
public final class PostalBlock implements TemplateView {
    private final List<String> lines;
    private final boolean abroad;

    private PostalBlock(List<String> lines, boolean abroad) {
        this.lines = List.copyOf(lines);
        this.abroad = abroad;
    }

    /** Every line the window shows, recipient first. */
    public List<String> getLines() {
        return lines;
    }

    /** True when the last line is a country (the address is abroad). */
    public boolean isAbroad() {
        return abroad;
    }

    /**
     * The block of an account that has an address.
     *
     * @param civility      "Madame, Monsieur" in the letter's language
     * @param civilityShort "M. ou Mme"
     * @throws IllegalArgumentException when the stored address breaks the rules (it was not imported
     *                                  through the checks)
     */
    public static PostalBlock of(Account account, String civility, String civilityShort) {
        PostalAddress address = account.postalAddress();
        if (address == null) throw new IllegalArgumentException("no postal address");
        PostalRules.Printed printed = PostalRules.print(address);
        List<String> recipient = recipient(account, civility, civilityShort, printed.recipientLinesAllowed());
        List<String> all = new ArrayList<>(recipient);
        all.addAll(printed.lines());
        return new PostalBlock(all, printed.abroad());
    }

    /** The recipient's line(s), reduced as the norm allows until they fit (see the class comment). */
    static List<String> recipient(Account a, String civility, String civilityShort, int linesAllowed) {
        String first = PostalRules.collapse(a.firstName());
        String last = PostalRules.collapse(a.lastName()).toUpperCase(Locale.FRENCH);
        String initial = first.isEmpty() ? "" : initials(first);
        String name = PostalRules.collapse(first + " " + last);
        String shortName = PostalRules.collapse(initial + " " + last);
        List<String> candidates = new ArrayList<>();
        if (a.profile() != Profile.Student) {
            candidates.add(civility + " " + name);
            candidates.add(civilityShort + " " + name);
            candidates.add(civilityShort + " " + shortName);
        }
        candidates.add(name);
        candidates.add(shortName);
        candidates.add(last);
        for (String c : candidates) {
            String line = PostalRules.collapse(c);
            if (!line.isEmpty() && PostalRules.length(line) <= PostalRules.MAX_CHARS) return List.of(line);
        }
        if (linesAllowed >= 2) {
            List<String> two = wrap(last, PostalRules.MAX_CHARS);
            if (two != null && two.size() <= 2) return two;
        }
        return List.of(abbreviated(last));
    }

    /** "Anne-Sophie" → "A.-S." */
    private static String initials(String first) {
        StringBuilder out = new StringBuilder();
        for (String part : first.split("(?<=[ -])")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            boolean hyphen = p.endsWith("-");
            String word = hyphen ? p.substring(0, p.length() - 1) : p;
            if (word.isEmpty()) continue;
            out.append(word.codePoints().limit(1).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append))
                    .append('.').append(hyphen ? "-" : " ");
        }
        return out.toString().strip();
    }

    /** The name cut at spaces or after hyphens into lines of at most {@code max} characters; null when a piece is longer. */
    private static List<String> wrap(String text, int max) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String piece : text.split("(?<=[ -])")) {
            if (PostalRules.length(line + piece.stripTrailing()) > max && line.length() > 0) {
                lines.add(line.toString().strip());
                line.setLength(0);
            }
            line.append(piece);
        }
        if (line.length() > 0) lines.add(line.toString().strip());
        for (String l : lines) {
            if (PostalRules.length(l) > max) return null;
        }
        return lines;
    }

    /** Keeps the leading parts of a compound last name and reduces the following ones to initials until it fits. */
    static String abbreviated(String last) {
        String[] parts = last.split("(?<=[ -])");
        for (int keep = parts.length - 1; keep >= 1; keep--) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (i < keep) {
                    b.append(parts[i]);
                } else {
                    String p = parts[i];
                    boolean hyphen = p.endsWith("-");
                    String word = (hyphen ? p.substring(0, p.length() - 1) : p).strip();
                    if (word.isEmpty()) continue;
                    b.appendCodePoint(word.codePointAt(0)).append('.').append(hyphen ? "-" : p.endsWith(" ") ? " " : "");
                }
            }
            String candidate = PostalRules.collapse(b.toString());
            if (PostalRules.length(candidate) <= PostalRules.MAX_CHARS) return candidate;
        }
        // A word longer than a line by itself: cut, with the full stop that marks an abbreviation (the
        // letter's body still names the person in full); refusing would stop the school's whole print.
        int[] kept = PostalRules.collapse(last).codePoints().limit(PostalRules.MAX_CHARS - 1).toArray();
        return new String(kept, 0, kept.length).strip() + ".";
    }
}

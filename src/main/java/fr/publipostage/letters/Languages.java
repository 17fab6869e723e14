package fr.publipostage.letters;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The language tags written into letters, which tagged PDFs carry as {@code /Lang}: the letters'
 * languages with their region (French of France, British English), so a screen reader picks the
 * right voice and a validator finds a full tag.
 */
final class Languages {
    private static final Pattern HTML_START = Pattern.compile("<html\\b[^>]*>");
    private static final Pattern LANG_ATTRIBUTE = Pattern.compile("\\s(lang)\\s*=\\s*(\"[^\"]*\"|'[^']*')");

    private Languages() {
    }

    /** {@code fr} → {@code fr-FR}, {@code en} → {@code en-GB}; another language as given, none → fr-FR. */
    static String tag(String language) {
        if (language == null || language.isBlank()) return "fr-FR";
        return switch (language.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "fr" -> "fr-FR";
            case "en" -> "en-GB";
            default -> language.trim();
        };
    }

    /**
     * The document with {@code tag} as the language of its {@code <html>} element (replacing the
     * one a template wrote, adding it when missing): the document's {@code /Lang} does not depend on a
     * school's override of the shell remembering it.
     */
    static String onRoot(String xhtml, String tag) {
        Matcher start = HTML_START.matcher(xhtml);
        if (!start.find()) return xhtml;
        String element = start.group();
        Matcher lang = LANG_ATTRIBUTE.matcher(element);
        String fixed = lang.find()
                ? element.substring(0, lang.start()) + " lang=\"" + tag + "\"" + element.substring(lang.end())
                : element.substring(0, 5) + " lang=\"" + tag + "\"" + element.substring(5);
        return xhtml.substring(0, start.start()) + fixed + xhtml.substring(start.end());
    }
}

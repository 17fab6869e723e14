package fr.publipostage.letters;

import com.openhtmltopdf.extend.FSTextBreaker;
import com.openhtmltopdf.layout.UrlAwareLineBreakIterator;
import java.text.BreakIterator;
import java.util.Locale;

/**
 * The PDF engine's line breaker without the break Java's line iterator allows right after a typographic
 * apostrophe: "d’activation", "l’École", "aujourd’hui" stay whole on one line, as French typography
 * wants (the ASCII apostrophe already is). One per document: it holds the text it breaks.
 */
final class ApostropheLineBreaker implements FSTextBreaker {
    private final FSTextBreaker inner = new UrlAwareLineBreakIterator(BreakIterator.getLineInstance(Locale.FRENCH));
    private String text = "";

    @Override
    public void setText(String newText) {
        text = newText == null ? "" : newText;
        inner.setText(newText);
    }

    @Override
    public int next() {
        int at = inner.next();
        while (at > 0 && at < text.length() && isApostrophe(text.charAt(at - 1)) && Character.isLetter(text.charAt(at))) {
            at = inner.next();
        }
        return at;
    }

    static boolean isApostrophe(char c) {
        return c == '\u2019' || c == '\'' || c == '\u02BC';
    }
}

package fr.publipostage.letters;

import com.openhtmltopdf.extend.FSTextBreaker;
import com.openhtmltopdf.layout.UrlAwareLineBreakIterator;
import java.text.BreakIterator;
import java.util.Locale;

/**
 * The PDF engine's line breaker without the breaks Java's line iterator allows that French typography
 * forbids: right after a typographic apostrophe ("d’activation", "l’École", "aujourd’hui" stay whole on
 * one line; the ASCII apostrophe already is), and on the space French puts before : ; ! ? » or after «
 * when a text has a plain space there (a school's own words often do): "compte :" and "« Mot" stay
 * together. One per document: it holds the text it breaks.
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
        while (at > 0 && at < text.length() && (isApostrophe(text.charAt(at - 1)) && Character.isLetter(text.charAt(at))
                || afterSpaceBeforeHighSign(at) || afterOpeningGuillemet(at))) {
            at = inner.next();
        }
        return at;
    }

    /** A break after the spaces before : ; ! ? » would start the line with that sign. */
    private boolean afterSpaceBeforeHighSign(int at) {
        return ":;!?»".indexOf(text.charAt(at)) >= 0 && Character.isSpaceChar(text.charAt(at - 1));
    }

    /** A break after "« " would end the line with the opening guillemet. */
    private boolean afterOpeningGuillemet(int at) {
        int i = at - 1;
        while (i >= 0 && Character.isSpaceChar(text.charAt(i))) i--;
        return i >= 0 && i < at - 1 && text.charAt(i) == '«';
    }

    static boolean isApostrophe(char c) {
        return c == '\u2019' || c == '\'' || c == '\u02BC';
    }
}

package fr.publipostage.letters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;

/**
 * Which characters of a text the letters' font cannot draw (they would print as a blank or a box).
 * Asks DejaVu Sans, the letters' text font (the fallback of every family a template names).
 */
public final class Glyphs {
    private final org.apache.fontbox.ttf.CmapLookup sans;

    public Glyphs(Fonts fonts) {
        try {
            TrueTypeFont font = new TTFParser().parse(new RandomAccessReadBuffer(fonts.sansRegular()));
            this.sans = font.getUnicodeCmapLookup();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The characters of {@code text} with no glyph in the font, in code point order. */
    public Set<String> missing(String text) {
        Set<Integer> missing = new TreeSet<>();
        text.codePoints().forEach(cp -> {
            if (Character.isWhitespace(cp) || Character.isISOControl(cp) || cp == 0xA0 || cp == 0x200B) return;
            if (sans.getGlyphId(cp) == 0) missing.add(cp);
        });
        Set<String> chars = new java.util.LinkedHashSet<>();
        for (int cp : missing) chars.add(new String(Character.toChars(cp)));
        return chars;
    }
}

package fr.publipostage.letters;

import java.io.IOException;
import java.io.InputStream;
import org.apache.fontbox.util.BoundingBox;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.util.Matrix;
import org.apache.pdfbox.util.Vector;

/**
 * A PDType0Font seen through per-character caches. PDFBox 3 measures a string by encoding it, then
 * reading the codes back through the CMap (a stream per character) and looking each width up in a
 * boxed map, and it runs its GSUB pass on every PDType0Font it draws: most of OpenHTMLtoPDF's text
 * time on Latin text. This wrapper is the same font to the PDF (same dictionary, the real font is
 * the one PDFBox subsets and embeds at save), but measures and encodes from arrays filled on first
 * use, and, not being a PDType0Font, skips the GSUB pass (no ligatures, which letters do not need).
 * Used from one thread (one document) at a time.
 */
final class MeasuredFont extends PDFont {
    private static final byte[] UNKNOWN = new byte[0];

    private final PDType0Font real;
    private final float[] widths = new float[0x10000];
    private final byte[][] codes = new byte[0x10000][];

    MeasuredFont(PDType0Font real) {
        super(real.getCOSObject());
        this.real = real;
        java.util.Arrays.fill(widths, Float.NaN);
    }

    @Override
    public float getStringWidth(String text) throws IOException {
        float width = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) return real.getStringWidth(text);
            float w = widths[c];
            if (Float.isNaN(w)) {
                w = real.getStringWidth(String.valueOf(c)); // IllegalArgumentException when no glyph: as PDFBox
                widths[c] = w;
            }
            width += w;
        }
        return width;
    }

    @Override
    protected byte[] encode(int unicode) throws IOException {
        if (unicode < 0x10000) {
            byte[] code = codes[unicode];
            if (code == null) {
                code = real.encode(String.valueOf((char) unicode));
                codes[unicode] = code;
            }
            return code;
        }
        return real.encode(new String(Character.toChars(unicode)));
    }

    @Override
    public int readCode(InputStream in) throws IOException {
        return real.readCode(in);
    }

    @Override
    public boolean isVertical() {
        return false;
    }

    @Override
    public void addToSubset(int codePoint) {
        real.addToSubset(codePoint);
    }

    @Override
    public void subset() throws IOException {
        real.subset();
    }

    @Override
    public boolean willBeSubset() {
        return real.willBeSubset();
    }

    @Override
    protected float getStandard14Width(int code) {
        return 0;
    }

    @Override
    public float getHeight(int code) throws IOException {
        return real.getHeight(code);
    }

    @Override
    public float getWidth(int code) throws IOException {
        return real.getWidth(code);
    }

    @Override
    public float getWidthFromFont(int code) throws IOException {
        return real.getWidthFromFont(code);
    }

    @Override
    public boolean hasExplicitWidth(int code) throws IOException {
        return real.hasExplicitWidth(code);
    }

    @Override
    public boolean isEmbedded() {
        return real.isEmbedded();
    }

    @Override
    public boolean isDamaged() {
        return real.isDamaged();
    }

    @Override
    public BoundingBox getBoundingBox() throws IOException {
        return real.getBoundingBox();
    }

    @Override
    public Matrix getFontMatrix() {
        return real.getFontMatrix();
    }

    @Override
    public String getName() {
        // Also called by PDFont's constructor, before this.real is set.
        return real == null ? getCOSObject().getNameAsString(org.apache.pdfbox.cos.COSName.BASE_FONT) : real.getName();
    }

    @Override
    public PDFontDescriptor getFontDescriptor() {
        return real.getFontDescriptor();
    }

    @Override
    public Vector getPositionVector(int code) {
        return real.getPositionVector(code);
    }

    @Override
    public String toUnicode(int code) {
        return real.toUnicode(code);
    }

    @Override
    public float getAverageFontWidth() {
        return real.getAverageFontWidth();
    }

    @Override
    public float getSpaceWidth() {
        return real.getSpaceWidth();
    }

    @Override
    public boolean isStandard14() {
        return false;
    }

}

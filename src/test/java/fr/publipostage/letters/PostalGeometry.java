package fr.publipostage.letters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Reads a PDF's glyphs back with PDFBox ({@link PDFTextStripper} text positions) and groups them into
 * runs: glyphs on one baseline with no gap wider than 3 mm. Coordinates in millimetres from the page's
 * top-left corner. What the window-envelope tests measure.
 */
public final class PostalGeometry {
    public static final double PT = 25.4 / 72;

    private PostalGeometry() {
    }

    /** A box in millimetres (left, top, right, bottom). */
    public record Box(double left, double top, double right, double bottom) {
        public boolean inside(Box outer) {
            return left >= outer.left && right <= outer.right && top >= outer.top && bottom <= outer.bottom;
        }

        public boolean intersects(Box other) {
            return left < other.right && right > other.left && top < other.bottom && bottom > other.top;
        }

        Box union(Box o) {
            return new Box(Math.min(left, o.left), Math.min(top, o.top), Math.max(right, o.right), Math.max(bottom, o.bottom));
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "x %.1f–%.1f mm, y %.1f–%.1f mm", left, right, top, bottom);
        }
    }

    /** The frame of the envelope's window: 85 × 33 mm, 110 mm from the left and 55 mm from the top. */
    public static final Box FRAME = new Box(110, 55, 195, 88);

    /** Glyphs on one line, close together; {@code text} without spaces. */
    public record Run(String text, Box box) {
    }

    /** The runs of each page. */
    public static List<List<Run>> runs(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            List<List<Run>> pages = new ArrayList<>();
            for (int p = 1; p <= doc.getNumberOfPages(); p++) {
                List<TextPosition> glyphs = new ArrayList<>();
                PDFTextStripper stripper = new PDFTextStripper() {
                    @Override
                    protected void processTextPosition(TextPosition text) {
                        glyphs.add(text);
                    }
                };
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                stripper.getText(doc);
                pages.add(group(glyphs));
            }
            return pages;
        }
    }

    private static List<Run> group(List<TextPosition> glyphs) {
        List<TextPosition> sorted = new ArrayList<>(glyphs);
        sorted.removeIf(g -> g.getUnicode() == null || g.getUnicode().isBlank());
        sorted.sort(Comparator.comparingDouble((TextPosition g) -> Math.round(g.getYDirAdj() * 2) / 2.0)
                .thenComparingDouble(TextPosition::getXDirAdj));
        List<Run> runs = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Box box = null;
        TextPosition last = null;
        for (TextPosition g : sorted) {
            Box b = new Box(g.getXDirAdj() * PT, (g.getYDirAdj() - g.getHeightDir()) * PT,
                    (g.getXDirAdj() + g.getWidthDirAdj()) * PT, g.getYDirAdj() * PT);
            // The next glyph to the right, within 3 mm: a glyph back at the left of the last one starts
            // another run (two columns whose baselines round alike, e.g. a long recipient block beside the window).
            double gap = last == null ? 0 : (g.getXDirAdj() - (last.getXDirAdj() + last.getWidthDirAdj())) * PT;
            boolean sameRun = last != null && Math.abs(g.getYDirAdj() - last.getYDirAdj()) < 1 && gap > -1 && gap < 3;
            if (!sameRun && box != null) {
                runs.add(new Run(text.toString(), box));
                text.setLength(0);
                box = null;
            }
            text.append(g.getUnicode());
            box = box == null ? b : box.union(b);
            last = g;
        }
        if (box != null) runs.add(new Run(text.toString(), box));
        return runs;
    }

    /** The runs of a page that spell one of {@code lines} (spaces ignored), and the others. */
    public record Split(List<Run> address, List<Run> others, List<String> missing) {
        public Box addressBox() {
            Box all = null;
            for (Run r : address) all = all == null ? r.box() : all.union(r.box());
            return all;
        }
    }

    public static Split split(List<Run> page, List<String> lines) {
        List<Run> address = new ArrayList<>();
        List<Run> others = new ArrayList<>(page);
        List<String> missing = new ArrayList<>();
        for (String line : lines) {
            String want = line.replace(" ", "");
            Run found = null;
            for (Run r : others) {
                if (r.text().equals(want) && r.box().left() > 100) {
                    found = r;
                    break;
                }
            }
            if (found == null) missing.add(line);
            else {
                address.add(found);
                others.remove(found);
            }
        }
        return new Split(address, others, missing);
    }
}

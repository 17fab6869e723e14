package fr.publipostage.letters;

import com.google.zxing.common.BitMatrix;
import com.openhtmltopdf.css.parser.FSRGBColor;
import com.openhtmltopdf.extend.FSObjectDrawer;
import com.openhtmltopdf.extend.FSObjectDrawerFactory;
import com.openhtmltopdf.extend.OutputDevice;
import com.openhtmltopdf.render.RenderingContext;
import fr.publipostage.templates.QrCodes;
import com.openhtmltopdf.pdfboxout.PdfBoxOutputDevice;
import java.awt.Shape;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.w3c.dom.Element;

/**
 * Draws {@code <object type="image/x-qr" data-qr="TEXT" alt="…"/>} as vector cells: a white square
 * (the code and its 4-module quiet zone) and one path of the dark modules, as rectangles of a single
 * fill, so no viewer smooths a bitmap and no seam shows between cells. The element stays one replaced
 * box, so a tagged PDF can make it a Figure carrying the {@code alt} text.
 * The text is encoded as written: a template can only put its own text in a QR code.
 *
 * <p>On OpenHTMLtoPDF's PDF device the code is a small form XObject in module units (one {@code re}
 * per rectangle, whole numbers), placed by the device as it places a PDF image: drawn through the
 * device's {@code fill}, every rectangle was four transformed points and five operators, a fifth of a
 * tagged print's CPU (bench/README.md). Rectangles are each row's runs of dark modules, a run
 * extended downwards while the rows below repeat it.
 */
public final class QrCodeDrawer implements FSObjectDrawer, FSObjectDrawerFactory {
    /** The {@code type} of the object elements drawn here. */
    public static final String TYPE = "image/x-qr";
    /** The attribute holding the encoded text. */
    public static final String CONTENT = "data-qr";
    /** In UTF-8 bytes, what a code holds (2,331 at level M) with room: longer texts are not drawn. */
    private static final int MAX_TEXT = 1_000;

    private final QrCodes codes;

    public QrCodeDrawer(QrCodes codes) {
        this.codes = codes;
    }

    @Override
    public FSObjectDrawer createDrawer(Element e) {
        return isReplacedObject(e) ? this : null;
    }

    @Override
    public boolean isReplacedObject(Element e) {
        return TYPE.equals(e.getAttribute("type"));
    }

    @Override
    public Map<Shape, String> drawObject(Element e, double x, double y, double width, double height,
                                         OutputDevice device, RenderingContext ctx, int dotsPerPixel) {
        String text = e.getAttribute(CONTENT);
        if (text.isEmpty() || text.length() > MAX_TEXT
                || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TEXT) return null;
        BitMatrix m = codes.matrix(text);
        double side = Math.min(width, height);
        double module = side / Math.max(m.getWidth(), m.getHeight());
        // Centred in the box when the box is not square.
        double left = x + (width - module * m.getWidth()) / 2;
        double top = y + (height - module * m.getHeight()) / 2;
        if (device instanceof PdfBoxOutputDevice pdf) {
            float dotsPerPoint = pdf.getDotsPerPoint();
            try {
                pdf.drawPdfAsImage(form(pdf.getWriter(), m),
                        new java.awt.Rectangle((int) Math.round(left), (int) Math.round(top),
                                (int) Math.round(module * m.getWidth()), (int) Math.round(module * m.getHeight())),
                        m.getWidth() * dotsPerPoint, m.getHeight() * dotsPerPoint);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return null;
        }
        device.setColor(new FSRGBColor(0xFFFFFF));
        device.fill(new Rectangle2D.Double(left, top, module * m.getWidth(), module * m.getHeight()));
        device.setColor(new FSRGBColor(0x000000));
        device.fill(darkModules(m, left, top, module));
        return null;
    }

    /**
     * The code as a form XObject of {@code doc} whose unit is one module (bounding box: the matrix with
     * its quiet zone, origin at its bottom left): a white square, then the dark rectangles as one fill.
     */
    public static PDFormXObject form(PDDocument doc, BitMatrix m) throws IOException {
        int w = m.getWidth();
        int h = m.getHeight();
        StringBuilder ops = new StringBuilder(4096);
        ops.append("1 1 1 rg 0 0 ").append(w).append(' ').append(h).append(" re f 0 0 0 rg\n");
        for (int[] r : rectangles(m)) {
            // PDF's y axis points up: the matrix's row r spans y = h - r - 1 .. h - r.
            ops.append(r[0]).append(' ').append(h - r[1] - r[3]).append(' ').append(r[2]).append(' ').append(r[3]).append(" re\n");
        }
        ops.append('f');
        PDFormXObject form = new PDFormXObject(doc);
        try (OutputStream os = form.getContentStream().createOutputStream(COSName.FLATE_DECODE)) {
            os.write(ops.toString().getBytes(StandardCharsets.US_ASCII));
        }
        form.setBBox(new PDRectangle(w, h));
        form.setResources(new PDResources());
        return form;
    }

    /**
     * The dark modules as rectangles {col, row, width, height} in modules, covering each dark module
     * once: each row's runs, a run merged with the one right above it when both span the same columns.
     */
    static List<int[]> rectangles(BitMatrix m) {
        List<int[]> done = new ArrayList<>();
        // The rectangles still growing, by the column their run starts at (runs of a row never share one).
        int[][] open = new int[m.getWidth()][];
        int[][] next = new int[m.getWidth()][];
        for (int row = 0; row < m.getHeight(); row++) {
            int col = 0;
            while (col < m.getWidth()) {
                if (!m.get(col, row)) {
                    col++;
                    continue;
                }
                int start = col;
                while (col < m.getWidth() && m.get(col, row)) col++;
                int[] above = open[start];
                if (above != null && above[2] == col - start) {
                    above[3]++;
                    next[start] = above;
                    open[start] = null;
                } else {
                    next[start] = new int[] {start, row, col - start, 1};
                }
            }
            close(open, done);  // not continued on this row
            int[][] swap = open;
            open = next;
            next = swap;
        }
        close(open, done);
        return done;
    }

    /** Moves the rectangles still open to {@code done}, leaving {@code open} empty. */
    private static void close(int[][] open, List<int[]> done) {
        for (int c = 0; c < open.length; c++) {
            if (open[c] != null) done.add(open[c]);
            open[c] = null;
        }
    }

    /** The dark modules as one path of {@link #rectangles} (a device other than OpenHTMLtoPDF's PDF one). */
    static Path2D darkModules(BitMatrix m, double left, double top, double module) {
        Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO);
        for (int[] r : rectangles(m)) {
            path.append(new Rectangle2D.Double(left + r[0] * module, top + r[1] * module, r[2] * module, r[3] * module), false);
        }
        return path;
    }
}

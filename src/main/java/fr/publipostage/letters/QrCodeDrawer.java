package fr.publipostage.letters;

import com.google.zxing.common.BitMatrix;
import com.openhtmltopdf.css.parser.FSRGBColor;
import com.openhtmltopdf.extend.FSObjectDrawer;
import com.openhtmltopdf.extend.FSObjectDrawerFactory;
import com.openhtmltopdf.extend.OutputDevice;
import com.openhtmltopdf.render.RenderingContext;
import fr.publipostage.templates.QrCodes;
import java.awt.Shape;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * Draws {@code <object type="image/x-qr" data-qr="TEXT" alt="…"/>} as vector cells: a white square
 * (the code and its 4-module quiet zone) and one path of the dark modules, row runs as sub-paths of a
 * single fill, so no viewer smooths a bitmap and no seam shows between cells. The element stays one
 * replaced box, so a tagged PDF can make it a Figure carrying the {@code alt} text.
 * The text is encoded as written: a template can only put its own text in a QR code.
 */
public final class QrCodeDrawer implements FSObjectDrawer, FSObjectDrawerFactory {
    /** The {@code type} of the object elements drawn here. */
    public static final String TYPE = "image/x-qr";
    /** The attribute holding the encoded text. */
    public static final String CONTENT = "data-qr";
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
        if (text.isEmpty() || text.length() > MAX_TEXT) return null;
        BitMatrix m = codes.matrix(text);
        double side = Math.min(width, height);
        double module = side / Math.max(m.getWidth(), m.getHeight());
        // Centred in the box when the box is not square.
        double left = x + (width - module * m.getWidth()) / 2;
        double top = y + (height - module * m.getHeight()) / 2;
        device.setColor(new FSRGBColor(0xFFFFFF));
        device.fill(new Rectangle2D.Double(left, top, module * m.getWidth(), module * m.getHeight()));
        device.setColor(new FSRGBColor(0x000000));
        device.fill(darkModules(m, left, top, module));
        return null;
    }

    /** The dark modules as one path: each row's runs of dark modules are rectangles of it. */
    static Path2D darkModules(BitMatrix m, double left, double top, double module) {
        Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO);
        for (int row = 0; row < m.getHeight(); row++) {
            int col = 0;
            while (col < m.getWidth()) {
                if (!m.get(col, row)) {
                    col++;
                    continue;
                }
                int start = col;
                while (col < m.getWidth() && m.get(col, row)) col++;
                path.append(new Rectangle2D.Double(left + start * module, top + row * module,
                        (col - start) * module, module), false);
            }
        }
        return path;
    }
}

package fr.publipostage.letters;

import com.openhtmltopdf.css.style.CalculatedStyle;
import com.openhtmltopdf.css.style.CssContext;
import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.render.Box;
import com.openhtmltopdf.render.LineBox;
import com.openhtmltopdf.render.PageBox;
import java.util.List;
import java.util.Map;

/**
 * The window-envelope page (layout {@code postal}), fixed by the engine, not by a school's templates:
 * an A4 page folded in three for a right-window DL envelope, the address frame 85 × 33 mm whose
 * top-left corner is 110 mm from the left edge and 55 mm from the top, the school's return line small
 * just above it, fold marks at 99 and 198 mm on the left margin.
 *
 * <p>Three guards keep the address in the window whatever a school's {@code print.css} says:
 * <ol>
 *   <li>the engine's elements carry their geometry in their own {@code style} attribute, with
 *       {@code !important} (nothing in a style sheet beats that), and a style sheet added after the
 *       school's pins the page, the body and the frame's text (font, size, line height, no wrapping);</li>
 *   <li>the window is painted last, white, over anything that would stray into it; the letter's flow
 *       keeps clear of it (a float the size of the top-right third);</li>
 *   <li>after layout, before anything is painted, every frame is measured: where it is on its page,
 *       that its lines stay inside it, and that it holds the whole address — otherwise the print
 *       fails, naming the template ({@link #verify}).</li>
 * </ol>
 */
public final class PostalLayout {
    public static final double FRAME_LEFT_MM = 110;
    public static final double FRAME_TOP_MM = 55;
    public static final double FRAME_WIDTH_MM = 85;
    public static final double FRAME_HEIGHT_MM = 33;
    public static final double[] FOLDS_MM = {99, 198};
    /** Id prefix of the frames: "pf" + sheet number. */
    static final String FRAME_ID = "pf";
    /** Id prefix of the letter beside the window: "pl" + sheet number. */
    static final String LETTER_ID = "pl";
    private static final double TOLERANCE_PT = 0.75;
    private static final double PT_PER_MM = 72 / 25.4;

    private static final String IMPORTANT_RESET = "margin:0 !important;padding:0 !important;border:0 none !important;"
            + "transform:none !important;float:none !important;";
    static final String SHEET_STYLE = "position:relative !important;left:auto !important;top:auto !important;"
            + "right:auto !important;bottom:auto !important;width:210mm !important;" + IMPORTANT_RESET
            + "page:postal-window !important;display:block !important;visibility:visible !important;";
    static final String LETTER_STYLE = "position:static !important;margin:0 !important;border:0 none !important;"
            + "padding:14mm 18mm 0 18mm !important;width:auto !important;float:none !important;transform:none !important;"
            + "display:block !important;";
    /** The top-right third, left of which the letter flows: x 105–192 mm, y 14–92 mm. */
    static final String KEEPOUT_STYLE = "float:right !important;clear:none !important;width:87mm !important;"
            + "height:78mm !important;margin:0 !important;padding:0 !important;border:0 none !important;"
            + "position:static !important;display:block !important;";
    static final String WINDOW_STYLE = "position:absolute !important;left:107mm !important;top:47mm !important;"
            + "width:91mm !important;height:43mm !important;right:auto !important;bottom:auto !important;"
            + IMPORTANT_RESET + "background:#ffffff !important;z-index:1000 !important;overflow:hidden !important;"
            + "display:block !important;visibility:visible !important;";
    /**
     * The school's return line: its last line 0.5 mm above the frame, the text growing upwards (never down into
     * the frame; were it longer than the window's top 7.5 mm, its beginning would be cut, never its postcode and
     * town), smaller as it gets longer: two lines of 6.5 pt hold about 100 characters, three of 5 pt about 220,
     * four of 4 pt about 400 (DejaVu Sans on 85 mm).
     */
    static String returnStyle(String text) {
        int length = text.codePointCount(0, text.length());
        String size = length <= 100 ? "6.5pt" : length <= 220 ? "5pt" : "4pt";
        return "position:absolute !important;left:3mm !important;top:auto !important;bottom:35.5mm !important;"
                + "width:85mm !important;height:auto !important;right:auto !important;max-height:none !important;"
                + IMPORTANT_RESET + "overflow:visible !important;display:block !important;"
                + "font-family:'DejaVu Sans',sans-serif !important;font-size:" + size + " !important;line-height:1.2 !important;"
                + "color:#333333 !important;white-space:normal !important;visibility:visible !important;";
    }
    static final String FRAME_STYLE = "position:absolute !important;left:3mm !important;top:8mm !important;"
            + "width:85mm !important;height:33mm !important;right:auto !important;bottom:auto !important;"
            + "margin:0 !important;border:0 none !important;padding:1mm 0 0 1mm !important;box-sizing:border-box !important;"
            + "transform:none !important;float:none !important;overflow:visible !important;display:block !important;"
            + "font-family:'DejaVu Sans Mono',monospace !important;font-size:10pt !important;line-height:4.2mm !important;"
            + "color:#000000 !important;background:#ffffff !important;white-space:nowrap !important;"
            + "text-align:left !important;text-indent:0 !important;letter-spacing:0 !important;word-spacing:0 !important;"
            + "visibility:visible !important;";

    /** The style every element inside the frame gets in its own attribute. */
    static final String FRAME_TEXT_STYLE = "font-family:'DejaVu Sans Mono',monospace !important;font-size:10pt !important;"
            + "font-weight:normal !important;font-style:normal !important;line-height:4.2mm !important;"
            + "letter-spacing:0 !important;word-spacing:0 !important;white-space:nowrap !important;"
            + "text-transform:none !important;text-indent:0 !important;text-align:left !important;margin:0 !important;"
            + "padding:0 !important;border:0 none !important;position:static !important;float:none !important;"
            + "transform:none !important;display:block !important;color:#000000 !important;"
            + "background:transparent !important;height:auto !important;width:auto !important;visibility:visible !important;"
            + "left:auto !important;top:auto !important;";

    static String foldStyle(double topMm) {
        return "position:absolute !important;left:4mm !important;top:" + topMm + "mm !important;width:6mm !important;"
                + "height:0 !important;margin:0 !important;padding:0 !important;border:0 none !important;"
                + "border-top:0.4pt solid #888888 !important;transform:none !important;";
    }

    /**
     * Rules added after the school's style sheet (same origin, later, more specific, important): the
     * page of a postal sheet, the body, and the text inside the frame (one size, monospace — 38
     * characters are 80.7 mm at 10 pt — no wrapping, nothing positioned or transformed).
     */
    static final String CSS = """
            @page postal-window { size: 210mm 297mm !important; margin: 0 !important; padding: 0 !important; border: 0 none !important; }
            @page postal-window:first { size: 210mm 297mm !important; margin: 0 !important; padding: 0 !important; border: 0 none !important; }
            @page postal-window:left { size: 210mm 297mm !important; margin: 0 !important; padding: 0 !important; border: 0 none !important; }
            @page postal-window:right { size: 210mm 297mm !important; margin: 0 !important; padding: 0 !important; border: 0 none !important; }
            html, html body { margin: 0 !important; padding: 0 !important; border: 0 none !important; position: static !important;
              transform: none !important; left: auto !important; top: auto !important; }
            html body div.sheet.postal div.postal-letter * { position: static !important; transform: none !important; }
            html body div.sheet.postal div.postal-frame * { font-family: 'DejaVu Sans Mono', monospace !important;
              font-size: 10pt !important; font-weight: normal !important; font-style: normal !important;
              line-height: 4.2mm !important; letter-spacing: 0 !important; word-spacing: 0 !important;
              white-space: nowrap !important; text-transform: none !important; text-indent: 0 !important;
              text-align: left !important; margin: 0 !important; padding: 0 !important; border: 0 none !important;
              position: static !important; float: none !important; transform: none !important; display: block !important;
              color: #000000 !important; background: transparent !important; height: auto !important;
              width: auto !important; visibility: visible !important; }
            html body div.sheet.postal div.postal-return * { font-size: inherit !important; line-height: 1.2 !important;
              margin: 0 !important; padding: 0 !important; position: static !important; transform: none !important; }
            """;

    private PostalLayout() {
    }

    /** The style element with {@link #CSS}, put just before {@code </head>} of the document shell. */
    static String withEngineStyle(String shell, String templateName) {
        int head = shell.toLowerCase(java.util.Locale.ROOT).lastIndexOf("</head>");
        if (head < 0) {
            throw new fr.publipostage.templates.TemplateError(templateName,
                    "must have a <head> element: the window-envelope layout adds its own style there");
        }
        return shell.substring(0, head) + "<style type=\"text/css\">\n" + CSS + "</style>\n" + shell.substring(head);
    }

    /** Text for XHTML: the five XML escapes. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /**
     * After layout: each postal sheet's frame where the layout says, its lines inside it, its text the
     * whole address. {@code expected} maps a sheet number to the lines its frame must show.
     *
     * @throws LetterFailure naming the template and the person
     */
    static void verify(PdfBoxRenderer renderer, Map<Integer, Expected> expected) {
        if (expected.isEmpty()) return;
        Map<String, Box> ids = renderer.getSharedContext().getIdMap();
        CssContext c = renderer.getSharedContext().newLayoutContextInstance();
        float dotsPerPoint = renderer.getDotsPerPoint();
        for (Map.Entry<Integer, Expected> e : expected.entrySet()) {
            Expected want = e.getValue();
            Box frame = ids == null ? null : ids.get(FRAME_ID + e.getKey());
            if (frame == null) throw moved(want);
            Placement at = placement(renderer.getRootBox().getLayer().getFirstPage(c, frame), frame, c, dotsPerPoint);
            if (at.page() != want.page() || off(at.leftMm(), FRAME_LEFT_MM) || off(at.topMm(), FRAME_TOP_MM)
                    || off(at.widthMm(), FRAME_WIDTH_MM) || off(at.heightMm(), FRAME_HEIGHT_MM) || off(at.pageHeightMm(), 297)
                    || off(at.pageWidthMm(), 210)) {
                throw moved(want);
            }
            java.awt.Rectangle frameRect = new java.awt.Rectangle(frame.getAbsX(), frame.getAbsY(), frame.getWidth(), frame.getHeight());
            List<java.awt.Rectangle> inFrame = new java.util.ArrayList<>();
            marks(frame, inFrame, 0);
            for (java.awt.Rectangle r : inFrame) {
                if (!frameRect.contains(r)) {
                    throw new LetterFailure("render.addressOverflow", List.of(want.name(), want.login()),
                            "the address of " + want.name() + " runs out of the window's frame (print-address.vm)", null);
                }
            }
            // Nothing of the letter inside the window (left 107, top 47, 91 × 43 mm: the frame and the return line).
            double dotsPerMm = dotsPerPoint * PT_PER_MM;
            java.awt.Rectangle window = new java.awt.Rectangle((int) Math.round(frame.getAbsX() - 3 * dotsPerMm),
                    (int) Math.round(frame.getAbsY() - 8 * dotsPerMm), (int) Math.round(91 * dotsPerMm), (int) Math.round(43 * dotsPerMm));
            List<java.awt.Rectangle> inLetter = new java.util.ArrayList<>();
            marks(ids.get(LETTER_ID + e.getKey()), inLetter, 0);
            for (java.awt.Rectangle r : inLetter) {
                if (r.intersects(window)) {
                    throw new LetterFailure("render.windowCovered", List.of(want.name(), want.login()),
                            "the letter of " + want.name() + " writes inside the envelope's window", null);
                }
            }
            String text = frame.getElement() == null ? "" : frame.getElement().getTextContent().replaceAll("\\s+", " ");
            for (String line : want.lines()) {
                if (!text.contains(line)) {
                    throw new LetterFailure("render.addressMissing", List.of(want.name(), want.login()),
                            "print-address.vm does not write the whole address of " + want.name() + " in the window", null);
                }
            }
        }
    }

    /** Where a box is on its page, in millimetres from the page's top-left corner, and the page's size. */
    record Placement(int page, double leftMm, double topMm, double widthMm, double heightMm, double pageWidthMm,
                     double pageHeightMm) {
    }

    private static Placement placement(PageBox page, Box box, CssContext c, float dotsPerPoint) {
        if (page == null) return new Placement(-1, 0, 0, 0, 0, 0, 0);
        double toMm = 1 / (dotsPerPoint * PT_PER_MM);
        double left = (box.getAbsX() + page.getMarginBorderPadding(c, CalculatedStyle.LEFT)) * toMm;
        double top = (box.getAbsY() - page.getTop() + page.getMarginBorderPadding(c, CalculatedStyle.TOP)) * toMm;
        return new Placement(page.getPageNo(), left, top, box.getWidth() * toMm, box.getHeight() * toMm,
                page.getWidth(c) * toMm, page.getHeight(c) * toMm);
    }

    private static boolean off(double mm, double expected) {
        return Math.abs(mm - expected) * PT_PER_MM > TOLERANCE_PT;
    }

    /** What one sheet's frame must show, and whom to name when it does not. */
    record Expected(int page, String name, String login, List<String> lines) {
    }

    private static LetterFailure moved(Expected want) {
        return new LetterFailure("render.addressMoved", List.of(want.name(), want.login()),
                "the templates move the address of " + want.name() + " out of the envelope's window", null);
    }

    /** The rectangles (document coordinates) of every piece of text and every image under {@code root}. */
    private static void marks(Box root, List<java.awt.Rectangle> out, int depth) {
        if (root == null || depth > 40) return;
        if (root instanceof com.openhtmltopdf.render.InlineLayoutBox inline) {
            for (int k = 0; k < inline.getInlineChildCount(); k++) {
                Object child = inline.getInlineChild(k);
                if (child instanceof com.openhtmltopdf.render.InlineText t) {
                    if (!t.isEmpty() && !t.getSubstring().isBlank()) {
                        out.add(new java.awt.Rectangle(inline.getAbsX() + t.getX(), inline.getAbsY(), t.getWidth(), inline.getHeight()));
                    }
                } else if (child instanceof Box b) {
                    marks(b, out, depth + 1);
                }
            }
        }
        if (root instanceof com.openhtmltopdf.render.BlockBox block && block.isReplaced()) {
            out.add(new java.awt.Rectangle(block.getAbsX(), block.getAbsY(), block.getWidth(), block.getHeight()));
        }
        if (root instanceof LineBox line) {
            for (Box b : line.getNonFlowContent()) marks(b, out, depth + 1);
        }
        for (int i = 0; i < root.getChildCount(); i++) marks(root.getChild(i), out, depth + 1);
    }

    /**
     * The frame's content rewritten so that every element carries the frame's text style in its own
     * {@code style} attribute: a school's template decides what the window says, not where or how big.
     *
     * @throws fr.publipostage.templates.TemplateError when print-address.vm does not give well-formed XHTML
     */
    static String pinned(String fragment) {
        org.w3c.dom.Document dom;
        try {
            javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setExpandEntityReferences(false);
            f.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            dom = builder.parse(new org.xml.sax.InputSource(new java.io.StringReader(
                    "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + fragment + "</div>")));
        } catch (Exception e) {
            throw new fr.publipostage.templates.TemplateError("print-address.vm", "is not well-formed XHTML: " + e.getMessage());
        }
        StringBuilder out = new StringBuilder(fragment.length() + 512);
        org.w3c.dom.NodeList children = dom.getDocumentElement().getChildNodes();
        for (int i = 0; i < children.getLength(); i++) write(children.item(i), out);
        return out.toString();
    }

    private static void write(org.w3c.dom.Node node, StringBuilder out) {
        if (node.getNodeType() == org.w3c.dom.Node.TEXT_NODE || node.getNodeType() == org.w3c.dom.Node.CDATA_SECTION_NODE) {
            out.append(escape(node.getNodeValue()));
            return;
        }
        if (node.getNodeType() != org.w3c.dom.Node.ELEMENT_NODE) return;
        org.w3c.dom.Element e = (org.w3c.dom.Element) node;
        String name = e.getLocalName() == null ? e.getTagName() : e.getLocalName();
        out.append('<').append(name);
        var attributes = e.getAttributes();
        for (int k = 0; k < attributes.getLength(); k++) {
            org.w3c.dom.Attr a = (org.w3c.dom.Attr) attributes.item(k);
            String an = a.getLocalName() == null ? a.getName() : a.getLocalName();
            if (an.equals("style") || an.equals("id") || an.startsWith("xmlns") || a.getName().startsWith("xmlns")) continue;
            out.append(' ').append(an).append("=\"").append(escape(a.getValue())).append('"');
        }
        out.append(" style=\"").append(FRAME_TEXT_STYLE).append("\">");
        org.w3c.dom.NodeList children = e.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) write(children.item(i), out);
        out.append("</").append(name).append('>');
    }
}

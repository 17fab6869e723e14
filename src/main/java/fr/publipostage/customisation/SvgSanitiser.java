package fr.publipostage.customisation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Makes an uploaded SVG safe by copying an allow-list of it into a new document.
 *
 * <p>Policy: active content never draws anything on paper, so it is <em>removed</em> and listed
 * ({@code <script>}, {@code on*} handlers, {@code <foreignObject>}, animations, links); what would
 * change the picture or reach outside the file is <em>refused</em> with a reason, so the admin never
 * gets a logo that prints differently from what he sent: a DOCTYPE (entities: XXE, "billion laughs"),
 * a reference to anything but {@code #fragment} or an embedded {@code data:image/png|jpeg}
 * ({@code href}, {@code url(...)}, {@code @import}), CSS escapes, no usable size, too many elements
 * once {@code <use>} is expanded. Elements and attributes outside the lists (editor metadata such as
 * Inkscape's) are dropped silently.
 */
public final class SvgSanitiser {
    static final String SVG_NS = "http://www.w3.org/2000/svg";
    static final String XLINK_NS = "http://www.w3.org/1999/xlink";

    /** The sanitised document, its size (CSS pixels, for the aspect ratio) and what was removed. */
    public record Result(byte[] svg, double width, double height, List<String> removed) {
    }

    private static final Set<String> ELEMENTS = Set.of(
            "svg", "g", "defs", "symbol", "use", "title", "desc", "switch",
            "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
            "text", "tspan", "textPath",
            "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "image", "style",
            "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feFuncR", "feFuncG", "feFuncB", "feFuncA",
            "feComposite", "feFlood", "feGaussianBlur", "feMerge", "feMergeNode", "feOffset", "feMorphology");

    /** Removed and reported: they act, they do not draw. Other unknown elements are dropped silently. */
    private static final Set<String> ACTIVE_ELEMENTS = Set.of(
            "script", "foreignObject", "handler", "listener", "set", "animate", "animateMotion", "animateColor",
            "animateTransform", "discard", "iframe", "video", "audio", "feImage", "cursor");

    private static final Set<String> TEXT_ELEMENTS = Set.of("text", "tspan", "textPath", "title", "desc", "style");

    /** Elements whose {@code xlink:href} is followed: a fragment of this document, or an embedded image. */
    private static final Set<String> HREF_ELEMENTS = Set.of(
            "use", "image", "linearGradient", "radialGradient", "pattern", "filter", "textPath");

    private static final Set<String> ATTRIBUTES = Set.of(
            "id", "class", "style", "transform", "version", "viewBox", "preserveAspectRatio",
            "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "width", "height",
            "d", "points", "pathLength",
            "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
            "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity", "color",
            "display", "visibility", "overflow", "clip", "clip-path", "clip-rule", "clipPathUnits", "mask",
            "maskUnits", "maskContentUnits", "filter", "filterUnits", "primitiveUnits", "filterRes",
            "gradientUnits", "gradientTransform", "spreadMethod", "offset", "stop-color", "stop-opacity",
            "patternUnits", "patternContentUnits", "patternTransform",
            "font-family", "font-size", "font-size-adjust", "font-weight", "font-style", "font-variant",
            "font-stretch", "font", "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift",
            "letter-spacing", "word-spacing", "text-decoration", "writing-mode", "direction", "unicode-bidi",
            "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing",
            "marker", "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "markerUnits",
            "refX", "refY", "orient",
            "in", "in2", "result", "stdDeviation", "mode", "operator", "k1", "k2", "k3", "k4", "values", "type",
            "tableValues", "slope", "intercept", "amplitude", "exponent", "radius",
            "flood-color", "flood-opacity", "lighting-color", "color-interpolation", "color-interpolation-filters",
            "color-rendering", "color-profile", "shape-rendering", "text-rendering", "image-rendering",
            "enable-background", "requiredFeatures", "systemLanguage");

    private static final Pattern FRAGMENT = Pattern.compile("#[A-Za-z_][\\w.:-]*");
    private static final Pattern DATA_IMAGE = Pattern.compile("data:image/(png|jpeg);base64,([A-Za-z0-9+/=\\s]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern URL = Pattern.compile("url\\(\\s*(['\"]?)([^'\")]*)\\1\\s*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern LENGTH = Pattern.compile(
            "\\s*([+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)\\s*(px|pt|pc|mm|cm|in|%)?\\s*");

    /** Nesting (and {@code <use>} chains) deeper than this is refused: the copy and the count recurse. */
    private static final int MAX_DEPTH = 256;

    private final LogoLimits limits;

    public SvgSanitiser(LogoLimits limits) {
        this.limits = limits;
    }

    /** @throws LogoRejected when the file is not an SVG, or holds something refused (see the class comment) */
    public Result sanitise(byte[] bytes) {
        checkRoot(bytes);
        Document source = parse(bytes);
        Element root = source.getDocumentElement();
        boolean bareSvg = root.getNamespaceURI() == null;
        if (!bareSvg && !SVG_NS.equals(root.getNamespaceURI())) throw new LogoRejected("logo.unsupportedFormat");
        Document clean = newDocumentBuilder().newDocument();
        Set<String> removed = new LinkedHashSet<>();
        Element cleanRoot = clean.createElementNS(SVG_NS, "svg");
        cleanRoot.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns", SVG_NS);
        cleanRoot.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:xlink", XLINK_NS);
        clean.appendChild(cleanRoot);
        copyAttributes(root, cleanRoot, removed);
        copyChildren(root, cleanRoot, bareSvg, removed);
        double[] size = size(cleanRoot);
        checkExpansion(cleanRoot);
        return new Result(serialise(clean), size[0], size[1], List.copyOf(removed));
    }

    /**
     * A first look with a parser that does not process DTDs at all: tells an SVG with a DOCTYPE (refused:
     * entities) from another XML or HTML file (not a logo), before the real parse refuses any DOCTYPE.
     */
    private static void checkRoot(byte[] bytes) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        boolean doctype = false;
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(bytes));
            try {
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.DTD) doctype = true;
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        if (!"svg".equals(reader.getLocalName())) throw new LogoRejected("logo.unsupportedFormat");
                        if (doctype) throw new LogoRejected("logo.svg.doctype");
                        return;
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            if (doctype) throw new LogoRejected(e, "logo.svg.doctype");
            throw new LogoRejected(e, "logo.unsupportedFormat");
        }
        throw new LogoRejected("logo.unsupportedFormat");
    }

    private static DocumentBuilder newDocumentBuilder() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // Any DOCTYPE is a parse error: no internal entities (billion laughs), no external ones (XXE).
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            // Nothing is ever fetched, even if a feature above were ignored.
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a security feature", e);
        }
    }

    private static Document parse(byte[] bytes) {
        try {
            return newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
        } catch (SAXParseException e) {
            if (e.getMessage() != null && e.getMessage().contains("DOCTYPE")) throw new LogoRejected(e, "logo.svg.doctype");
            throw new LogoRejected(e, "logo.svg.notWellFormed", e.getLineNumber(), e.getColumnNumber());
        } catch (SAXException | IOException e) {
            throw new LogoRejected(e, "logo.svg.notWellFormed", 0, 0);
        }
    }

    private void copyChildren(Element from, Element to, boolean bareSvg, Set<String> removed) {
        if (depth(to) > MAX_DEPTH) throw new LogoRejected("logo.svg.tooComplex", limits.svgMaxElements());
        for (Node child = from.getFirstChild(); child != null; child = child.getNextSibling()) {
            switch (child.getNodeType()) {
                case Node.ELEMENT_NODE -> copyElement((Element) child, to, bareSvg, removed);
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> {
                    if (TEXT_ELEMENTS.contains(to.getLocalName())) {
                        to.appendChild(to.getOwnerDocument().createTextNode(child.getNodeValue()));
                    }
                }
                default -> {
                    // Comments and processing instructions: dropped.
                }
            }
        }
    }

    private static int depth(Node node) {
        int depth = 0;
        for (Node n = node; n != null; n = n.getParentNode()) depth++;
        return depth;
    }

    private void copyElement(Element element, Element parent, boolean bareSvg, Set<String> removed) {
        String ns = element.getNamespaceURI();
        String name = element.getLocalName();
        if (!(SVG_NS.equals(ns) || bareSvg && ns == null)) {
            // Another vocabulary: editor metadata (Inkscape, Illustrator), or XHTML in a foreignObject.
            if ("foreignObject".equals(name) || "script".equals(name)) removed.add(name);
            return;
        }
        if (ACTIVE_ELEMENTS.contains(name)) {
            removed.add(name);
            return;
        }
        if ("a".equals(name)) {
            // A link: keep what it draws, drop the link.
            removed.add("a");
            Element group = parent.getOwnerDocument().createElementNS(SVG_NS, "g");
            parent.appendChild(group);
            copyAttributes(element, group, removed);
            copyChildren(element, group, bareSvg, removed);
            return;
        }
        if (!ELEMENTS.contains(name)) return;
        if ("style".equals(name) && element.hasAttribute("type")
                && !"text/css".equalsIgnoreCase(element.getAttribute("type").trim())) {
            throw new LogoRejected("logo.svg.unsafeStyle");
        }
        Element copy = parent.getOwnerDocument().createElementNS(SVG_NS, name);
        parent.appendChild(copy);
        copyAttributes(element, copy, removed);
        if ("style".equals(name)) {
            copyStyleSheet(element, copy);
        } else {
            copyChildren(element, copy, bareSvg, removed);
        }
    }

    /**
     * A style sheet is checked as the one text it becomes: split by CDATA sections or comments,
     * "ur" + "l(http:…)" would pass a check made piece by piece.
     */
    private void copyStyleSheet(Element from, Element to) {
        StringBuilder css = new StringBuilder();
        for (Node child = from.getFirstChild(); child != null; child = child.getNextSibling()) {
            short type = child.getNodeType();
            if (type == Node.TEXT_NODE || type == Node.CDATA_SECTION_NODE) css.append(child.getNodeValue());
        }
        checkCss(css.toString());
        to.appendChild(to.getOwnerDocument().createTextNode(css.toString()));
    }

    private void copyAttributes(Element from, Element to, Set<String> removed) {
        NamedNodeMap attributes = from.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr attr = (Attr) attributes.item(i);
            String ns = attr.getNamespaceURI();
            String name = attr.getLocalName() == null ? attr.getName() : attr.getLocalName();
            String value = attr.getValue();
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(ns)) continue;
            if (name.toLowerCase(Locale.ROOT).startsWith("on")) {
                removed.add(name);
                continue;
            }
            boolean href = "href".equals(name) && (ns == null || XLINK_NS.equals(ns));
            if (href) {
                if (!HREF_ELEMENTS.contains(to.getLocalName())) continue;
                checkReference(value.trim());
                // Batik (SVG 1.1) reads xlink:href only.
                to.setAttributeNS(XLINK_NS, "xlink:href", value.trim());
            } else if (XMLConstants.XML_NS_URI.equals(ns) && "space".equals(name)) {
                to.setAttributeNS(XMLConstants.XML_NS_URI, "xml:space", value);
            } else if (ns == null && ATTRIBUTES.contains(name)) {
                checkCss(value);
                to.setAttribute(name, value);
            }
        }
    }

    /** A reference must stay inside the file: {@code #id}, or an embedded PNG/JPEG within the limits. */
    private void checkReference(String target) {
        if (FRAGMENT.matcher(target).matches()) return;
        Matcher data = DATA_IMAGE.matcher(target);
        if (data.matches()) {
            byte[] image;
            try {
                image = Base64.getMimeDecoder().decode(data.group(2));
            } catch (IllegalArgumentException e) {
                throw new LogoRejected(e, "logo.svg.embeddedImage");
            }
            if (!LogoFormat.isPngOrJpeg(image)) throw new LogoRejected("logo.svg.embeddedImage");
            // Batik decodes it: its header is checked like an upload's (decompression bombs).
            int[] size = LogoRaster.dimensions(image);
            if (size[0] > limits.maxSide() || size[1] > limits.maxSide()) {
                throw new LogoRejected("logo.tooLarge", size[0], size[1], limits.maxSide());
            }
            return;
        }
        throw new LogoRejected("logo.svg.externalReference", shorten(target));
    }

    /** CSS in a style element, a style attribute or a presentation attribute: only references inside the file. */
    private void checkCss(String css) {
        String lower = css.toLowerCase(Locale.ROOT);
        // Escapes would let "u\72l(" or "@\69mport" pass the checks below while the CSS parser reads them.
        if (lower.indexOf('\\') >= 0 || lower.contains("expression(") || lower.contains("javascript:")) {
            throw new LogoRejected("logo.svg.unsafeStyle");
        }
        if (lower.contains("@import")) throw new LogoRejected("logo.svg.externalReference", "@import");
        Matcher url = URL.matcher(css);
        int urls = 0;
        while (url.find()) {
            urls++;
            checkReference(url.group(2).trim());
        }
        if (urls != countOccurrences(lower, "url(")) throw new LogoRejected("logo.svg.unsafeStyle");
    }

    private static int countOccurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    /** Width and height in CSS pixels (absolute width/height, else the viewBox), checked. */
    private double[] size(Element svg) {
        double[] viewBox = null;
        if (svg.hasAttribute("viewBox")) {
            String[] parts = svg.getAttribute("viewBox").trim().split("[\\s,]+");
            if (parts.length != 4) throw new LogoRejected("logo.svg.badSize", "viewBox", svg.getAttribute("viewBox"));
            viewBox = new double[4];
            for (int i = 0; i < 4; i++) {
                try {
                    viewBox[i] = Double.parseDouble(parts[i]);
                } catch (NumberFormatException e) {
                    throw new LogoRejected(e, "logo.svg.badSize", "viewBox", svg.getAttribute("viewBox"));
                }
                if (!Double.isFinite(viewBox[i]) || Math.abs(viewBox[i]) > 1e6) {
                    throw new LogoRejected("logo.svg.badSize", "viewBox", svg.getAttribute("viewBox"));
                }
            }
            if (viewBox[2] <= 0 || viewBox[3] <= 0) throw new LogoRejected("logo.svg.badSize", "viewBox", svg.getAttribute("viewBox"));
        }
        Double width = length(svg, "width");
        Double height = length(svg, "height");
        double w;
        double h;
        if (width != null && height != null) {
            w = width;
            h = height;
        } else if (viewBox != null) {
            w = viewBox[2];
            h = viewBox[3];
        } else {
            throw new LogoRejected("logo.svg.noSize");
        }
        double aspect = Math.max(w / h, h / w);
        if (aspect > limits.maxAspect()) throw new LogoRejected("logo.aspect", Math.round(aspect), Math.round(limits.maxAspect()));
        return new double[] {w, h};
    }

    /** An absolute length in CSS pixels; null when absent or relative (%), which leaves the size to the viewBox. */
    private Double length(Element svg, String attribute) {
        if (!svg.hasAttribute(attribute)) return null;
        String value = svg.getAttribute(attribute);
        Matcher m = LENGTH.matcher(value);
        if (!m.matches()) throw new LogoRejected("logo.svg.badSize", attribute, value);
        String unit = m.group(2) == null ? "px" : m.group(2);
        if ("%".equals(unit)) return null;
        double number = Double.parseDouble(m.group(1));
        double px = number * switch (unit) {
            case "pt" -> 96.0 / 72;
            case "pc" -> 16.0;
            case "mm" -> 96 / 25.4;
            case "cm" -> 96 / 2.54;
            case "in" -> 96.0;
            default -> 1.0;
        };
        if (!Double.isFinite(px) || px <= 0 || px > limits.maxSide()) throw new LogoRejected("logo.svg.badSize", attribute, value);
        return px;
    }

    /** Counts elements as drawn, each {@code <use>} replaced by what it points to: refuses loops and blow-ups. */
    private void checkExpansion(Element root) {
        Map<String, Element> byId = new HashMap<>();
        collectIds(root, byId);
        Map<Element, Long> cost = new IdentityHashMap<>();
        long total = cost(root, byId, cost, new IdentityHashMap<>(), 0);
        if (total > limits.svgMaxElements()) throw new LogoRejected("logo.svg.tooComplex", limits.svgMaxElements());
    }

    private static void collectIds(Element element, Map<String, Element> byId) {
        if (element.hasAttribute("id")) byId.putIfAbsent(element.getAttribute("id"), element);
        for (Node c = element.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e) collectIds(e, byId);
        }
    }

    private long cost(Element element, Map<String, Element> byId, Map<Element, Long> memo, Map<Element, Boolean> inProgress,
                      int depth) {
        Long known = memo.get(element);
        if (known != null) return known;
        if (inProgress.containsKey(element) || depth > MAX_DEPTH) throw new LogoRejected("logo.svg.tooComplex", limits.svgMaxElements());
        inProgress.put(element, true);
        long total = 1;
        for (Node c = element.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e) total += cost(e, byId, memo, inProgress, depth + 1);
        }
        if ("use".equals(element.getLocalName())) {
            String href = element.getAttributeNS(XLINK_NS, "href");
            Element target = href.startsWith("#") ? byId.get(href.substring(1)) : null;
            if (target != null) total += cost(target, byId, memo, inProgress, depth + 1);
        }
        inProgress.remove(element);
        // Capped so that a deliberate blow-up cannot overflow the count.
        total = Math.min(total, (long) limits.svgMaxElements() + 1);
        memo.put(element, total);
        return total;
    }

    private static byte[] serialise(Document document) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.METHOD, "xml");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("serialising a DOM built here", e);
        }
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "…";
    }
}

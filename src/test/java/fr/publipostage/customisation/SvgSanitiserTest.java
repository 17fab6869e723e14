package fr.publipostage.customisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SvgSanitiserTest {
    private final SvgSanitiser sanitiser = new SvgSanitiser(LogoLimits.DEFAULT);

    private static final String OPEN = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
            + " width=\"100\" height=\"50\" viewBox=\"0 0 100 50\">";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private SvgSanitiser.Result sanitise(String svg) {
        return sanitiser.sanitise(utf8(svg));
    }

    private static String text(SvgSanitiser.Result r) {
        return new String(r.svg(), StandardCharsets.UTF_8);
    }

    private void refused(String svg, String key) {
        assertThatThrownBy(() -> sanitise(svg)).isInstanceOfSatisfying(LogoRejected.class,
                e -> assertThat(e.key()).isEqualTo(key));
    }

    private static Document parse(byte[] svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
    }

    @Test
    void anInkscapeLogoKeepsItsDrawingAndLosesItsEditorMetadata() throws Exception {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/logos/school.svg")) {
            bytes = in.readAllBytes();
        }
        SvgSanitiser.Result r = sanitiser.sanitise(bytes);
        String out = text(r);
        Document doc = parse(r.svg());
        Element root = doc.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(SvgSanitiser.SVG_NS);
        assertThat(doc.getElementsByTagNameNS(SvgSanitiser.SVG_NS, "use").getLength()).isEqualTo(2);
        // Plain href became xlink:href, which Batik (SVG 1.1) reads.
        Element secondUse = (Element) doc.getElementsByTagNameNS(SvgSanitiser.SVG_NS, "use").item(1);
        assertThat(secondUse.getAttributeNS(SvgSanitiser.XLINK_NS, "href")).isEqualTo("#tower");
        assertThat(out).contains("Montesquieu", "url(#sky)", "url(#sky2)", "points=\"20,40 100,5 180,40\"")
                .doesNotContain("sodipodi", "inkscape", "Jean Secret", "metadata", "<!--");
        assertThat(r.width()).isCloseTo(120 * 96 / 25.4, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.height()).isCloseTo(60 * 96 / 25.4, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.removed()).isEmpty();
    }

    @Test
    void activeContentIsRemovedAndListed() {
        SvgSanitiser.Result r = sanitise(OPEN
                + "<script type=\"text/ecmascript\">alert('x')</script>"
                + "<g onload=\"alert(1)\" onclick=\"steal()\"><rect width=\"10\" height=\"10\" ONMOUSEOVER=\"x()\"/></g>"
                + "<foreignObject width=\"10\" height=\"10\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
                + "<iframe src=\"http://evil.example/\"></iframe></div></foreignObject>"
                + "<a xlink:href=\"javascript:alert(1)\"><circle r=\"5\" cx=\"5\" cy=\"5\"/></a>"
                + "<rect width=\"1\" height=\"1\"><set attributeName=\"fill\" to=\"red\"/>"
                + "<animate attributeName=\"href\" values=\"javascript:alert(1)\"/></rect>"
                + "<handler type=\"application/ecmascript\">alert(2)</handler>"
                + "</svg>");
        String out = text(r);
        assertThat(out.toLowerCase()).doesNotContain("script", "onload", "onclick", "onmouseover", "foreignobject",
                "iframe", "alert", "<set", "animate", "handler", "evil.example", "<a ");
        assertThat(out).contains("<circle", "<rect");
        assertThat(r.removed()).contains("script", "onload", "onclick", "ONMOUSEOVER", "foreignObject", "a", "set",
                "animate", "handler");
    }

    @Test
    void referencesOutsideTheFileAreRefused() {
        refused(OPEN + "<image xlink:href=\"http://127.0.0.1:9/x.png\" width=\"5\" height=\"5\"/></svg>",
                "logo.svg.externalReference");
        refused(OPEN + "<image href=\"file:///etc/passwd\" width=\"5\" height=\"5\"/></svg>", "logo.svg.externalReference");
        refused(OPEN + "<use xlink:href=\"other.svg#shape\"/></svg>", "logo.svg.externalReference");
        refused(OPEN + "<rect width=\"5\" height=\"5\" fill=\"url(https://evil.example/p.svg#g)\"/></svg>",
                "logo.svg.externalReference");
        refused(OPEN + "<rect width=\"5\" height=\"5\" style=\"fill: url('//evil.example/x')\"/></svg>",
                "logo.svg.externalReference");
        refused(OPEN + "<style>@import url(#x); rect { fill: red }</style></svg>", "logo.svg.externalReference");
        refused(OPEN + "<style>@import 'http://evil.example/a.css';</style></svg>", "logo.svg.externalReference");
        refused(OPEN + "<style>rect { background: u\\72l(http://evil.example/) }</style></svg>", "logo.svg.unsafeStyle");
        refused(OPEN + "<image xlink:href=\"data:text/html;base64,PHNjcmlwdD4=\" width=\"5\" height=\"5\"/></svg>",
                "logo.svg.externalReference");
        refused(OPEN + "<style type=\"text/xsl\">x</style></svg>", "logo.svg.unsafeStyle");
        // Pieces that only become "url(http:…)" once the style sheet is one text again.
        refused(OPEN + "<style>rect { fill: ur<![CDATA[l(http://evil.example/p#x) }]]></style></svg>",
                "logo.svg.externalReference");
        refused(OPEN + "<style>rect { fill: ur<!-- -->l(http://evil.example/p#x) }</style></svg>",
                "logo.svg.externalReference");
        refused(OPEN + "<style>@imp<![CDATA[ort 'http://evil.example/a.css';]]></style></svg>",
                "logo.svg.externalReference");
    }

    @Test
    void anEmbeddedPngIsKeptWhenSmallAndRefusedWhenItsHeaderClaimsTooManyPixels() throws IOException {
        String small = Base64.getEncoder().encodeToString(pngHeader(32, 32));
        SvgSanitiser.Result ok = sanitise(OPEN + "<image xlink:href=\"data:image/png;base64," + small
                + "\" width=\"5\" height=\"5\"/></svg>");
        assertThat(text(ok)).contains("data:image/png;base64,");
        String bomb = Base64.getEncoder().encodeToString(pngHeader(100_000, 100_000));
        refused(OPEN + "<image xlink:href=\"data:image/png;base64," + bomb + "\" width=\"5\" height=\"5\"/></svg>",
                "logo.tooLarge");
    }

    @Test
    void anyDoctypeIsRefusedSoEntitiesNeverExpand() {
        refused("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                + OPEN + "<text>&d;&d;&d;&d;&d;&d;&d;&d;</text></svg>", "logo.svg.doctype");
        refused("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + OPEN + "<text>&xxe;</text></svg>", "logo.svg.doctype");
        refused("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">"
                + OPEN + "</svg>", "logo.svg.doctype");
    }

    @Test
    void htmlOrOtherXmlIsNotALogo() {
        refused("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "logo.unsupportedFormat");
        refused("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>", "logo.unsupportedFormat");
        refused("<svg xmlns=\"http://evil.example/not-svg\" width=\"5\" height=\"5\"/>", "logo.unsupportedFormat");
        refused(OPEN + "<rect>", "logo.svg.notWellFormed");
    }

    @Test
    void sizesMustBeSane() {
        refused("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"5\" height=\"5\"/></svg>", "logo.svg.noSize");
        refused("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"5\"/>", "logo.svg.badSize");
        refused("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1e400\" height=\"5\"/>", "logo.svg.badSize");
        refused("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"99999\" height=\"5000\"/>", "logo.svg.badSize");
        refused("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 -10 5\"/>", "logo.svg.badSize");
        refused("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 NaN 5\"/>", "logo.svg.badSize");
        refused("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 5\"/>", "logo.aspect");
        SvgSanitiser.Result byViewBox = sanitise("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 300 150\"/>");
        assertThat(byViewBox.width()).isEqualTo(300);
        assertThat(byViewBox.height()).isEqualTo(150);
    }

    @Test
    void useBlowUpsAndLoopsAreRefused() {
        StringBuilder laughs = new StringBuilder(OPEN).append("<defs><rect id=\"l0\" width=\"1\" height=\"1\"/>");
        for (int i = 1; i <= 12; i++) {
            laughs.append("<g id=\"l").append(i).append("\">");
            for (int j = 0; j < 10; j++) laughs.append("<use xlink:href=\"#l").append(i - 1).append("\"/>");
            laughs.append("</g>");
        }
        laughs.append("</defs><use xlink:href=\"#l12\"/></svg>");
        refused(laughs.toString(), "logo.svg.tooComplex");
        refused(OPEN + "<g id=\"a\"><use xlink:href=\"#b\"/></g><g id=\"b\"><use xlink:href=\"#a\"/></g></svg>",
                "logo.svg.tooComplex");
    }

    @Test
    void deepNestingAndLongUseChainsAreRefusedBeforeTheyOverflowTheStack() {
        refused(OPEN + "<g>".repeat(50_000) + "</g>".repeat(50_000) + "</svg>", "logo.svg.tooComplex");
        StringBuilder chain = new StringBuilder(OPEN).append("<defs><rect id=\"c0\" width=\"1\" height=\"1\"/>");
        for (int i = 1; i <= 5_000; i++) {
            chain.append("<use id=\"c").append(i).append("\" xlink:href=\"#c").append(i - 1).append("\"/>");
        }
        chain.append("</defs><use xlink:href=\"#c5000\"/></svg>");
        refused(chain.toString(), "logo.svg.tooComplex");
    }

    @Test
    void anSvgWithoutNamespaceIsPutInTheSvgNamespace() throws Exception {
        SvgSanitiser.Result r = sanitise("<svg width=\"40\" height=\"20\"><circle cx=\"5\" cy=\"5\" r=\"4\"/></svg>");
        Document doc = parse(r.svg());
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(SvgSanitiser.SVG_NS);
        assertThat(doc.getElementsByTagNameNS(SvgSanitiser.SVG_NS, "circle").getLength()).isEqualTo(1);
    }

    /** A PNG signature and IHDR (with its CRC) claiming these dimensions, then IEND: no pixel data. */
    static byte[] pngHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        b.put(chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0).array()));
        b.put(chunk("IEND", new byte[0]));
        return b.array();
    }

    static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        b.put(typeBytes).put(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        b.putInt((int) crc.getValue());
        return b.array();
    }
}

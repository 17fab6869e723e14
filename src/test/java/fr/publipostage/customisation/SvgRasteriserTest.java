package fr.publipostage.customisation;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SvgRasteriserTest {
    private final SvgRasteriser rasteriser = new SvgRasteriser();
    private final SvgSanitiser sanitiser = new SvgSanitiser(LogoLimits.DEFAULT);

    @Test
    void drawsTheSanitisedSchoolLogoAtTheAskedSize() throws Exception {
        byte[] svg;
        try (InputStream in = getClass().getResourceAsStream("/logos/school.svg")) {
            svg = sanitiser.sanitise(in.readAllBytes()).svg();
        }
        BufferedImage image = rasteriser.rasterise(svg, 360, 180);
        assertThat(image.getWidth()).isEqualTo(360);
        assertThat(image.getHeight()).isEqualTo(180);
        // The gradient sky is blue-ish and opaque; the roof (class "roof" from the <style>) is red.
        int sky = image.getRGB(5, 90);
        assertThat(sky >>> 24).isEqualTo(0xFF);
        assertThat(sky & 0xFF).isGreaterThan((sky >> 16) & 0xFF);
        int roof = image.getRGB(180, 30);
        assertThat((roof >> 16) & 0xFF).isGreaterThan(0xA0);
        assertThat(roof & 0xFF).isLessThan(0x60);
    }

    @Test
    void anEmbeddedPngIsDrawn() throws Exception {
        BufferedImage red = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) red.setRGB(x, y, 0xFF0000);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(red, "png", png);
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
                + " width=\"40\" height=\"40\"><image width=\"40\" height=\"40\" xlink:href=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png.toByteArray()) + "\"/></svg>";
        byte[] clean = sanitiser.sanitise(svg.getBytes(StandardCharsets.UTF_8)).svg();
        BufferedImage image = rasteriser.rasterise(clean, 80, 80);
        assertThat(image.getRGB(40, 40) & 0xFFFFFF).isEqualTo(0xFF0000);
    }

    @Test
    void batikItselfLoadsNothingFromOutsideEvenIfTheSanitiserWereBypassed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Counts and closes every connection, so a Batik that did connect fails the test instead of hanging it.
            AtomicInteger connections = new AtomicInteger();
            Thread listener = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket ignored = server.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            listener.setDaemon(true);
            listener.start();
            String url = "http://127.0.0.1:" + server.getLocalPort();
            // Straight to Batik, not sanitised: an external stylesheet, script and image, an onload.
            String svg = "<?xml-stylesheet href=\"" + url + "/style.css\" type=\"text/css\"?>"
                    + "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
                    + " width=\"40\" height=\"40\" onload=\"alert(1)\">"
                    + "<script type=\"text/ecmascript\" xlink:href=\"" + url + "/x.js\"/>"
                    + "<rect width=\"40\" height=\"40\" fill=\"#00ff00\"/>"
                    + "<image xlink:href=\"" + url + "/logo.png\" width=\"40\" height=\"40\"/></svg>";
            try {
                rasteriser.rasterise(svg.getBytes(StandardCharsets.UTF_8), 40, 40);
            } catch (LogoRejected expected) {
                assertThat(expected.key()).isEqualTo("logo.svg.unrenderable");
            }
            Thread.sleep(200);
            assertThat(connections.get()).as("connections Batik opened to the test socket").isZero();
        }
    }
}

package fr.publipostage.customisation;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** A phone's JPEG logo prints the way the phone showed it, though its EXIF is dropped. */
class JpegOrientationTest {
    private final LogoProcessor processor = new LogoProcessor(LogoLimits.DEFAULT, new SvgSanitiser(LogoLimits.DEFAULT),
            new SvgRasteriser());

    /** 80×40: red left half, blue right half. */
    private static byte[] redLeftBlueRight() throws IOException {
        BufferedImage image = new BufferedImage(80, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) for (int x = 0; x < 80; x++) image.setRGB(x, y, x < 40 ? 0xDD0000 : 0x0000DD);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    /** The JPEG with an APP1 Exif segment whose IFD0 holds the orientation tag (and one tag before it). */
    private static byte[] withOrientation(byte[] jpeg, int orientation, ByteOrder order) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4).order(order);
        tiff.put(order == ByteOrder.BIG_ENDIAN ? (byte) 'M' : (byte) 'I').put(order == ByteOrder.BIG_ENDIAN ? (byte) 'M' : (byte) 'I');
        tiff.putShort((short) 42).putInt(8).putShort((short) 2);
        tiff.putShort((short) 0x010F).putShort((short) 2).putInt(4).putInt(0);          // Make (ignored)
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(jpeg.length + 4 + exif.length + tiff.capacity());
        b.put(jpeg, 0, 2).put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + exif.length + tiff.capacity()))
                .put(exif).put(tiff.array()).put(jpeg, 2, jpeg.length - 2);
        return b.array();
    }

    private static boolean reddish(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() > 150 && c.getBlue() < 100;
    }

    private static boolean bluish(int rgb) {
        Color c = new Color(rgb);
        return c.getBlue() > 150 && c.getRed() < 100;
    }

    @Test
    void theOrientationTagIsReadInBothByteOrders() throws IOException {
        byte[] plain = redLeftBlueRight();
        assertThat(JpegOrientation.of(plain)).isEqualTo(1);
        for (int o = 1; o <= 8; o++) {
            assertThat(JpegOrientation.of(withOrientation(plain, o, ByteOrder.BIG_ENDIAN))).isEqualTo(o);
            assertThat(JpegOrientation.of(withOrientation(plain, o, ByteOrder.LITTLE_ENDIAN))).isEqualTo(o);
        }
        assertThat(JpegOrientation.of(withOrientation(plain, 42, ByteOrder.BIG_ENDIAN))).isEqualTo(1);
        // A truncated file says nothing rather than failing.
        byte[] cut = java.util.Arrays.copyOf(withOrientation(plain, 6, ByteOrder.BIG_ENDIAN), 30);
        assertThat(JpegOrientation.of(cut)).isEqualTo(1);
    }

    @Test
    void theLettersCopyIsTurnedAsThePhoneShowedIt() throws IOException {
        byte[] plain = redLeftBlueRight();
        // 6: turn 90° clockwise — the left (red) half comes on top.
        BufferedImage six = copy(processor.process(withOrientation(plain, 6, ByteOrder.BIG_ENDIAN)));
        assertThat(six.getHeight()).isGreaterThan(six.getWidth());
        assertThat(reddish(six.getRGB(six.getWidth() / 2, 5))).isTrue();
        assertThat(bluish(six.getRGB(six.getWidth() / 2, six.getHeight() - 5))).isTrue();
        // 8: turn 90° anticlockwise — the right (blue) half comes on top.
        BufferedImage eight = copy(processor.process(withOrientation(plain, 8, ByteOrder.LITTLE_ENDIAN)));
        assertThat(eight.getHeight()).isGreaterThan(eight.getWidth());
        assertThat(bluish(eight.getRGB(eight.getWidth() / 2, 5))).isTrue();
        // 3: upside down — blue on the left.
        BufferedImage three = copy(processor.process(withOrientation(plain, 3, ByteOrder.BIG_ENDIAN)));
        assertThat(three.getWidth()).isGreaterThan(three.getHeight());
        assertThat(bluish(three.getRGB(5, three.getHeight() / 2))).isTrue();
        // None: as stored.
        BufferedImage one = copy(processor.process(plain));
        assertThat(reddish(one.getRGB(5, one.getHeight() / 2))).isTrue();
    }

    private static BufferedImage copy(LogoProcessor.Processed p) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(p.lettersImage()));
    }
}

package fr.publipostage.customisation;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** ImageIO for logos: header-only size, subsampled decoding, scaling, metadata-free encoding. */
final class LogoRaster {
    private LogoRaster() {
    }

    /** Width and height from the header alone: no pixel is decoded (a 100000×100000 bomb costs nothing). */
    static int[] dimensions(byte[] bytes) {
        ImageReader reader = reader(bytes);
        try {
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        } catch (IOException | RuntimeException e) {
            throw new LogoRejected(e, "logo.unreadable");
        } finally {
            reader.dispose();
        }
    }

    /**
     * Decodes keeping one pixel in {@code subsampling} each way, so that a 4000-pixel upload needed for a
     * 320-pixel copy never costs a 4000×4000 buffer.
     */
    static BufferedImage decode(byte[] bytes, int subsampling) {
        ImageReader reader = reader(bytes);
        try {
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(subsampling, subsampling, 0, 0);
            return reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            // Truncated files, CMYK JPEGs (ImageIO reads RGB and greyscale only)…
            throw new LogoRejected(e, "logo.unreadable");
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader reader(byte[] bytes) {
        ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) throw new LogoRejected("logo.unreadable");
        ImageReader reader = readers.next();
        reader.setInput(in, true, true);
        return reader;
    }

    /** Scales down by halving first (bilinear in one big step would skip pixels), into ARGB, or RGB on white. */
    static BufferedImage scale(BufferedImage source, int width, int height, boolean alpha) {
        BufferedImage current = source;
        int w = source.getWidth();
        int h = source.getHeight();
        do {
            w = Math.max(width, w / 2);
            h = Math.max(height, h / 2);
            if (w < width * 2 && h < height * 2) {
                w = width;
                h = height;
            }
            current = draw(current, w, h, alpha);
        } while (w != width || h != height);
        return current;
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, boolean alpha) {
        BufferedImage target = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            if (!alpha) {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, width, height);
            }
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    /** PNG with no metadata chunks beyond what the encoder needs. */
    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) throw new IllegalStateException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Baseline JPEG from an RGB image: no EXIF, no comments, no thumbnail. */
    static byte[] jpeg(BufferedImage rgb, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}

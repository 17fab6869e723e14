package fr.publipostage.templates;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * What an image a template brings ({@code data:} URI in a letter or a mail) may be — the logo's limits:
 * PNG, JPEG or GIF declared as what its bytes are, at most {@link #maxBytes()} bytes and {@link #maxSide()} pixels a side, read from
 * the header before any pixel is decoded (a 48 KB PNG of 20000×20000 pixels would need 1.6 GB). The
 * template checks refuse such an image on save; the PDF engine skips it at render time.
 */
public record ImageLimits(int maxSide, int maxBytes) {
    /** The logo's limits (LogoLimits): 4,000 px a side, 512 KB. */
    public static final ImageLimits DEFAULT = new ImageLimits(4000, 512 * 1024);

    /**
     * Why an image may not be drawn: {@code key} is an i18n key suffix ({@code editor.check.image.<key>}),
     * {@code args} its arguments.
     */
    public record Refusal(String key, List<Object> args) {
    }

    /** Whether this URI is a {@code data:} URI. */
    public static boolean isData(String uri) {
        return uri != null && uri.regionMatches(true, 0, "data:", 0, 5);
    }

    /** The refusal of this {@code data:} image, or null when it may be drawn. Never decodes a pixel. */
    public Refusal check(String dataUri) {
        String uri = dataUri.strip();
        int comma = uri.indexOf(',');
        if (!isData(uri) || comma < 0) return new Refusal("unreadable", List.of());
        String meta = uri.substring(5, comma).toLowerCase(Locale.ROOT);
        if (!meta.endsWith(";base64")) return new Refusal("format", List.of(meta.isEmpty() ? "text" : meta));
        String payload = uri.substring(comma + 1);
        // The size first, from the text: 4 base64 characters carry 3 bytes.
        long bytes = payload.chars().filter(c -> !Character.isWhitespace(c)).count() * 3 / 4;
        if (bytes > maxBytes) return new Refusal("tooManyBytes", List.of((bytes + 1023) / 1024, maxBytes / 1024));
        byte[] data;
        try {
            data = Base64.getMimeDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            return new Refusal("unreadable", List.of());
        }
        // The type it declares is the one the engine reads it as (application/pdf: a page drawn by
        // PDFBox): it must be an image format, and the one its bytes are.
        String type = meta.indexOf(';') < 0 ? meta : meta.substring(0, meta.indexOf(';')).strip();
        String format = formatOf(data);
        if (format == null) return new Refusal("format", List.of(type.isEmpty() ? "?" : type));
        boolean jpeg = (type.equals("image/jpg") || type.equals("image/pjpeg")) && format.equals("image/jpeg");
        if (!type.equals(format) && !jpeg) return new Refusal("mismatch", List.of(type.isEmpty() ? "?" : type, format));
        int[] size = dimensions(data);
        if (size == null) return new Refusal("unreadable", List.of());
        if (size[0] > maxSide || size[1] > maxSide) return new Refusal("tooLarge", List.of(size[0], size[1], maxSide));
        return null;
    }

    /** image/png, image/jpeg or image/gif by the first bytes (what letters and mails can show everywhere), else null. */
    private static String formatOf(byte[] b) {
        if (b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return "image/png";
        if (b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) return "image/jpeg";
        if (b.length > 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') return "image/gif";
        return null;
    }

    /** Width and height from the header (ImageIO reads IHDR, SOF or the screen descriptor, no pixel). */
    private static int[] dimensions(byte[] bytes) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return null;
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

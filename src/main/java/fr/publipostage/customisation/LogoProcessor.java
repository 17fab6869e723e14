package fr.publipostage.customisation;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Turns an upload into what is stored: checks it, keeps a safe original, and makes the small copy that
 * letters embed. Knows nothing of the database.
 *
 * <p>The letters' copy is always re-encoded by ImageIO, which writes no EXIF/XMP/comments: PNG for PNG
 * and SVG sources (transparency, sharp edges of drawn logos), JPEG (quality 0.9) for JPEG sources, which
 * are photographs: as PNG they would be several times larger, and this copy is repeated as a
 * {@code data:} URI in every letter's XHTML.
 */
public final class LogoProcessor {
    private static final float JPEG_QUALITY = 0.9f;
    private static final int SMALLEST_LETTERS_SIDE = 64;

    /**
     * @param original       PNG/JPEG: the uploaded bytes (full resolution, for a later reprocessing; never
     *                       put in a letter or served inline); SVG: the sanitised document, never the upload
     * @param originalWidth  pixels (SVG: its CSS size, rounded)
     * @param lettersImage   what letters embed (PNG or JPEG, no metadata)
     * @param removed        SVG content removed by the sanitiser (element or attribute names); empty otherwise
     */
    public record Processed(LogoFormat format, byte[] original, int originalWidth, int originalHeight,
                            String lettersType, byte[] lettersImage, int width, int height, List<String> removed) {
    }

    private final LogoLimits limits;
    private final SvgSanitiser sanitiser;
    private final SvgRasteriser rasteriser;

    public LogoProcessor(LogoLimits limits, SvgSanitiser sanitiser, SvgRasteriser rasteriser) {
        this.limits = limits;
        this.sanitiser = sanitiser;
        this.rasteriser = rasteriser;
    }

    public LogoLimits limits() {
        return limits;
    }

    /** @throws LogoRejected with the reason, in i18n form */
    public Processed process(byte[] bytes) {
        if (bytes == null || bytes.length == 0) throw new LogoRejected("logo.empty");
        if (bytes.length > limits.maxBytes()) {
            throw new LogoRejected("logo.tooBig", (bytes.length + 1023) / 1024, limits.maxBytes() / 1024);
        }
        LogoFormat format = LogoFormat.detect(bytes);
        return format == LogoFormat.SVG ? svg(bytes) : raster(format, bytes);
    }

    private Processed raster(LogoFormat format, byte[] bytes) {
        int[] size = LogoRaster.dimensions(bytes);
        // A phone's JPEG says how to turn its pixels; the copy is turned, since its EXIF is dropped.
        int orientation = format == LogoFormat.JPEG ? JpegOrientation.of(bytes) : 1;
        boolean sideways = JpegOrientation.turnsSideways(orientation);
        int w = sideways ? size[1] : size[0];
        int h = sideways ? size[0] : size[1];
        if (w > limits.maxSide() || h > limits.maxSide()) throw new LogoRejected("logo.tooLarge", w, h, limits.maxSide());
        if (w < limits.minSide() || h < limits.minSide()) throw new LogoRejected("logo.tooSmall", w, h, limits.minSide());
        checkAspect(w, h);
        int longSide = Math.max(w, h);
        // Decode at no less than twice the copy's size: enough for a clean downscale, far less memory.
        int subsampling = Math.max(1, longSide / (2 * limits.lettersSide()));
        BufferedImage decoded = JpegOrientation.apply(LogoRaster.decode(bytes, subsampling), orientation);
        boolean png = format == LogoFormat.PNG;
        Letters letters = shrinkToBudget(Math.min(longSide, limits.lettersSide()), w, h, (side) -> {
            int[] d = fit(w, h, side);
            BufferedImage scaled = LogoRaster.scale(decoded, d[0], d[1], png);
            return png ? LogoRaster.png(scaled) : LogoRaster.jpeg(scaled, JPEG_QUALITY);
        });
        return new Processed(format, bytes, w, h, png ? "image/png" : "image/jpeg", letters.bytes, letters.width,
                letters.height, List.of());
    }

    private Processed svg(byte[] bytes) {
        SvgSanitiser.Result clean = sanitiser.sanitise(bytes);
        double w = clean.width();
        double h = clean.height();
        Letters letters = shrinkToBudget(limits.lettersSide(), w, h, (side) -> {
            int[] d = fit(w, h, side);
            return LogoRaster.png(rasteriser.rasterise(clean.svg(), d[0], d[1]));
        });
        return new Processed(LogoFormat.SVG, clean.svg(), (int) Math.max(1, Math.round(w)),
                (int) Math.max(1, Math.round(h)), "image/png", letters.bytes, letters.width, letters.height,
                clean.removed());
    }

    private record Letters(byte[] bytes, int width, int height) {
    }

    /** The copy at {@code side} pixels (long side), smaller by quarters until it fits the byte budget. */
    private Letters shrinkToBudget(int side, double w, double h, IntFunction<byte[]> encode) {
        while (true) {
            byte[] encoded = encode.apply(side);
            if (encoded.length <= limits.lettersMaxBytes() || side <= SMALLEST_LETTERS_SIDE) {
                int[] d = fit(w, h, side);
                return new Letters(encoded, d[0], d[1]);
            }
            side = Math.max(SMALLEST_LETTERS_SIDE, side * 3 / 4);
        }
    }

    private void checkAspect(double w, double h) {
        double aspect = Math.max(w / h, h / w);
        if (aspect > limits.maxAspect()) throw new LogoRejected("logo.aspect", Math.round(aspect), Math.round(limits.maxAspect()));
    }

    /** Width and height with the long side = {@code side}, the aspect ratio kept. */
    private static int[] fit(double w, double h, int side) {
        if (w >= h) return new int[] {side, (int) Math.max(1, Math.round(side * h / w))};
        return new int[] {(int) Math.max(1, Math.round(side * w / h)), side};
    }
}

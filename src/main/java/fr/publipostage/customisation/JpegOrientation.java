package fr.publipostage.customisation;

import java.awt.image.BufferedImage;

/**
 * The EXIF orientation of a JPEG (tag 0x0112 of IFD0 in the APP1 "Exif" segment): phones store the
 * pixels as the sensor saw them and say how to turn them. Re-encoding drops EXIF, so the turn is
 * applied to the pixels first — otherwise a portrait photo of a logo would print on its side.
 */
final class JpegOrientation {
    private JpegOrientation() {
    }

    /** 1 (as stored) to 8; 1 when there is no readable orientation. */
    static int of(byte[] jpeg) {
        int at = 2; // after SOI
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) return 1; // pixels or end: no EXIF before them
            int length = u16(jpeg, at + 2, true);
            if (length < 2 || at + 2 + length > jpeg.length) return 1;
            if (marker == 0xE1 && length >= 8 && startsWithExif(jpeg, at + 4)) {
                return orientation(jpeg, at + 10, at + 2 + length);
            }
            at += 2 + length;
        }
        return 1;
    }

    private static boolean startsWithExif(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0 && b[at + 5] == 0;
    }

    /** Reads IFD0 of the TIFF structure in [tiff, end). */
    private static int orientation(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) return 1;
        boolean bigEndian;
        if (b[tiff] == 'M' && b[tiff + 1] == 'M') bigEndian = true;
        else if (b[tiff] == 'I' && b[tiff + 1] == 'I') bigEndian = false;
        else return 1;
        long ifd = u32(b, tiff + 4, bigEndian);
        if (ifd < 8 || tiff + ifd + 2 > end) return 1;
        int entries = u16(b, (int) (tiff + ifd), bigEndian);
        for (int i = 0; i < entries; i++) {
            int e = (int) (tiff + ifd + 2 + 12L * i);
            if (e + 12 > end) return 1;
            if (u16(b, e, bigEndian) == 0x0112 && u16(b, e + 2, bigEndian) == 3) {
                int value = u16(b, e + 8, bigEndian);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int at, boolean bigEndian) {
        int x = b[at] & 0xFF;
        int y = b[at + 1] & 0xFF;
        return bigEndian ? x << 8 | y : y << 8 | x;
    }

    private static long u32(byte[] b, int at, boolean bigEndian) {
        long hi = u16(b, bigEndian ? at : at + 2, bigEndian);
        long lo = u16(b, bigEndian ? at + 2 : at, bigEndian);
        return hi << 16 | lo;
    }

    /** Whether this orientation exchanges width and height. */
    static boolean turnsSideways(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** The image as it is meant to be seen. */
    static BufferedImage apply(BufferedImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) return src;
        int w = src.getWidth();
        int h = src.getHeight();
        boolean sideways = turnsSideways(orientation);
        BufferedImage out = new BufferedImage(sideways ? h : w, sideways ? w : h,
                src.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }                   // transpose
                    case 6 -> { sx = y; sy = h - 1 - x; }           // turn 90° clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }   // transverse
                    default -> { sx = w - 1 - y; sy = x; }          // 8: turn 90° anticlockwise
                }
                out.setRGB(x, y, src.getRGB(sx, sy));
            }
        }
        return out;
    }
}

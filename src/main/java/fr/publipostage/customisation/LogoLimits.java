package fr.publipostage.customisation;

/**
 * What an upload may be, and the size of the copy letters embed.
 *
 * @param maxBytes          the uploaded file
 * @param minSide           smallest width or height of a raster image, in pixels
 * @param maxSide           largest width or height, in pixels, read from the header before any pixel is decoded
 * @param maxAspect         longest side / shortest side (a 1:100 strip prints as a line)
 * @param lettersSide       longest side of the copy letters embed: 360 px is ~570 dpi at the built-in
 *                          header's 16 mm and still 300 dpi at 30 mm
 * @param lettersMaxBytes   the letters' copy is repeated as a {@code data:} URI in every letter's XHTML
 *                          (500 letters a chunk), so it is shrunk until it fits this budget
 * @param svgMaxElements    elements of an SVG once every {@code <use>} is expanded (the "billion laughs" of SVG)
 */
public record LogoLimits(int maxBytes, int minSide, int maxSide, double maxAspect, int lettersSide,
                         int lettersMaxBytes, int svgMaxElements) {
    public static final LogoLimits DEFAULT = new LogoLimits(512 * 1024, 16, 4000, 20.0, 360, 48 * 1024, 20_000);
}

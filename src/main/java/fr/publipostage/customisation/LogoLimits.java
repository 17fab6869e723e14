package fr.publipostage.customisation;

/**
 * What an upload may be, and the size of the copy letters embed.
 *
 * @param maxBytes          the uploaded file
 * @param minSide           smallest width or height of a raster image, in pixels
 * @param maxSide           largest width or height, in pixels, read from the header before any pixel is decoded
 * @param maxAspect         longest side / shortest side (a 1:100 strip prints as a line)
 * @param lettersSide       longest side of the copy letters embed: 320 px is ~500 dpi at the built-in
 *                          header's 16 mm and still 300 dpi at 27 mm
 * @param lettersMaxBytes   the letters' copy is repeated as a {@code data:} URI (4/3 of its size) in
 *                          every letter's XHTML, a chunk of 100 pages at a time on each PDF thread, where
 *                          the heap is already ~230 MB of 256 (bench/README.md §2): so it is shrunk until
 *                          it fits this budget. Measured (bench/letters.sh 3000, -Xmx256m): peak heap
 *                          198 MB without a logo, 209 MB with a 7 KB logo, 236 MB with a 21 KB one
 * @param svgMaxElements    elements of an SVG once every {@code <use>} is expanded (the "billion laughs" of SVG)
 */
public record LogoLimits(int maxBytes, int minSide, int maxSide, double maxAspect, int lettersSide,
                         int lettersMaxBytes, int svgMaxElements) {
    public static final LogoLimits DEFAULT = new LogoLimits(512 * 1024, 16, 4000, 20.0, 320, 16 * 1024, 20_000);
}

package fr.publipostage.customisation;

import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;

/**
 * A school's uploaded logo, as stored (table {@code structure_logo}).
 *
 * @param originalType   image/png, image/jpeg or image/svg+xml
 * @param original       PNG/JPEG: the uploaded bytes; SVG: the sanitised document. Serve it, if ever,
 *                       only as an attachment with its type and {@code nosniff}; show {@link #dataUri()}
 * @param lettersType    image/png or image/jpeg
 * @param lettersImage   the small metadata-free copy letters embed (its {@code data:} URI is
 *                       {@code structure.logo_url})
 * @param width          of {@code lettersImage}, pixels
 * @param removed        what the SVG sanitiser removed (element/attribute names), empty for PNG/JPEG
 */
public record Logo(long structureId, String originalType, byte[] original, int originalWidth, int originalHeight,
                   String lettersType, byte[] lettersImage, int width, int height, List<String> removed,
                   String uploadedBy, OffsetDateTime uploadedAt) {

    /** What letters show ({@code $structure.logoUrl}) and what a page may show as the current logo. */
    public String dataUri() {
        return "data:" + lettersType + ";base64," + Base64.getEncoder().encodeToString(lettersImage);
    }
}

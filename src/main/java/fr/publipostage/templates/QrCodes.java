package fr.publipostage.templates;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * QR codes (ZXing) with the 4-module quiet zone the standard asks. Letters draw them as vector cells
 * ({@code <object type="image/x-qr" data-qr="$qr.url">}, see {@code letters.QrCodeDrawer}); {@code $qr}
 * alone still prints as the {@code data:} URI of a 1-bit PNG (one pixel per module) for a school's
 * older template written {@code <img src="$qr"/>}.
 */
public final class QrCodes {
    private static final Map<EncodeHintType, Object> HINTS = Map.of(
            EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
            EncodeHintType.MARGIN, 4,
            EncodeHintType.CHARACTER_SET, "UTF-8",
            // A fixed mask: choosing the best of 8 costs 8 penalty passes per code (most of ZXing's
            // time) for a code that scans as well either way at this size.
            EncodeHintType.QR_MASK_PATTERN, 2);

    /** The modules of the QR code of {@code text}: true = dark. */
    public BitMatrix matrix(String text) {
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, HINTS);
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode a QR code of " + text.length() + " characters", e);
        }
    }

    public BufferedImage image(String text) {
        BitMatrix m = matrix(text);
        BufferedImage img = new BufferedImage(m.getWidth(), m.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                img.setRGB(x, y, m.get(x, y) ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        return img;
    }

    public byte[] png(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            ImageIO.write(image(text), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String dataUri(String text) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(text));
    }

    /** {@code $qr}: prints as the image's data URI ({@code <img src="$qr"/>}); {@code $qr.url} is the encoded link. */
    public final class QrView implements TemplateView {
        private final String url;
        private String dataUri;

        QrView(String url) {
            this.url = url;
        }

        public String getUrl() {
            return url;
        }

        /** Computed on first use: a template without a QR code pays nothing. */
        public String getDataUri() {
            if (dataUri == null) dataUri = QrCodes.this.dataUri(url);
            return dataUri;
        }

        @Override
        public String toString() {
            return getDataUri();
        }
    }

    public QrView view(String url) {
        return new QrView(url);
    }
}

package fr.publipostage.customisation;

import java.nio.charset.StandardCharsets;

/** The formats a logo may have, recognised by their content, never by a file name or a declared type. */
public enum LogoFormat {
    PNG("image/png"), JPEG("image/jpeg"), SVG("image/svg+xml");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String contentType;

    LogoFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** PNG and JPEG by their magic bytes; SVG when the text starts like XML (the parser then checks the root). */
    static LogoFormat detect(byte[] bytes) {
        if (startsWith(bytes, PNG_SIGNATURE)) return PNG;
        if (bytes.length > 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) return JPEG;
        if (looksLikeXml(bytes)) return SVG;
        throw new LogoRejected("logo.unsupportedFormat");
    }

    static boolean isPngOrJpeg(byte[] bytes) {
        return startsWith(bytes, PNG_SIGNATURE)
                || bytes.length > 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF;
    }

    private static boolean looksLikeXml(byte[] bytes) {
        int i = 0;
        // UTF-8 byte order mark, then white space.
        if (startsWith(bytes, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})) i = 3;
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) i++;
        if (i >= bytes.length || bytes[i] != '<') return false;
        // Text, not binary: no NUL byte in the first kilobyte (also rules out UTF-16, which we do not take).
        for (int j = 0; j < Math.min(bytes.length, 1024); j++) if (bytes[j] == 0) return false;
        String head = new String(bytes, i, Math.min(bytes.length - i, 64), StandardCharsets.UTF_8);
        return head.startsWith("<?xml") || head.startsWith("<svg") || head.startsWith("<!--")
                || head.startsWith("<!DOCTYPE") || head.matches("(?s)^<[A-Za-z_][\\w.-]*:svg[\\s>].*");
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (bytes[i] != prefix[i]) return false;
        return true;
    }
}

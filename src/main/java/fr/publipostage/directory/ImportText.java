package fr.publipostage.directory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * An import file's bytes as text, streamed, in the encoding the file is written in. The ENT writes
 * UTF-8 with a BOM; the same file opened and saved again in Excel ("CSV (séparateur : point-virgule)")
 * is Windows-1252 without one; "Texte Unicode" is UTF-16 with its BOM. So:
 *
 * <ul>
 *   <li>a BOM decides (UTF-8, UTF-16LE, UTF-16BE) and is not part of the text;</li>
 *   <li>otherwise the first byte outside ASCII decides: the start of a well-formed UTF-8 sequence means
 *       UTF-8, anything else Windows-1252 (a Windows-1252 accent is followed by an ASCII byte, never by
 *       the continuation bytes UTF-8 needs). ASCII before it reads the same either way, so nothing is
 *       read twice and memory does not grow with the file;</li>
 *   <li>once decided, a byte the encoding cannot hold (a UTF-8 file with a Windows-1252 accent further
 *       down) fails with a {@link java.nio.charset.CharacterCodingException}: the file is refused with one
 *       sentence rather than imported with a wrong letter.</li>
 * </ul>
 *
 * Spreadsheets themselves (an .xlsx is a zip, an .xls an OLE2 file) are recognised by their first bytes:
 * {@link #spreadsheet()} lets the importer say "save it as CSV" instead of "unknown header".
 */
final class ImportText extends Reader {
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final int BUFFER = 1 << 16;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private boolean started;
    private boolean spreadsheet;
    private Reader decided;
    private Charset charset;
    private volatile boolean unreadable;

    ImportText(InputStream in) {
        this.in = in;
    }

    /** The encoding the text is read in; null while only ASCII has been read (then any of them reads the same). */
    Charset charset() {
        return charset;
    }

    /** The file is a spreadsheet (xlsx or xls), not text: known once {@link #read} has been called. */
    boolean spreadsheet() {
        return spreadsheet;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        try {
            return decode(cbuf, off, len);
        } catch (CharacterCodingException e) {
            unreadable = true;
            throw e;
        }
    }

    /**
     * A byte the chosen encoding cannot read was met. Kept here because the CSV parser reads on its own
     * thread and may end the input quietly rather than pass the exception on.
     */
    boolean unreadable() {
        return unreadable;
    }

    private int decode(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (decided != null) return decided.read(cbuf, off, len);
        if (!started) {
            started = true;
            if (!fill(4)) return -1;
            if (startsWith(0x50, 0x4B, 0x03, 0x04) || startsWith(0xD0, 0xCF, 0x11, 0xE0)) {
                spreadsheet = true;
                return -1;
            }
            if (startsWith(0xEF, 0xBB, 0xBF)) {
                pos += 3;
                return decide(StandardCharsets.UTF_8).read(cbuf, off, len);
            }
            if (startsWith(0xFF, 0xFE)) {
                pos += 2;
                return decide(StandardCharsets.UTF_16LE).read(cbuf, off, len);
            }
            if (startsWith(0xFE, 0xFF)) {
                pos += 2;
                return decide(StandardCharsets.UTF_16BE).read(cbuf, off, len);
            }
        }
        int n = 0;
        while (n < len) {
            if (pos == lim && !fill(1)) return n == 0 ? -1 : n;
            int b = buf[pos] & 0xFF;
            if (b >= 0x80) {
                fill(4);
                decide(wellFormedUtf8(pos) ? StandardCharsets.UTF_8 : WINDOWS_1252);
                return n > 0 ? n : decided.read(cbuf, off, len);
            }
            cbuf[off + n++] = (char) b;
            pos++;
        }
        return n;
    }

    private Reader decide(Charset chosen) {
        charset = chosen;
        InputStream rest = new SequenceInputStream(new ByteArrayInputStream(buf, pos, lim - pos), in);
        decided = new InputStreamReader(rest, chosen.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        return decided;
    }

    /** Whether the bytes at {@code at} are one UTF-8 sequence of two to four bytes, as RFC 3629 allows them. */
    private boolean wellFormedUtf8(int at) {
        int lead = buf[at] & 0xFF;
        int count;
        int min2 = 0x80;
        int max2 = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            count = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            count = 2;
            if (lead == 0xE0) min2 = 0xA0;
            if (lead == 0xED) max2 = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            count = 3;
            if (lead == 0xF0) min2 = 0x90;
            if (lead == 0xF4) max2 = 0x8F;
        } else {
            return false;
        }
        for (int i = 1; i <= count; i++) {
            if (at + i >= lim) return false;
            int b = buf[at + i] & 0xFF;
            int min = i == 1 ? min2 : 0x80;
            int max = i == 1 ? max2 : 0xBF;
            if (b < min || b > max) return false;
        }
        return true;
    }

    private boolean startsWith(int... bytes) {
        if (lim - pos < bytes.length) return false;
        for (int i = 0; i < bytes.length; i++) {
            if ((buf[pos + i] & 0xFF) != bytes[i]) return false;
        }
        return true;
    }

    /** Makes at least {@code need} bytes available from {@code pos} unless the stream ends; false when none is. */
    private boolean fill(int need) throws IOException {
        if (lim - pos >= need) return true;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < need) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) break;
            lim += r;
        }
        return lim > pos;
    }

    @Override
    public void close() throws IOException {
        if (decided != null) decided.close();
        else in.close();
    }
}

package fr.publipostage.selection;

import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one CSV writer of the application (the check step's export, the list of people without an
 * address, the campaign ledger…): Univocity in the format French Excel opens right — {@code ;},
 * every cell quoted, UTF-8 with BOM, CRLF — and formulas neutralised: a cell that starts with
 * {@code = + - @}, a tab or a carriage return would run in a spreadsheet (CSV injection), so it
 * gets a leading apostrophe and opens as text. Cells are written as they are otherwise (no trimming).
 */
public final class ExcelCsv implements AutoCloseable {
    private final Writer writer;
    private final CsvWriter csv;

    private ExcelCsv(OutputStream out) {
        this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        CsvWriterSettings settings = new CsvWriterSettings();
        settings.getFormat().setDelimiter(';');
        settings.getFormat().setLineSeparator("\r\n");
        settings.getFormat().setQuote('"');
        settings.getFormat().setQuoteEscape('"');
        settings.setQuoteAllFields(true);
        settings.setIgnoreLeadingWhitespaces(false);
        settings.setIgnoreTrailingWhitespaces(false);
        settings.setNormalizeLineEndingsWithinQuotes(false);
        settings.setNullValue("");
        settings.setEmptyValue("");
        settings.setMaxCharsPerColumn(-1);
        this.csv = new CsvWriter(writer, settings);
    }

    /** Starts a file on {@code out} (the BOM is written now); {@link #close()} flushes, {@code out} stays open. */
    public static ExcelCsv on(OutputStream out) {
        ExcelCsv file = new ExcelCsv(out);
        try {
            file.writer.write('\uFEFF');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public void row(List<String> cells) {
        String[] safe = new String[cells.size()];
        for (int i = 0; i < safe.length; i++) safe[i] = neutralise(cells.get(i));
        csv.writeRow((Object[]) safe);
    }

    public void row(String... cells) {
        row(List.of(nullsToEmpty(cells)));
    }

    private static String[] nullsToEmpty(String[] cells) {
        String[] out = new String[cells.length];
        for (int i = 0; i < cells.length; i++) out[i] = cells[i] == null ? "" : cells[i];
        return out;
    }

    /** A cell a spreadsheet would run as a formula, with a leading apostrophe; any other unchanged. */
    public static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) return cell == null ? "" : cell;
        char c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + cell : cell;
    }

    /** Writes what is buffered, without closing the underlying stream (an HTTP response, a file). */
    public void flush() {
        csv.flush();
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        flush();
    }
}

package fr.publipostage.selection;

import fr.publipostage.directory.Account;
import fr.publipostage.templates.Messages;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The check step's list as CSV that opens right in French Excel: {@code ;}, every cell quoted,
 * UTF-8 with BOM, CRLF, headers (and profile names) in the admin's language. Streamed from
 * {@link SelectionService#forEach}: any size in bounded memory. Columns are those of the check
 * table ({@link Selection.Column}), in its order.
 */
public final class CsvExport {
    private final SelectionService selections;
    private final Messages messages;

    public CsvExport(SelectionService selections, Messages messages) {
        this.selections = selections;
        this.messages = messages;
    }

    /** Writes the selected accounts to {@code out} (not closed) and returns how many were written. */
    public int write(Selection selection, Scope scope, String language, OutputStream out) {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        int[] count = {0};
        try {
            w.write('\uFEFF');
            List<String> header = new ArrayList<>();
            for (Selection.Column c : Selection.Column.values()) header.add(messages.get(language, "check.col." + c.name()));
            line(w, header);
            selections.forEach(selection, scope, account -> {
                try {
                    line(w, cells(account, language));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                count[0]++;
            });
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count[0];
    }

    /** One account's cells, in {@link Selection.Column} order. */
    public List<String> cells(Account a, String language) {
        return List.of(a.lastName(), a.firstName(), messages.get(language, "ui.profile." + a.profile().name()),
                a.displayLogin(), a.activationCode() == null ? "" : a.activationCode(), a.email() == null ? "" : a.email(),
                String.join(", ", a.classes()), a.createdAt() == null ? "" : a.createdAt().toString());
    }

    private static void line(Writer w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) w.write(';');
            w.write('"');
            w.write(defuse(cells.get(i)).replace("\"", "\"\""));
            w.write('"');
        }
        w.write("\r\n");
    }

    /** A cell a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe. */
    static String defuse(String cell) {
        if (cell.isEmpty()) return cell;
        char c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + cell : cell;
    }
}

package fr.publipostage.selection;

import fr.publipostage.directory.Account;
import fr.publipostage.templates.Messages;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The check step's list as CSV that opens right in French Excel ({@link ExcelCsv}: {@code ;}, every
 * cell quoted, UTF-8 with BOM, CRLF, formulas neutralised), headers (and profile names) in the admin's language. Streamed from
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
        int[] count = {0};
        try (ExcelCsv csv = ExcelCsv.on(out)) {
            List<String> header = new ArrayList<>();
            for (Selection.Column c : Selection.Column.values()) header.add(messages.get(language, "check.col." + c.name()));
            csv.row(header);
            selections.forEach(selection, scope, account -> {
                csv.row(cells(account, language));
                count[0]++;
            });
        }
        return count[0];
    }

    /** One account's cells, in {@link Selection.Column} order. */
    public List<String> cells(Account a, String language) {
        return List.of(a.lastName(), a.firstName(), messages.get(language, "ui.profile." + a.profile().name()),
                a.displayLogin(), a.activationCode() == null ? "" : a.activationCode(), a.email() == null ? "" : a.email(),
                String.join(", ", a.classes()), a.createdAt() == null ? "" : a.createdAt().toString());
    }
}

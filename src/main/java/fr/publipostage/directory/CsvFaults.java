package fr.publipostage.directory;

import com.univocity.parsers.common.TextParsingException;

/**
 * A line the CSV parser could not read, told in the admin's words rather than the parser's English:
 * more cells than it takes, a cell longer than it takes (an unclosed quote, often), or else unreadable.
 * Shared by the account and the address imports.
 */
final class CsvFaults {
    private CsvFaults() {
    }

    /**
     * @param header the file's header cells as written (null while the header itself is read)
     * @param maxColumns the parser's limit of cells a line, @param maxChars its limit of characters a cell
     */
    static ImportProblem of(TextParsingException e, String[] header, int maxColumns, int maxChars) {
        long line = Math.max(1, e.getLineIndex() + 1);
        String message = String.valueOf(e.getMessage());
        if (message.contains("exceeds the maximum number of characters")) {
            int column = e.getColumnIndex();
            String name = header != null && column >= 0 && column < header.length && header[column] != null
                    && !header[column].isBlank() ? header[column].replace("\uFEFF", "").strip() : "#" + (column + 1);
            return ImportProblem.at(line, name, "import.cellTooLong", name, String.valueOf(maxChars));
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Otherwise univocity's array of cells overflowed: it says so with an index, not a sentence.
            if (t instanceof ArrayIndexOutOfBoundsException) {
                return ImportProblem.at(line, "", "import.tooManyCells", String.valueOf(maxColumns));
            }
        }
        return ImportProblem.at(line, "", "import.unreadable", message.lines().findFirst().orElse(""));
    }
}

package fr.publipostage.selection;

/** Test access to CsvExport's package-private helpers. */
public final class CsvExportAccess {
    private CsvExportAccess() {
    }

    public static String defuse(String cell) {
        return ExcelCsv.neutralise(cell);
    }
}

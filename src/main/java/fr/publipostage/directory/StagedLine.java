package fr.publipostage.directory;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the file as it goes into the staging table ({@code import_line}): the account's
 * columns, its school, its classes and the relatives it names. Values that could not be read are
 * null; the line is staged anyway so that the checks across lines (duplicates, relatives) see it.
 */
final class StagedLine {
    long line;
    String uai;
    String structureName;
    /** A school name from an ENT file: used to create the school, never to rename it. */
    String structureLabel;
    /** Several schools named and none chosen yet (resolved once the whole file is read). */
    List<String> structureChoices;
    String login;
    final Map<AccountColumn, Object> values = new EnumMap<>(AccountColumn.class);
    List<String> classes;
    List<String> childRefs;
    List<String> childKeys;
    List<String> parentRefs;
    List<String> parentKeys;
    boolean replaceChildren;
    String nameKey;
    String nameKeyReversed;

    String text(AccountColumn column) {
        return (String) values.get(column);
    }

    LocalDate date(AccountColumn column) {
        return (LocalDate) values.get(column);
    }

    @SuppressWarnings("unchecked")
    List<String> list(AccountColumn column) {
        return (List<String>) values.get(column);
    }
}

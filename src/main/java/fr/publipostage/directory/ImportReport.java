package fr.publipostage.directory;

import java.util.List;
import java.util.Map;

/**
 * What an import did, or would do (the dry run): the same report either way, computed by the same
 * statements before anything is written.
 *
 * @param format          {@code native}, {@code ent} or {@code ent-directory}
 * @param lines           account lines in the file
 * @param created         accounts the file adds
 * @param updated         accounts it changes
 * @param unchanged       accounts it names exactly as they are
 * @param structures      the schools of the file (UAI)
 * @param changedFields   field → how many accounts it changes (lastName, email, classes, relatives…)
 * @param newClasses      classes the file adds
 * @param absent          accounts of those schools the file does not name (listed, never deleted)
 * @param applied         true once written; false for a dry run
 */
public record ImportReport(String format, int lines, int created, int updated, int unchanged, List<String> structures,
                           Map<String, Integer> changedFields, int newClasses, List<Entry> createdAccounts,
                           List<Entry> updatedAccounts, int absent, List<Entry> absentAccounts, boolean applied) {

    /** One account of a list: its line in the file (0 for an absent account), who, and the fields changed. */
    public record Entry(long line, String uai, String login, String lastName, String firstName, String profile,
                        List<String> fields) {
    }
}

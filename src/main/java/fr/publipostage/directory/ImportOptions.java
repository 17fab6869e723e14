package fr.publipostage.directory;

/**
 * How one import runs.
 *
 * @param structureUai     the school every line belongs to ({@code --structure}, or the school of the web
 *                         page); lines naming another school are refused. Null: each line names its own.
 * @param hideSuperAdmins  the importing admin does not see the platform's super-admin accounts (a local
 *                         admin on the web): a line may neither touch one nor give the function, a
 *                         relative never resolves to one, and the dry run never lists one
 * @param apply            write (in one transaction); false = dry run, nothing written
 * @param listLimit        at most this many accounts in each list of the report (new, updated, absent)
 */
public record ImportOptions(String structureUai, boolean hideSuperAdmins, boolean apply, int listLimit) {
    /** The command line: the platform's operator, every account. */
    public static ImportOptions operator(String structureUai, boolean apply) {
        return new ImportOptions(structureUai, false, apply, 20);
    }
}

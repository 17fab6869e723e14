package fr.publipostage.directory;

/**
 * A column of the {@code account} table that an import file may set, and what a blank cell means for
 * it. The import's SQL ({@code ImportMapper.xml}) is written from this list: the columns a file carries
 * are inserted, compared and updated; the columns it lacks are left as they are. Adding an optional
 * column to the native format (a postal address, an activation date) is one constant here, one
 * {@link ImportFormat.Cell} and one staging column.
 */
public enum AccountColumn {
    PROFILE("profile", "profile", false, null),
    LAST_NAME("last_name", "lastName", false, null),
    FIRST_NAME("first_name", "firstName", false, null),
    LOGIN_ALIAS("login_alias", "loginAlias", false, null),
    /** Blank = the account is activated (the code is erased when it is). */
    ACTIVATION_CODE("activation_code", "activationCode", false, null),
    EMAIL("email", "email", false, null),
    LEVEL("level", "level", true, null),
    FUNCTIONS("functions", "functions", false, "'{}'::text[]"),
    /**
     * The functions cell of an ENT file: its labels (LETTRES MODERNES…) replace the stored ones, but the
     * platform's own ADMIN_LOCAL and SUPER_ADMIN, which the ENT's export does not write, are kept: an
     * ENT file never un-hides a super admin's account nor takes a local admin's function away.
     */
    ENT_FUNCTIONS("functions", "functions", false, "'{}'::text[]"),
    CREATED_AT("created_at", "createdAt", true, "current_date"),
    LANGUAGE("language", "language", true, null),
    /**
     * The ENT's "Dernière connexion" (issue 16 §3): V101's triggers date an activation from it. A blank
     * or unreadable cell keeps the stored value.
     */
    LAST_LOGIN_AT("last_login_at", "lastLoginAt", true, null);

    private final String column;
    private final String field;
    private final boolean blankKeeps;
    private final String whenBlank;

    AccountColumn(String column, String field, boolean blankKeeps, String whenBlank) {
        this.column = column;
        this.field = field;
        this.blankKeeps = blankKeeps;
        this.whenBlank = whenBlank;
    }

    /** The SQL column, in {@code account} and in the staging table alike. */
    public String getColumn() {
        return column;
    }

    /** The name the dry run reports a change under (the API's and the screen's). */
    public String getField() {
        return field;
    }

    /** A blank cell keeps the stored value (level, creation date, language) rather than erasing it. */
    public boolean blankKeeps() {
        return blankKeeps;
    }

    /** SQL of the value a new account gets from staging row {@code l}. */
    public String getInsertValue() {
        return whenBlank == null ? "l." + column : "coalesce(l." + column + ", " + whenBlank + ")";
    }

    /** SQL of the value an existing account {@code a} gets from staging row {@code l}. */
    public String getNewValue() {
        if (blankKeeps) return "coalesce(l." + column + ", a." + column + ")";
        if (this == ENT_FUNCTIONS) {
            return "coalesce(l.functions, '{}'::text[]) || array(select x from unnest(a.functions) x"
                    + " where x in ('ADMIN_LOCAL', 'SUPER_ADMIN') and not x = any(coalesce(l.functions, '{}'::text[])))";
        }
        return getInsertValue();
    }
}

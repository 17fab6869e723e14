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
    LAST_LOGIN_AT("last_login_at", "lastLoginAt", true, null),
    /*
     * The postal address (issue 14), native files only: the text as written (PostalRules checked it, the
     * letter normalises it). A file with these columns sets them, blank cells erase them; a file without
     * them leaves every address alone.
     */
    ADDRESS_LINE1("address_line1", "addressLine1", false, null),
    ADDRESS_LINE2("address_line2", "addressLine2", false, null),
    ADDRESS_LINE3("address_line3", "addressLine3", false, null),
    ADDRESS_LINE4("address_line4", "addressLine4", false, null),
    POSTCODE("postcode", "postcode", false, null),
    CITY("city", "city", false, null),
    COUNTRY("country", "country", false, null),
    /** The ENT's own ids of a person (its Id and Id Siecle), kept so that an address file may name people by them. */
    EXTERNAL_ID("external_id", "externalId", true, null),
    SIECLE_ID("siecle_id", "siecleId", true, null);

    /** The address columns, in the order of {@link PostalAddress}'s fields. */
    public static final java.util.List<AccountColumn> ADDRESS = java.util.List.of(ADDRESS_LINE1, ADDRESS_LINE2,
            ADDRESS_LINE3, ADDRESS_LINE4, POSTCODE, CITY, COUNTRY);

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

package fr.publipostage.directory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The layouts the importer reads, each a table of its columns: the header as written and what the
 * cell holds ({@link Cell}). A file is recognised by its header (names compared without case or
 * accents); columns may come in any order and optional ones may be missing.
 *
 * <ul>
 *   <li>{@link #NATIVE}: Publipostage's own layout (DESIGN.md §4), lists separated by {@code |}.</li>
 *   <li>{@link #ENT_ACCOUNTS}: the ENT admin console's "Exporter des comptes".</li>
 *   <li>{@link #ENT_DIRECTORY}: the ENT directory's older export, entcore's {@code export.id.txt}:
 *       every field quoted, {@code Type} in French, {@code Fonction(s)} and {@code Structure(s)} each
 *       value followed by {@code ", "}, classes, children and parents separated by {@code ", "},
 *       children and parents named "Prénom Nom".</li>
 * </ul>
 */
public enum ImportFormat {
    NATIVE("native", "\\|", false, false,
            col("uai", Cell.UAI), col("structure_name", Cell.STRUCTURE_NAME), col("profile", Cell.PROFILE),
            col("last_name", Cell.LAST_NAME), col("first_name", Cell.FIRST_NAME), col("login", Cell.LOGIN),
            col("login_alias", Cell.LOGIN_ALIAS), col("activation_code", Cell.ACTIVATION_CODE), col("email", Cell.EMAIL),
            col("level", Cell.LEVEL), col("classes", Cell.CLASSES), col("relatives", Cell.RELATIVE_LOGINS),
            col("functions", Cell.FUNCTIONS), col("created_at", Cell.CREATED_AT), col("language", Cell.LANGUAGE),
            // Optional: the postal address (issue 14), checked by PostalRules.
            col("address_line1", Cell.ADDRESS_LINE1), col("address_line2", Cell.ADDRESS_LINE2),
            col("address_line3", Cell.ADDRESS_LINE3), col("address_line4", Cell.ADDRESS_LINE4),
            col("postcode", Cell.POSTCODE), col("city", Cell.CITY), col("country", Cell.COUNTRY)),
    ENT_ACCOUNTS("ent", "[,|]", true, true,
            col("Id", Cell.EXTERNAL_ID), col("Identifiant SIECLE", Cell.SIECLE_ID), col("Type", Cell.PROFILE),
            col("Nom", Cell.LAST_NAME), col("Prénom", Cell.FIRST_NAME), col("Identifiant", Cell.LOGIN),
            col("Login personnalisé (Alias)", Cell.LOGIN_ALIAS), col("Code d'activation", Cell.ACTIVATION_CODE),
            col("Fonctions", Cell.ENT_FUNCTIONS), col("Établissements", Cell.STRUCTURES), col("Classes", Cell.CLASSES),
            col("Enfants", Cell.CHILDREN), col("Parents", Cell.PARENTS),
            // Not stored (yet): the last login, the phone.
            col("Dernière connexion", Cell.LAST_LOGIN_AT), col("Courriel", Cell.EMAIL), col("Téléphone", Cell.IGNORED)),
    ENT_DIRECTORY("ent-directory", "[,|]", true, true,
            col("Id", Cell.EXTERNAL_ID), col("Id Siecle", Cell.SIECLE_ID), col("Type", Cell.PROFILE), col("Nom", Cell.LAST_NAME),
            col("Prénom", Cell.FIRST_NAME), col("Login", Cell.LOGIN), col("Code d'activation", Cell.ACTIVATION_CODE),
            col("Fonction(s)", Cell.ENT_FUNCTIONS), col("Structure(s)", Cell.STRUCTURES), col("Classe(s)", Cell.CLASSES),
            col("Enfant(s)", Cell.CHILDREN), col("Parent(s)", Cell.PARENTS));

    /** What a cell holds, and so how it is read and where it goes. */
    public enum Cell {
        UAI(null), STRUCTURE_NAME(null), STRUCTURES(null),
        PROFILE(AccountColumn.PROFILE), LAST_NAME(AccountColumn.LAST_NAME), FIRST_NAME(AccountColumn.FIRST_NAME),
        LOGIN(null), LOGIN_ALIAS(AccountColumn.LOGIN_ALIAS), ACTIVATION_CODE(AccountColumn.ACTIVATION_CODE),
        EMAIL(AccountColumn.EMAIL), LEVEL(AccountColumn.LEVEL), CLASSES(null),
        /** Native: a parent's children's logins, a pupil's parents' logins. */
        RELATIVE_LOGINS(null),
        /** ENT: a parent's children, named "Prénom Nom". */
        CHILDREN(null),
        /** ENT: a pupil's parents, named "Prénom Nom". */
        PARENTS(null),
        FUNCTIONS(AccountColumn.FUNCTIONS),
        /** ENT: its function labels; the platform's ADMIN_LOCAL and SUPER_ADMIN are kept ({@link AccountColumn#ENT_FUNCTIONS}). */
        ENT_FUNCTIONS(AccountColumn.ENT_FUNCTIONS),
        CREATED_AT(AccountColumn.CREATED_AT), LANGUAGE(AccountColumn.LANGUAGE),
        /** ENT: "Dernière connexion", read by {@link LastLogin} (never a refused line). */
        LAST_LOGIN_AT(AccountColumn.LAST_LOGIN_AT),
        /** Native: the postal address, checked as a whole by PostalRules. */
        ADDRESS_LINE1(AccountColumn.ADDRESS_LINE1), ADDRESS_LINE2(AccountColumn.ADDRESS_LINE2),
        ADDRESS_LINE3(AccountColumn.ADDRESS_LINE3), ADDRESS_LINE4(AccountColumn.ADDRESS_LINE4),
        POSTCODE(AccountColumn.POSTCODE), CITY(AccountColumn.CITY), COUNTRY(AccountColumn.COUNTRY),
        /** ENT: its Id and Id Siecle of the person (address files may name people by them). */
        EXTERNAL_ID(AccountColumn.EXTERNAL_ID), SIECLE_ID(AccountColumn.SIECLE_ID),
        /** Read past: the phone, the last login. */
        IGNORED(null);

        private final AccountColumn account;

        Cell(AccountColumn account) {
            this.account = account;
        }

        /** One of the postal address's cells. */
        public boolean isAddress() {
            return account != null && AccountColumn.ADDRESS.contains(account);
        }

        /** The account column this cell sets, if it sets one. */
        public Optional<AccountColumn> account() {
            return Optional.ofNullable(account);
        }
    }

    public record Column(String header, Cell cell) {
    }

    private static Column col(String header, Cell cell) {
        return new Column(header, cell);
    }

    /** Cells every line needs. */
    static final Set<Cell> REQUIRED = Set.of(Cell.PROFILE, Cell.LAST_NAME, Cell.FIRST_NAME, Cell.LOGIN);

    private final String label;
    private final String listSeparator;
    private final boolean fromEnt;
    private final boolean relativesByName;
    private final List<Column> columns;

    ImportFormat(String label, String listSeparator, boolean fromEnt, boolean relativesByName, Column... columns) {
        this.label = label;
        this.listSeparator = listSeparator;
        this.fromEnt = fromEnt;
        this.relativesByName = relativesByName;
        this.columns = List.of(columns);
    }

    /** The name reports give the format: {@code native}, {@code ent}, {@code ent-directory}. */
    public String label() {
        return label;
    }

    /** Regex between the values of a list cell (classes, relatives, functions). */
    public String listSeparator() {
        return listSeparator;
    }

    /** Written by the ENT: functions are its labels (e.g. LETTRES MODERNES), the school may be named, not coded. */
    public boolean fromEnt() {
        return fromEnt;
    }

    /** Children and parents are named "Prénom Nom" (else: logins). */
    public boolean relativesByName() {
        return relativesByName;
    }

    public List<Column> columns() {
        return columns;
    }

    /** The header of this layout, as the ENT or DESIGN.md writes it. */
    public String header() {
        // The optional address columns are documented apart (README "Importing accounts").
        return String.join(";", columns.stream().filter(c -> !c.cell().isAddress()).map(Column::header).toList());
    }

    /**
     * The layout whose required columns the header has, with each header cell's column (null for a cell
     * the layout does not know); empty when none matches.
     */
    public static Optional<Recognised> recognise(String[] header) {
        for (ImportFormat format : values()) {
            Map<String, Column> byKey = new LinkedHashMap<>();
            for (Column c : format.columns) byKey.put(NameKey.of(c.header()), c);
            List<Column> found = new ArrayList<>();
            boolean hasAll = true;
            for (String h : header) found.add(h == null ? null : byKey.get(NameKey.of(h)));
            for (Cell required : REQUIRED) {
                hasAll &= found.stream().anyMatch(c -> c != null && c.cell() == required);
            }
            if (hasAll) {
                java.util.EnumSet<Cell> cells = java.util.EnumSet.noneOf(Cell.class);
                for (Column c : found) if (c != null) cells.add(c.cell());
                return Optional.of(new Recognised(format, found, cells));
            }
        }
        return Optional.empty();
    }

    /** A recognised header: the layout, by position the column of each header cell (or null), the cells it has. */
    public record Recognised(ImportFormat format, List<Column> columns, Set<Cell> cells) {
        public boolean has(Cell cell) {
            return cells.contains(cell);
        }
    }
}

package fr.publipostage.directory;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.UnescapedQuoteHandling;
import fr.publipostage.directory.ImportFormat.Cell;
import fr.publipostage.directory.ImportFormat.Column;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an import file line by line — UTF-8 with or without BOM, Windows-1252 or UTF-16 ({@link ImportText}),
 * {@code ;}, {@code ,} or tab, CRLF, LF or CR, quoted or not — checks each line on its own (the checks that need the other lines or the database are
 * SQL, in {@link AccountImporter}) and hands each as a {@link StagedLine} to the staging table. Memory
 * does not grow with the file.
 */
final class ImportFileReader {
    static final Pattern UAI = Pattern.compile("\\b([0-9]{7}[A-Za-z])\\b");
    private static final Pattern UAI_ONLY = Pattern.compile("[0-9]{7}[A-Z]");
    private static final Pattern FUNCTION_CODE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern COMMA = Pattern.compile(",");
    private static final int MAX_FIELD = 4096;
    /** Cells a line may have (a spreadsheet may keep a few empty ones past the header's). */
    private static final int MAX_COLUMNS = 128;
    /** Logins are indexed: PostgreSQL's b-tree refuses keys of ~2,700 bytes, and no ENT login comes near 255 characters. */
    static final int MAX_LOGIN = 255;
    private static final int HEADER_LOOKAHEAD = 1 << 16;

    /** The schools already known, to find one named by the ENT ("Lycée Montesquieu, ") rather than coded. */
    record StructureIndex(Set<String> uais, Map<String, List<String>> uaisByNameKey) {
        static StructureIndex of(List<Structure> structures) {
            Set<String> uais = new java.util.HashSet<>();
            Map<String, List<String>> byName = new HashMap<>();
            for (Structure s : structures) {
                uais.add(s.uai());
                byName.computeIfAbsent(NameKey.of(s.name()), k -> new ArrayList<>()).add(s.uai());
            }
            return new StructureIndex(uais, byName);
        }

        /** The one school of that name, or null (none, or several of that name). */
        String byName(String name) {
            List<String> found = uaisByNameKey.get(NameKey.of(name));
            return found != null && found.size() == 1 ? found.get(0) : null;
        }
    }

    /** What the whole file said, once read. */
    record Summary(ImportFormat.Recognised header, long lines, Set<AccountColumn> accountColumns,
                   String childColumn, String parentColumn, boolean hasClasses, String commonUai) {
    }

    private final ImportOptions options;
    private final StructureIndex structures;
    private final ProblemList problems;

    private ImportFormat.Recognised header;
    private Pattern listSeparator;
    private String[] headerNames;
    /** The header of each cell kind, as written in the file (problems name their column so). */
    private final Map<Cell, String> cellNames = new java.util.EnumMap<>(Cell.class);
    private Set<String> commonChoices;
    /** The header names at least one address column (native files). */
    private boolean hasAddress;
    private static final List<Cell> ADDRESS_CELLS = List.of(Cell.ADDRESS_LINE1, Cell.ADDRESS_LINE2, Cell.ADDRESS_LINE3,
            Cell.ADDRESS_LINE4, Cell.POSTCODE, Cell.CITY, Cell.COUNTRY);

    ImportFileReader(ImportOptions options, StructureIndex structures, ProblemList problems) {
        this.options = options;
        this.structures = structures;
        this.problems = problems;
    }

    /**
     * Reads the file, giving each line to {@code sink}; a file that cannot be read at all (empty, a
     * spreadsheet, text in no encoding {@link ImportText} reads, unknown header) is refused at once with one sentence.
     */
    Summary read(InputStream input, Consumer<StagedLine> sink) throws ImportRejected, IOException {
        ImportText text = new ImportText(input);
        BufferedReader reader = new BufferedReader(text, 1 << 16);
        char delimiter;
        String first;
        try {
            reader.mark(HEADER_LOOKAHEAD);
            first = firstLine(reader, HEADER_LOOKAHEAD / 2);
            if (text.spreadsheet()) throw new ImportRejected(List.of(ImportProblem.wholeFile("import.spreadsheet")));
            if (first == null) throw new ImportRejected(List.of(ImportProblem.wholeFile("import.empty")));
            delimiter = delimiter(first);
            reader.reset();
        } catch (CharacterCodingException e) {
            throw notUtf8();
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Mark invalid")) {
                throw new ImportRejected(List.of(ImportProblem.wholeFile("import.badHeader", ImportFormat.NATIVE.header(),
                        ImportFormat.ENT_ACCOUNTS.header(), ImportFormat.ENT_DIRECTORY.header())));
            }
            throw e;
        }

        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setDelimiter(delimiter);
        settings.getFormat().setQuote('"');
        settings.getFormat().setQuoteEscape('"');
        settings.getFormat().setComment('\0');  // a line starting with # is data, not a comment
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setMaxCharsPerColumn(MAX_FIELD);
        settings.setMaxColumns(MAX_COLUMNS);
        settings.setSkipEmptyLines(true);
        settings.setUnescapedQuoteHandling(quoteHandling(first, delimiter));
        CsvParser parser = new CsvParser(settings);
        long lines = 0;
        Set<AccountColumn> accountColumns = EnumSet.noneOf(AccountColumn.class);
        try {
            parser.beginParsing(reader);
            String[] names = parser.parseNext();
            if (names == null) throw new ImportRejected(List.of(ImportProblem.wholeFile("import.empty")));
            if (names.length > 0 && names[0] != null) names[0] = names[0].replace("\uFEFF", "");
            headerNames = names;
            header = ImportFormat.recognise(names).orElseThrow(() -> new ImportRejected(List.of(ImportProblem.wholeFile(
                    "import.badHeader", ImportFormat.NATIVE.header(), ImportFormat.ENT_ACCOUNTS.header(),
                    ImportFormat.ENT_DIRECTORY.header()))));
            checkHeader(names);
            listSeparator = Pattern.compile(header.format().listSeparator());
            for (int i = 0; i < names.length; i++) {
                Column c = header.columns().get(i);
                if (c != null) cellNames.putIfAbsent(c.cell(), names[i].trim());
            }
            for (Column c : header.columns()) {
                if (c != null) c.cell().account().ifPresent(accountColumns::add);
            }
            hasAddress = ADDRESS_CELLS.stream().anyMatch(header::has);
            // A file with some address columns sets the whole address (a missing column is an empty field).
            if (hasAddress) accountColumns.addAll(AccountColumn.ADDRESS);
            String[] record;
            while ((record = parser.parseNext()) != null) {
                long lineNumber = parser.getContext().currentLine();
                if (isBlank(record)) continue;
                lines++;
                sink.accept(line(lineNumber, record));
            }
            // The input is read on univocity's own thread: a byte the encoding cannot read may just end
            // the input there (the lines read are then incomplete), so ImportText remembers it.
            parser.stopParsing();
            if (text.unreadable()) throw notUtf8();
        } catch (TextParsingException e) {
            if (text.unreadable() || hasCause(e, CharacterCodingException.class)) throw notUtf8();
            problems.add(CsvFaults.of(e, headerNames, MAX_COLUMNS, MAX_FIELD));
            throw problems.rejected();
        } finally {
            try {
                parser.stopParsing();
            } catch (TextParsingException alreadyRefused) {
                // Stopped after a refusal: the file's first fault is the one reported.
            }
        }
        if (lines == 0 && problems.isEmpty()) throw new ImportRejected(List.of(ImportProblem.wholeFile("import.noLines")));
        String common = commonChoices != null && commonChoices.size() == 1 ? commonChoices.iterator().next() : null;
        return new Summary(header, lines, accountColumns, headerOf(Cell.CHILDREN, Cell.RELATIVE_LOGINS),
                headerOf(Cell.PARENTS, Cell.RELATIVE_LOGINS), header.has(Cell.CLASSES), common);
    }

    /**
     * The first line that is not blank, read a character at a time within {@code limit} characters
     * (null at the end of the input): a file without a line end is refused, not read whole into one string.
     */
    private static String firstLine(java.io.Reader reader, int limit) throws IOException, ImportRejected {
        StringBuilder line = new StringBuilder();
        for (int read = 0; read < limit; read++) {
            int c = reader.read();
            if (c < 0) return isBlankLine(line) ? null : line.toString();
            if (c == '\n' || c == '\r') {
                if (!isBlankLine(line)) return line.toString();
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        throw new ImportRejected(List.of(ImportProblem.wholeFile("import.badHeader", ImportFormat.NATIVE.header(),
                ImportFormat.ENT_ACCOUNTS.header(), ImportFormat.ENT_DIRECTORY.header())));
    }

    private static boolean isBlankLine(StringBuilder line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != '\uFEFF' && !Character.isWhitespace(c)) return false;
        }
        return true;
    }

    private static ImportRejected notUtf8() {
        return new ImportRejected(List.of(ImportProblem.wholeFile("import.notUtf8")));
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }

    /**
     * How a quote inside a cell is read. entcore quotes every cell without doubling the quotes inside
     * ({@code "Dupont "Jojo""}): in a file whose header cells are all quoted, a cell ends at the quote
     * before a separator (doubled quotes, as a spreadsheet writes them, still read as one). Elsewhere a
     * cell opened by a stray quote is read up to the separator, so it cannot swallow the lines after it.
     */
    static UnescapedQuoteHandling quoteHandling(String headerLine, char delimiter) {
        String[] cells = headerLine.replace("\uFEFF", "").split(Pattern.quote(String.valueOf(delimiter)), -1);
        int last = cells.length - 1;
        if (last > 0 && cells[last].isBlank()) last--;  // a separator after the last cell
        for (int i = 0; i <= last; i++) {
            String c = cells[i].strip();
            if (c.length() < 2 || c.charAt(0) != '"' || c.charAt(c.length() - 1) != '"') {
                return UnescapedQuoteHandling.STOP_AT_DELIMITER;
            }
        }
        return UnescapedQuoteHandling.STOP_AT_CLOSING_QUOTE;
    }

    /** The separator is the one of {@code ; , TAB} the header line uses most, outside quotes. */
    static char delimiter(String headerLine) {
        int semicolons = 0;
        int commas = 0;
        int tabs = 0;
        boolean quoted = false;
        for (int i = 0; i < headerLine.length(); i++) {
            char c = headerLine.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == ';') semicolons++;
            else if (!quoted && c == ',') commas++;
            else if (!quoted && c == '\t') tabs++;
        }
        if (tabs > semicolons && tabs > commas) return '\t';
        return semicolons >= commas ? ';' : ',';
    }

    private void checkHeader(String[] names) {
        Set<Column> seen = new java.util.HashSet<>();
        for (int i = 0; i < names.length; i++) {
            Column c = header.columns().get(i);
            String name = names[i] == null ? "" : names[i].trim();
            if (c == null) {
                // The ENT may add columns one day: read past them. The native layout is ours: a typo is an error.
                if (header.format() == ImportFormat.NATIVE && !name.isEmpty()) {
                    problems.add(ImportProblem.at(1, name, "import.unknownColumn", name));
                }
            } else if (!seen.add(c)) {
                problems.add(ImportProblem.at(1, name, "import.duplicateColumn", name));
            }
        }
    }

    private String headerOf(Cell... cells) {
        for (int i = 0; i < header.columns().size(); i++) {
            Column c = header.columns().get(i);
            if (c != null && Arrays.asList(cells).contains(c.cell())) return headerNames[i].trim();
        }
        return null;
    }

    private static boolean isBlank(String[] record) {
        for (String v : record) if (v != null && !v.isBlank()) return false;
        return true;
    }

    /**
     * The cell without the spaces around it, no-break ones included (U+00A0, U+2007, U+202F: a
     * spreadsheet's French typography); those inside a value stay.
     */
    static String trimmed(String raw) {
        int from = 0;
        int to = raw.length();
        while (from < to && isSpace(raw.charAt(from))) from++;
        while (to > from && isSpace(raw.charAt(to - 1))) to--;
        return raw.substring(from, to);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }

    /** One line: every cell read and checked; problems recorded, and the line staged whatever they are. */
    private StagedLine line(long n, String[] record) {
        StagedLine line = new StagedLine();
        line.line = n;
        Map<Cell, String> cells = new java.util.EnumMap<>(Cell.class);
        for (int i = 0; i < record.length; i++) {
            String raw = record[i];
            String value = raw == null ? null : trimmed(raw);
            if (value != null && value.isEmpty()) value = null;
            if (i >= header.columns().size()) {
                if (value != null) problems.add(ImportProblem.at(n, "#" + (i + 1), "import.extraCell", value));
                continue;
            }
            Column c = header.columns().get(i);
            if (c == null || c.cell() == Cell.IGNORED) continue;
            String name = headerNames[i].trim();
            if (value != null && hasControl(value)) {
                problems.add(ImportProblem.at(n, name, "import.controlCharacter"));
                value = value.replaceAll("\\p{Cntrl}", " ");
            }
            cells.put(c.cell(), value);
        }
        ImportFormat format = header.format();
        java.util.function.Function<Cell, String> col = cellNames::get;

        // The account itself.
        String profileText = cells.get(Cell.PROFILE);
        Profile profile = null;
        if (profileText == null) {
            problems.add(ImportProblem.at(n, col.apply(Cell.PROFILE), "import.missing", col.apply(Cell.PROFILE)));
        } else {
            profile = Profile.parse(profileText).orElse(null);
            if (profile == null) problems.add(ImportProblem.at(n, col.apply(Cell.PROFILE), "import.unknownProfile", profileText));
        }
        line.values.put(AccountColumn.PROFILE, profile == null ? null : profile.name());
        String last = required(n, cells, Cell.LAST_NAME, col);
        String first = required(n, cells, Cell.FIRST_NAME, col);
        line.values.put(AccountColumn.LAST_NAME, last);
        line.values.put(AccountColumn.FIRST_NAME, first);
        line.login = tooLong(n, required(n, cells, Cell.LOGIN, col), Cell.LOGIN, col);
        if (last != null && first != null && format.relativesByName()) {
            line.nameKey = NameKey.firstLast(first, last);
            line.nameKeyReversed = NameKey.lastFirst(first, last);
        }
        line.values.put(AccountColumn.LOGIN_ALIAS, tooLong(n, cells.get(Cell.LOGIN_ALIAS), Cell.LOGIN_ALIAS, col));
        line.values.put(AccountColumn.ACTIVATION_CODE, cells.get(Cell.ACTIVATION_CODE));
        String email = cells.get(Cell.EMAIL);
        if (email != null) {
            String reason = EmailAddress.problem(email).orElse(null);
            if (reason != null) {
                problems.add(ImportProblem.at(n, col.apply(Cell.EMAIL), reason, email));
                email = null;
            }
        }
        line.values.put(AccountColumn.EMAIL, email);
        line.values.put(AccountColumn.LEVEL, cells.get(Cell.LEVEL));
        if (header.has(Cell.FUNCTIONS)) {
            line.values.put(AccountColumn.FUNCTIONS, functions(n, col.apply(Cell.FUNCTIONS), cells.get(Cell.FUNCTIONS)));
        }
        if (header.has(Cell.ENT_FUNCTIONS)) {
            line.values.put(AccountColumn.FUNCTIONS, functions(n, col.apply(Cell.ENT_FUNCTIONS), cells.get(Cell.ENT_FUNCTIONS)));
        }
        line.values.put(AccountColumn.CREATED_AT, date(n, col.apply(Cell.CREATED_AT), cells.get(Cell.CREATED_AT)));
        line.values.put(AccountColumn.LANGUAGE, language(n, col.apply(Cell.LANGUAGE), cells.get(Cell.LANGUAGE)));
        line.values.put(AccountColumn.LAST_LOGIN_AT, LastLogin.parse(cells.get(Cell.LAST_LOGIN_AT)).orElse(null));

        line.values.put(AccountColumn.EXTERNAL_ID, cells.get(Cell.EXTERNAL_ID));
        line.values.put(AccountColumn.SIECLE_ID, cells.get(Cell.SIECLE_ID));
        if (hasAddress) address(n, cells, line);

        // Its school.
        if (header.has(Cell.STRUCTURES)) {
            structures(n, col.apply(Cell.STRUCTURES), cells.get(Cell.STRUCTURES), line);
        } else {
            line.uai = uai(n, col.apply(Cell.UAI) == null ? "uai" : col.apply(Cell.UAI), cells.get(Cell.UAI));
            line.structureName = cells.get(Cell.STRUCTURE_NAME);
            if (line.uai != null) intersect(Set.of(line.uai));
        }

        // Classes and relatives.
        if (header.has(Cell.CLASSES)) line.classes = split(cells.get(Cell.CLASSES), listSeparator);
        if (header.has(Cell.RELATIVE_LOGINS)) {
            List<String> logins = split(cells.get(Cell.RELATIVE_LOGINS), listSeparator);
            if (profile == Profile.Relative) {
                line.childRefs = logins;
                line.childKeys = logins;
                line.replaceChildren = true;
            } else if (profile == Profile.Student) {
                line.parentRefs = logins;
                line.parentKeys = logins;
            } else if (!logins.isEmpty() && profile != null) {
                problems.add(ImportProblem.at(n, col.apply(Cell.RELATIVE_LOGINS), "import.relativesNotAllowed", profile.frenchName()));
            }
        }
        if (header.has(Cell.CHILDREN)) {
            List<String> children = split(cells.get(Cell.CHILDREN), listSeparator);
            if (profile == Profile.Relative && !children.isEmpty()) {
                line.childRefs = children;
                line.childKeys = children.stream().map(NameKey::of).toList();
                line.replaceChildren = true;
            } else if (!children.isEmpty() && profile != null && profile != Profile.Relative) {
                problems.add(ImportProblem.at(n, col.apply(Cell.CHILDREN), "import.childrenNotAllowed", profile.frenchName()));
            }
        }
        if (header.has(Cell.PARENTS)) {
            List<String> parents = split(cells.get(Cell.PARENTS), listSeparator);
            if (profile == Profile.Student && !parents.isEmpty()) {
                line.parentRefs = parents;
                line.parentKeys = parents.stream().map(NameKey::of).toList();
            } else if (!parents.isEmpty() && profile != null && profile != Profile.Student) {
                problems.add(ImportProblem.at(n, col.apply(Cell.PARENTS), "import.parentsNotAllowed", profile.frenchName()));
            }
        }
        return line;
    }

    /**
     * The postal address columns (issue 14): checked as a whole by {@link PostalRules}, each problem under
     * the column it concerns, as the file names it; never truncated. All blank: the account has no address.
     */
    private void address(long n, Map<Cell, String> cells, StagedLine line) {
        PostalAddress address = new PostalAddress(cells.get(Cell.ADDRESS_LINE1), cells.get(Cell.ADDRESS_LINE2),
                cells.get(Cell.ADDRESS_LINE3), cells.get(Cell.ADDRESS_LINE4), cells.get(Cell.POSTCODE),
                cells.get(Cell.CITY), cells.get(Cell.COUNTRY));
        List<PostalRules.Problem> found = PostalRules.check(address);
        for (PostalRules.Problem p : found) {
            Cell cell = switch (p.field()) {
                case "address_line1" -> Cell.ADDRESS_LINE1;
                case "address_line2" -> Cell.ADDRESS_LINE2;
                case "address_line3" -> Cell.ADDRESS_LINE3;
                case "address_line4" -> Cell.ADDRESS_LINE4;
                case "postcode" -> Cell.POSTCODE;
                case "country" -> Cell.COUNTRY;
                default -> Cell.CITY;
            };
            String column = cellNames.getOrDefault(cell, p.field());
            problems.add(new ImportProblem(n, column, p.key(), p.args()));
        }
        if (!found.isEmpty()) return;
        for (Cell c : ADDRESS_CELLS) line.values.put(c.account().orElseThrow(), cells.get(c));
    }

    /** A login (or alias) longer than {@link #MAX_LOGIN} is a problem of its line, and left out. */
    private String tooLong(long n, String login, Cell cell, java.util.function.Function<Cell, String> col) {
        if (login == null || login.length() <= MAX_LOGIN) return login;
        problems.add(ImportProblem.at(n, col.apply(cell), "import.tooLong", col.apply(cell), String.valueOf(MAX_LOGIN)));
        return null;
    }

    private String required(long n, Map<Cell, String> cells, Cell cell, java.util.function.Function<Cell, String> col) {
        String value = cells.get(cell);
        if (value == null) problems.add(ImportProblem.at(n, col.apply(cell), "import.missing", col.apply(cell)));
        return value;
    }

    private List<String> functions(long n, String column, String value) {
        List<String> out = new ArrayList<>();
        for (String f : split(value, listSeparator)) {
            boolean code = FUNCTION_CODE.matcher(f).matches();
            // Native files carry codes (ADMIN_LOCAL…); the ENT writes its labels too (LETTRES MODERNES).
            if (!code && !header.format().fromEnt()) {
                problems.add(ImportProblem.at(n, column, "import.badFunction", f));
                continue;
            }
            String stored = code ? f.toUpperCase(Locale.ROOT) : f;
            if (stored.length() > 200) {
                problems.add(ImportProblem.at(n, column, "import.badFunction", f));
                continue;
            }
            if (options.hideSuperAdmins() && stored.equals(Account.SUPER_ADMIN)) {
                problems.add(ImportProblem.at(n, column, "import.reservedFunction", stored));
                continue;
            }
            if (!out.contains(stored)) out.add(stored);
        }
        return out;
    }

    private LocalDate date(long n, String column, String value) {
        if (value == null) return null;
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(ImportProblem.at(n, column, "import.badDate", value));
            return null;
        }
    }

    private String language(long n, String column, String value) {
        if (value == null) return null;
        String lang = value.toLowerCase(Locale.ROOT);
        if (!lang.equals("fr") && !lang.equals("en")) {
            problems.add(ImportProblem.at(n, column, "import.badLanguage", value));
            return null;
        }
        return lang;
    }

    /** Native: the uai cell, else --structure. */
    private String uai(long n, String column, String value) {
        String forced = options.structureUai();
        if (value == null) {
            if (forced == null) problems.add(ImportProblem.at(n, column, "import.noStructure"));
            return forced;
        }
        String uai = value.toUpperCase(Locale.ROOT);
        if (!UAI_ONLY.matcher(uai).matches()) {
            problems.add(ImportProblem.at(n, column, "import.badUai", value));
            return forced;
        }
        if (forced != null && !forced.equals(uai)) {
            problems.add(ImportProblem.at(n, column, "import.otherStructure", uai, forced));
        }
        return uai;
    }

    /**
     * The cell without the ", " the ENT leaves after its last school: a loop from the end, because the
     * regex {@code [,\s]+$} backtracks on every space of a long cell (quadratic: 17 s for 2 MB).
     */
    static String withoutTrailingSeparators(String value) {
        int end = value.length();
        while (end > 0 && (value.charAt(end - 1) == ',' || Character.isWhitespace(value.charAt(end - 1)))) end--;
        return value.substring(0, end).strip();
    }

    /**
     * ENT: the school(s) of the account, coded ("0330002B - Collège Jeanne-d'Arc") or only named
     * ("Lycée Montesquieu, "). With --structure (or the web page's school) the line belongs to it;
     * otherwise a coded or known name decides, and an account of several schools is given the school
     * common to every line of the file (the one the export was made from).
     */
    private void structures(long n, String column, String value, StagedLine line) {
        String forced = options.structureUai();
        String cell = value == null ? "" : withoutTrailingSeparators(value);
        List<String> coded = new ArrayList<>();
        Matcher m = UAI.matcher(cell);
        while (m.find()) coded.add(m.group(1).toUpperCase(Locale.ROOT));
        Set<String> named = new LinkedHashSet<>();
        List<String> unknownNames = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (coded.isEmpty() && !cell.isEmpty()) {
            String whole = structures.byName(cell);
            if (whole != null) {
                named.add(whole);
                labels.add(cell);
            } else {
                for (String name : split(cell, COMMA)) {
                    String uai = structures.byName(name);
                    if (uai != null) named.add(uai);
                    else unknownNames.add(name);
                    labels.add(name);
                }
            }
        } else if (coded.size() == 1) {
            // "0330002B - Collège Jeanne-d'Arc": the name after the code, to create a school the database lacks.
            String rest = cell.substring(cell.toUpperCase(Locale.ROOT).indexOf(coded.get(0)) + 8)
                    .replaceAll("^[\\s\\-–—:]+", "").strip();
            if (!rest.isEmpty() && !rest.contains(",")) labels.add(rest);
        }
        if (labels.size() == 1) line.structureLabel = labels.get(0);

        if (forced != null) {
            line.uai = forced;
            boolean otherCoded = !coded.isEmpty() && !coded.contains(forced);
            boolean otherNamed = coded.isEmpty() && unknownNames.isEmpty() && !named.isEmpty() && !named.contains(forced);
            if (otherCoded || otherNamed) {
                String other = otherCoded ? coded.get(0) : named.iterator().next();
                problems.add(ImportProblem.at(n, column, "import.otherStructure", other, forced));
            }
            return;
        }
        Set<String> candidates = new TreeSet<>(coded);
        candidates.addAll(named);
        if (candidates.isEmpty()) {
            if (cell.isEmpty()) problems.add(ImportProblem.at(n, column, "import.noStructureEnt"));
            else problems.add(ImportProblem.at(n, column, "import.unknownStructureName", String.join(", ", unknownNames)));
            return;
        }
        intersect(candidates);
        if (candidates.size() == 1) {
            line.uai = candidates.iterator().next();
        } else {
            line.structureChoices = List.copyOf(candidates);
        }
    }

    private void intersect(Set<String> uais) {
        if (commonChoices == null) commonChoices = new TreeSet<>(uais);
        else commonChoices.retainAll(uais);
    }

    private static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) return true;
        }
        return false;
    }

    static List<String> split(String value, Pattern separator) {
        if (value == null) return List.of();
        List<String> out = new ArrayList<>();
        for (String part : separator.split(value)) {
            String v = part.strip();
            if (!v.isEmpty() && !out.contains(v)) out.add(v);
        }
        return out;
    }
}

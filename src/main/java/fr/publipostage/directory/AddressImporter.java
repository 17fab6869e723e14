package fr.publipostage.directory;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * {@code import-addresses FILE.csv --structure UAI}: the postal addresses of a school's accounts from a
 * second file (the ENT's exports carry none). Header-driven, {@code ;} or {@code ,}, UTF-8 with or
 * without BOM, Windows-1252 or UTF-16 ({@link ImportText}). Each line names one account of the school by {@code login}, else by {@code Id Siecle}
 * (SIECLE's identifier, as the ENT exports it) or {@code Id} (the ENT's external id) when the login
 * cell is empty; then its address: {@code address_line1…address_line4}, {@code postcode}, {@code city},
 * {@code country} (French column names accepted too). An empty address removes the account's address.
 * Every line is checked against {@link PostalRules} before anything is written: one bad line and the
 * whole file is refused, every problem listed by line and column; nothing is ever truncated.
 */
public final class AddressImporter {
    static final int MAX_FIELD = 4096;
    private static final int MAX_COLUMNS = 128;
    /** Accounts listed among those whose address changes (all are counted). */
    static final int LISTED = 500;
    private static final Pattern UAI = Pattern.compile("[0-9]{7}[A-Z]");

    /** Canonical field → accepted header names (compared without case, accents, spaces, '_' or '-'). */
    static final Map<String, List<String>> FIELDS = new LinkedHashMap<>();
    /** Columns an address file may carry for the reader's sake; not imported. */
    static final Set<String> INFORMATIVE = Set.of("lastname", "nom", "firstname", "prenom", "profile", "type", "profil",
            "classes", "classe", "uai", "structurename", "structure", "structures", "etablissement", "etablissements",
            "email", "courriel", "telephone", "displayname", "nomcomplet", "loginalias", "loginpersonnalisealias",
            "enfant", "enfants", "children", "parent", "parents", "relatives", "functions", "fonction", "fonctions",
            "level", "niveau", "createdat", "language", "langue", "derniereconnexion", "activationcode", "codedactivation");

    static {
        FIELDS.put("login", List.of("login", "identifiant", "loginent"));
        FIELDS.put("siecle", List.of("siecleid", "idsiecle", "identifiantsiecle"));
        FIELDS.put("external", List.of("externalid", "id", "identifiantent"));
        FIELDS.put("address_line1", List.of("addressline1", "adresseligne1", "ligne1adresse", "adresse1", "ligne1"));
        FIELDS.put("address_line2", List.of("addressline2", "adresseligne2", "ligne2adresse", "adresse2", "ligne2"));
        FIELDS.put("address_line3", List.of("addressline3", "adresseligne3", "ligne3adresse", "adresse3", "ligne3"));
        FIELDS.put("address_line4", List.of("addressline4", "adresseligne4", "ligne4adresse", "adresse4", "ligne4"));
        FIELDS.put("postcode", List.of("postcode", "codepostal", "cp", "zipcode"));
        FIELDS.put("city", List.of("city", "commune", "ville", "localite"));
        FIELDS.put("country", List.of("country", "pays"));
    }

    /**
     * What an accepted file did (or, not applied, would do): its lines, those giving an address, those
     * erasing one, and how many accounts' stored addresses it changes.
     */
    public record Report(String uai, int lines, int withAddress, int cleared, int changed, boolean applied,
                         List<ImportReport.Entry> changedAccounts) {
        public int unchanged() {
            return lines - changed;
        }
    }

    private final SqlSessionFactory sessions;

    public AddressImporter(SqlSessionFactory sessions) {
        this.sessions = sessions;
    }

    /** One checked line: which account (by which key) and its new address (empty: none). */
    private record Line(long number, String by, String key, String keyColumn, PostalAddress address) {
    }

    public Report importCsv(InputStream input, String uai) throws ImportRejected, IOException {
        return run(input, uai, true);
    }

    /**
     * True when this header is an address file's (a key column and a city column) and not an account
     * file's: the web page's import takes both and sends each to its importer.
     */
    public static boolean recognises(byte[] content) {
        String text;
        try {
            text = decode(content);
        } catch (ImportRejected | IOException e) {
            return false;
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setDelimiter(ImportFileReader.delimiter(first));
        settings.setMaxColumns(MAX_COLUMNS);
        String[] header;
        try {
            header = new CsvParser(settings).parseLine(first);
        } catch (TextParsingException e) {
            return false;
        }
        if (header == null || ImportFormat.recognise(header).isPresent()) return false;
        Set<String> fields = new java.util.HashSet<>();
        for (String h : header) {
            if (h != null && field(h.strip()) != null) fields.add(field(h.strip()));
        }
        return fields.contains("city") && (fields.contains("login") || fields.contains("siecle") || fields.contains("external"));
    }

    /** The file checked, then written when {@code apply} (else nothing is written: the web's dry run). */
    public Report run(InputStream input, String uai, boolean apply) throws ImportRejected, IOException {
        if (uai == null || !UAI.matcher(uai).matches()) {
            throw new ImportRejected(List.of(ImportProblem.wholeFile("import.badUai", String.valueOf(uai))));
        }
        String text = decode(input.readAllBytes());
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        if (text.isBlank()) throw new ImportRejected(List.of(ImportProblem.wholeFile("import.empty")));
        Structure structure;
        try (SqlSession session = sessions.openSession(true)) {
            structure = session.getMapper(DirectoryMapper.class).findStructureByUai(uai);
        }
        if (structure == null) throw new ImportRejected(List.of(ImportProblem.wholeFile("addresses.unknownStructure", uai)));

        // One line ending for the parser's detection, which takes the first it meets (a blank "\r\n"
        // line before "\n" lines would make the whole file one line); line numbers are unchanged.
        text = text.replace("\r\n", "\n");
        // The header is the first line that is not blank, as recognises() reads it.
        String firstLine = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        char delimiter = ImportFileReader.delimiter(firstLine);  // ; , or a tab (Excel's Unicode text), as for accounts
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setDelimiter(delimiter);
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setMaxCharsPerColumn(MAX_FIELD);
        settings.setMaxColumns(MAX_COLUMNS);
        settings.setSkipEmptyLines(true);
        settings.getFormat().setComment('\0');  // a line starting with # is data (a note column), as for accounts
        settings.setUnescapedQuoteHandling(ImportFileReader.quoteHandling(firstLine, delimiter));
        CsvParser parser = new CsvParser(settings);
        String[] header = null;

        ProblemList problems = new ProblemList(AccountImporter.MAX_LISTED_PROBLEMS);
        List<Line> lines = new ArrayList<>();
        try {
            parser.beginParsing(new StringReader(text));
            header = parser.parseNext();
            Map<String, Integer> columns = new HashMap<>();
            Map<String, String> headerOf = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                if (header[i] == null || header[i].isBlank()) continue;
                String name = header[i].strip();
                String field = field(name);
                if (field == null) {
                    if (looksLikeOurs(key(name))) problems.add(ImportProblem.at(1, name, "addresses.unknownColumn", name));
                    continue;
                }
                if (columns.putIfAbsent(field, i) != null) {
                    problems.add(ImportProblem.at(1, name, "addresses.duplicateColumn", name));
                }
                headerOf.put(field, name);
            }
            if (!columns.containsKey("login") && !columns.containsKey("siecle") && !columns.containsKey("external")) {
                problems.add(ImportProblem.wholeFile("addresses.noKey"));
            }
            if (!columns.containsKey("city")) problems.add(ImportProblem.wholeFile("addresses.noCity"));
            if (!problems.isEmpty()) throw problems.rejected();
            String[] record;
            while ((record = parser.parseNext()) != null) {
                long n = parser.getContext().currentLine();
                Line line = read(n, record, columns, headerOf, problems);
                if (line != null) lines.add(line);
            }
        } catch (TextParsingException e) {
            problems.add(CsvFaults.of(e, header, MAX_COLUMNS, MAX_FIELD));
            throw problems.rejected();
        } finally {
            parser.stopParsing();
        }
        if (lines.isEmpty() && problems.isEmpty()) throw new ImportRejected(List.of(ImportProblem.wholeFile("import.noLines")));

        Map<Line, Long> accountOf = resolve(structure.id(), lines, problems);
        if (!problems.isEmpty()) throw problems.rejected();

        int withAddress = 0;
        int cleared = 0;
        int changed = 0;
        Map<Long, AddressMapper.Stored> stored = new HashMap<>();
        List<ImportReport.Entry> changedAccounts = new ArrayList<>();
        try (SqlSession session = sessions.openSession(true)) {
            List<Long> ids = List.copyOf(accountOf.values());
            for (int from = 0; from < ids.size(); from += 5_000) {
                for (AddressMapper.Stored a : session.getMapper(AddressMapper.class)
                        .addressesOf(ids.subList(from, Math.min(ids.size(), from + 5_000)))) {
                    stored.put(a.id(), a);
                }
            }
        }
        for (Line line : lines) {
            if (line.address().isEmpty()) cleared++;
            else withAddress++;
            AddressMapper.Stored before = stored.get(accountOf.get(line));
            if (before == null || !line.address().equals(before.address())) {
                changed++;
                if (before != null && changedAccounts.size() < LISTED) {
                    changedAccounts.add(new ImportReport.Entry(line.number(), uai, before.login(), before.lastName(),
                            before.firstName(), before.profile(), List.of("postalAddress")));
                }
            }
        }
        if (!apply) return new Report(uai, lines.size(), withAddress, cleared, changed, false, changedAccounts);
        try (SqlSession session = sessions.openSession(ExecutorType.BATCH, false)) {
            AddressMapper mapper = session.getMapper(AddressMapper.class);
            for (Line line : lines) mapper.setAddress(accountOf.get(line), line.address());
            session.commit(true);
        }
        return new Report(uai, lines.size(), withAddress, cleared, changed, true, changedAccounts);
    }

    private static Line read(long n, String[] record, Map<String, Integer> columns, Map<String, String> headerOf,
                             ProblemList problems) {
        String login = cell(record, columns, "login");
        String siecle = cell(record, columns, "siecle");
        String external = cell(record, columns, "external");
        String by;
        String key;
        if (login != null) {
            by = "login";
            key = login;
        } else if (siecle != null) {
            by = "siecle";
            key = siecle;
        } else if (external != null) {
            by = "external";
            key = external;
        } else {
            String named = headerOf.getOrDefault("login", headerOf.getOrDefault("siecle", headerOf.get("external")));
            problems.add(ImportProblem.at(n, named, "addresses.noKeyValue"));
            return null;
        }
        PostalAddress address = new PostalAddress(cell(record, columns, "address_line1"), cell(record, columns, "address_line2"),
                cell(record, columns, "address_line3"), cell(record, columns, "address_line4"),
                cell(record, columns, "postcode"), cell(record, columns, "city"), cell(record, columns, "country"));
        long before = problems.total();
        for (PostalRules.Problem p : PostalRules.check(address)) {
            problems.add(new ImportProblem(n, headerOf.getOrDefault(p.field(), p.field()), p.key(), p.args()));
        }
        if (problems.total() > before) return null;
        return new Line(n, by, key, headerOf.get(by), address);
    }

    /** The account of each line; an unknown key, a key naming two accounts or an account named twice are problems. */
    private Map<Line, Long> resolve(long structureId, List<Line> lines, ProblemList problems) {
        Map<String, Map<String, List<Long>>> found = new HashMap<>();
        try (SqlSession session = sessions.openSession(true)) {
            AddressMapper mapper = session.getMapper(AddressMapper.class);
            for (String by : List.of("login", "siecle", "external")) {
                List<String> keys = lines.stream().filter(l -> l.by().equals(by)).map(Line::key).distinct().toList();
                Map<String, List<Long>> ids = new HashMap<>();
                for (int from = 0; from < keys.size(); from += 5_000) {
                    for (AddressMapper.Keyed k : mapper.accountsBy(structureId, by, keys.subList(from, Math.min(keys.size(), from + 5_000)))) {
                        ids.computeIfAbsent(k.key(), x -> new ArrayList<>()).add(k.id());
                    }
                }
                found.put(by, ids);
            }
        }
        Map<Line, Long> accountOf = new HashMap<>();
        Map<Long, Long> firstLineOf = new HashMap<>();
        for (Line line : lines) {
            List<Long> ids = found.get(line.by()).getOrDefault(line.key(), List.of());
            if (ids.isEmpty()) {
                problems.add(ImportProblem.at(line.number(), line.keyColumn(), "addresses.unknownAccount", line.key()));
            } else if (ids.size() > 1) {
                problems.add(ImportProblem.at(line.number(), line.keyColumn(), "addresses.ambiguous", line.key(),
                        String.valueOf(ids.size())));
            } else {
                Long first = firstLineOf.putIfAbsent(ids.get(0), line.number());
                if (first != null) {
                    problems.add(ImportProblem.at(line.number(), line.keyColumn(), "addresses.twice", line.key(),
                            String.valueOf(first)));
                }
                accountOf.put(line, ids.get(0));
            }
        }
        return accountOf;
    }

    /**
     * An unknown column that reads like an address or a key column ("adress_line1", "Code post.")
     * refuses the file: taken for nothing, it would store addresses without it. Other columns of the
     * file (names, classes, telephone, e-mail: a SIECLE or ENT export carries many) are ignored.
     */
    static boolean looksLikeOurs(String key) {
        if (INFORMATIVE.contains(key) || key.contains("mail") || key.contains("tel") || key.contains("courriel")) return false;
        for (String part : List.of("adres", "addres", "ligne", "line", "postal", "postcode", "codepost", "zip", "city",
                "commune", "ville", "localite", "pays", "country", "login", "identifiant", "siecle", "cedex")) {
            if (key.contains(part)) return true;
        }
        return false;
    }

    /** The canonical field a header names, or null. */
    static String field(String header) {
        String k = key(header);
        for (Map.Entry<String, List<String>> e : FIELDS.entrySet()) {
            if (e.getValue().contains(k)) return e.getKey();
        }
        return null;
    }

    /** A header compared without case, accents, spaces, '_', '-', '.', '(' or ')'. */
    private static String key(String header) {
        return Normalizer.normalize(header, Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT).replaceAll("[\\s_.()'’-]+", "");
    }

    private static String cell(String[] record, Map<String, Integer> columns, String field) {
        Integer i = columns.get(field);
        if (i == null || i >= record.length || record[i] == null) return null;
        String v = ImportFileReader.trimmed(record[i]);
        return v.isEmpty() ? null : v;
    }

    /** The file's text in its encoding (UTF-8, Windows-1252 as Excel saves it, UTF-16: {@link ImportText}), without BOM. */
    private static String decode(byte[] bytes) throws ImportRejected, IOException {
        java.io.StringWriter text = new java.io.StringWriter(bytes.length);
        try (ImportText reader = new ImportText(new java.io.ByteArrayInputStream(bytes))) {
            reader.transferTo(text);
            if (reader.spreadsheet()) throw new ImportRejected(List.of(ImportProblem.wholeFile("import.spreadsheet")));
            if (reader.unreadable()) throw new ImportRejected(List.of(ImportProblem.wholeFile("import.notUtf8")));
        } catch (CharacterCodingException e) {
            throw new ImportRejected(List.of(ImportProblem.wholeFile("import.notUtf8")));
        }
        return text.toString();
    }
}

package fr.publipostage.directory;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import fr.publipostage.directory.DirectoryMapper.AccountRow;
import fr.publipostage.directory.DirectoryMapper.IdByKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * Imports accounts from a CSV file, native or ENT "Exporter des comptes" format (DESIGN.md §4).
 * Every line is checked before anything is written: a file with one bad line is refused whole,
 * with every problem listed. Re-importing updates accounts (key: login within structure).
 */
public final class AccountImporter {
    static final List<String> NATIVE_COLUMNS = List.of("uai", "structure_name", "profile", "last_name", "first_name",
            "login", "login_alias", "activation_code", "email", "level", "classes", "relatives", "functions",
            "created_at", "language");
    /** Optional native columns: the postal address (issue 14), checked like import-addresses. */
    static final List<String> ADDRESS_COLUMNS = List.of("address_line1", "address_line2", "address_line3", "address_line4",
            "postcode", "city", "country");
    static final List<String> ENT_COLUMNS = List.of("Id", "Identifiant SIECLE", "Type", "Nom", "Prénom", "Identifiant",
            "Login personnalisé (Alias)", "Code d'activation", "Fonctions", "Établissements", "Classes", "Enfants",
            "Parents", "Dernière connexion", "Courriel", "Téléphone");
    private static final Pattern UAI = Pattern.compile("\\b([0-9]{7}[A-Z])\\b");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern FUNCTION = Pattern.compile("^[A-Z][A-Z0-9_]*$");
    private static final int MAX_FIELD = 4096;

    private final SqlSessionFactory sessions;

    public AccountImporter(SqlSessionFactory sessions) {
        this.sessions = sessions;
    }

    private enum Format { NATIVE, ENT }

    /** One checked line, ready to write. */
    private record Line(long number, String uai, String structureName, AccountRow row, List<String> classes,
                        List<String> relatives, boolean relativesByName, PostalAddress address, String externalId,
                        String siecleId) {
    }

    /**
     * @param defaultUai the structure of lines that name none (the --structure flag), or null
     */
    public ImportReport importCsv(InputStream input, String defaultUai) throws ImportRejected, IOException {
        String text = decode(input.readAllBytes());
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        if (text.isBlank()) throw new ImportRejected(List.of(ImportProblem.wholeFile("import.empty")));
        if (defaultUai != null && !UAI.matcher(defaultUai).matches()) {
            throw new ImportRejected(List.of(ImportProblem.wholeFile("import.badUai", defaultUai)));
        }

        String firstLine = text.lines().findFirst().orElse("");
        char delimiter = count(firstLine, ';') >= count(firstLine, ',') ? ';' : ',';
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setDelimiter(delimiter);
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setMaxCharsPerColumn(MAX_FIELD);
        settings.setMaxColumns(64);
        settings.setSkipEmptyLines(true);
        CsvParser parser = new CsvParser(settings);

        List<ImportProblem> problems = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        Format format;
        try {
            parser.beginParsing(new StringReader(text));
            String[] header = parser.parseNext();
            Map<String, Integer> columns = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                if (header[i] != null) columns.put(header[i].trim(), i);
            }
            format = detect(columns.keySet());
            if (format == null) {
                throw new ImportRejected(List.of(ImportProblem.wholeFile("import.badHeader",
                        String.join(";", NATIVE_COLUMNS), String.join(";", ENT_COLUMNS))));
            }
            if (format == Format.NATIVE) {
                for (String c : columns.keySet()) {
                    if (!NATIVE_COLUMNS.contains(c) && !ADDRESS_COLUMNS.contains(c)) {
                        problems.add(ImportProblem.at(1, c, "import.unknownColumn", c));
                    }
                }
            }
            String[] record;
            while ((record = parser.parseNext()) != null) {
                long lineNumber = parser.getContext().currentLine();
                Fields fields = new Fields(record, columns);
                Line line = format == Format.NATIVE
                        ? readNative(lineNumber, fields, defaultUai, problems)
                        : readEnt(lineNumber, fields, defaultUai, problems);
                if (line != null) lines.add(line);
            }
        } catch (com.univocity.parsers.common.TextParsingException e) {
            problems.add(ImportProblem.at(e.getLineIndex() + 1, "", "import.unreadable", String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
            throw new ImportRejected(problems);
        } finally {
            parser.stopParsing();
        }
        if (lines.isEmpty() && problems.isEmpty()) {
            throw new ImportRejected(List.of(ImportProblem.wholeFile("import.noLines")));
        }

        try (SqlSession session = sessions.openSession(false)) {
            DirectoryMapper mapper = session.getMapper(DirectoryMapper.class);
            checkAcrossLines(lines, mapper, problems);
            if (!problems.isEmpty()) throw new ImportRejected(sorted(problems));
            try {
                ImportReport report = write(format, lines, mapper, session.getMapper(AddressMapper.class));
                // Forced: the upserts are <select … returning>, which MyBatis does not count as writes.
                session.commit(true);
                return report;
            } catch (RuntimeException e) {
                session.rollback(true);
                throw e;
            }
        }
    }

    private static List<ImportProblem> sorted(List<ImportProblem> problems) {
        List<ImportProblem> copy = new ArrayList<>(problems);
        copy.sort((a, b) -> Long.compare(a.line(), b.line()));
        return copy;
    }

    private static String decode(byte[] bytes) throws ImportRejected {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ImportRejected(List.of(ImportProblem.wholeFile("import.notUtf8")));
        }
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(ch -> ch == c).count();
    }

    private static Format detect(Set<String> header) {
        if (header.containsAll(List.of("profile", "last_name", "first_name", "login"))) return Format.NATIVE;
        if (header.containsAll(List.of("Type", "Nom", "Prénom", "Identifiant"))) return Format.ENT;
        return null;
    }

    /** The cells of one record, by column name; blank cells read as null. */
    private record Fields(String[] record, Map<String, Integer> columns) {
        String get(String column) {
            Integer i = columns.get(column);
            if (i == null || i >= record.length || record[i] == null) return null;
            String v = record[i].trim();
            return v.isEmpty() ? null : v;
        }

        boolean has(String column) {
            return columns.containsKey(column);
        }
    }

    private Line readNative(long n, Fields f, String defaultUai, List<ImportProblem> problems) {
        int before = problems.size();
        String uai = structureOf(n, "uai", f.get("uai"), defaultUai, problems);
        Profile profile = profile(n, "profile", f.get("profile"), problems);
        String lastName = required(n, "last_name", f.get("last_name"), problems);
        String firstName = required(n, "first_name", f.get("first_name"), problems);
        String login = required(n, "login", f.get("login"), problems);
        String email = email(n, "email", f.get("email"), problems);
        List<String> functions = functions(n, "functions", f.get("functions"), problems);
        LocalDate created = date(n, "created_at", f.get("created_at"), problems);
        String language = language(n, "language", f.get("language"), problems);
        List<String> relatives = split(f.get("relatives"), "\\|");
        if (!relatives.isEmpty() && profile != null && profile != Profile.Relative && profile != Profile.Student) {
            problems.add(ImportProblem.at(n, "relatives", "import.relativesNotAllowed", profile.name()));
        }
        // The address columns, when the file has them: checked by the postal rules; empty cells remove it.
        PostalAddress address = null;
        if (ADDRESS_COLUMNS.stream().anyMatch(f::has)) {
            address = new PostalAddress(f.get("address_line1"), f.get("address_line2"), f.get("address_line3"),
                    f.get("address_line4"), f.get("postcode"), f.get("city"), f.get("country"));
            for (PostalRules.Problem p : PostalRules.check(address)) problems.add(new ImportProblem(n, p.field(), p.key(), p.args()));
        }
        if (problems.size() > before) return null;
        AccountRow row = new AccountRow(profile, lastName, firstName, login, f.get("login_alias"),
                f.get("activation_code"), email, f.get("level"), functions, created, language);
        return new Line(n, uai, f.get("structure_name"), row, split(f.get("classes"), "\\|"), relatives, false, address,
                null, null);
    }

    private Line readEnt(long n, Fields f, String defaultUai, List<ImportProblem> problems) {
        int before = problems.size();
        String establishments = f.get("Établissements");
        String uaiInFile = null;
        if (establishments != null) {
            Matcher m = UAI.matcher(establishments);
            if (m.find()) uaiInFile = m.group(1);
        }
        String uai = structureOf(n, "Établissements", uaiInFile, defaultUai, problems);
        Profile profile = profile(n, "Type", f.get("Type"), problems);
        String lastName = required(n, "Nom", f.get("Nom"), problems);
        String firstName = required(n, "Prénom", f.get("Prénom"), problems);
        String login = required(n, "Identifiant", f.get("Identifiant"), problems);
        String email = email(n, "Courriel", f.get("Courriel"), problems);
        List<String> functions = functions(n, "Fonctions", f.get("Fonctions"), problems);
        List<String> children = split(f.get("Enfants"), "[|,]");
        if (!children.isEmpty() && profile != null && profile != Profile.Relative) {
            problems.add(ImportProblem.at(n, "Enfants", "import.relativesNotAllowed", profile.name()));
        }
        if (problems.size() > before) return null;
        String name = establishments == null ? null : establishments.replaceAll(UAI.pattern(), "").replaceAll("^[\\s\\-–]+", "").trim();
        AccountRow row = new AccountRow(profile, lastName, firstName, login, f.get("Login personnalisé (Alias)"),
                f.get("Code d'activation"), email, null, functions, null, null);
        // The ENT's own identifiers, so that an address file may name people by them.
        return new Line(n, uai, name == null || name.isEmpty() ? null : name, row,
                split(f.get("Classes"), "[|,]"), children, true, null, f.get("Id"), f.get("Identifiant SIECLE"));
    }

    private static String structureOf(long n, String column, String value, String defaultUai, List<ImportProblem> problems) {
        if (value == null) {
            if (defaultUai == null) problems.add(ImportProblem.at(n, column, "import.noStructure"));
            return defaultUai;
        }
        String uai = value.toUpperCase(Locale.ROOT);
        if (!UAI.matcher(uai).matches()) {
            problems.add(ImportProblem.at(n, column, "import.badUai", value));
        } else if (defaultUai != null && !defaultUai.equals(uai)) {
            problems.add(ImportProblem.at(n, column, "import.otherStructure", uai, defaultUai));
        }
        return uai;
    }

    private static Profile profile(long n, String column, String value, List<ImportProblem> problems) {
        if (value == null) {
            problems.add(ImportProblem.at(n, column, "import.missing", column));
            return null;
        }
        return Profile.parse(value).orElseGet(() -> {
            problems.add(ImportProblem.at(n, column, "import.unknownProfile", value));
            return null;
        });
    }

    private static String required(long n, String column, String value, List<ImportProblem> problems) {
        if (value == null) problems.add(ImportProblem.at(n, column, "import.missing", column));
        return value;
    }

    private static String email(long n, String column, String value, List<ImportProblem> problems) {
        if (value != null && !EMAIL.matcher(value).matches()) {
            problems.add(ImportProblem.at(n, column, "import.badEmail", value));
        }
        return value;
    }

    private static List<String> functions(long n, String column, String value, List<ImportProblem> problems) {
        List<String> functions = split(value, "[|,]").stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
        for (String fn : functions) {
            if (!FUNCTION.matcher(fn).matches()) problems.add(ImportProblem.at(n, column, "import.badFunction", fn));
        }
        return functions;
    }

    private static LocalDate date(long n, String column, String value, List<ImportProblem> problems) {
        if (value == null) return null;
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(ImportProblem.at(n, column, "import.badDate", value));
            return null;
        }
    }

    private static String language(long n, String column, String value, List<ImportProblem> problems) {
        if (value == null) return null;
        String lang = value.toLowerCase(Locale.ROOT);
        if (!lang.equals("fr") && !lang.equals("en")) {
            problems.add(ImportProblem.at(n, column, "import.badLanguage", value));
        }
        return lang;
    }

    private static List<String> split(String value, String separator) {
        if (value == null) return List.of();
        return Arrays.stream(value.split(separator)).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    /** Problems only visible across lines or against the database: duplicates, unknown structures and relatives. */
    private static void checkAcrossLines(List<Line> lines, DirectoryMapper mapper, List<ImportProblem> problems) {
        Map<String, Long> firstLineOfLogin = new HashMap<>();
        Map<String, Set<String>> loginsByUai = new HashMap<>();
        Map<String, Set<String>> pupilNamesByUai = new HashMap<>();
        Map<String, Boolean> structureNamed = new HashMap<>();
        for (Line line : lines) {
            String key = line.uai() + "\u0000" + line.row().login();
            Long first = firstLineOfLogin.putIfAbsent(key, line.number());
            if (first != null) {
                problems.add(ImportProblem.at(line.number(), "login", "import.duplicateLogin", line.row().login(), String.valueOf(first)));
            }
            loginsByUai.computeIfAbsent(line.uai(), u -> new HashSet<>()).add(line.row().login());
            if (line.row().profile() == Profile.Student) {
                pupilNamesByUai.computeIfAbsent(line.uai(), u -> new HashSet<>()).add(pupilKey(line.row().lastName(), line.row().firstName()));
            }
            structureNamed.merge(line.uai(), line.structureName() != null, Boolean::logicalOr);
        }
        Map<String, Structure> existing = new HashMap<>();
        for (var entry : structureNamed.entrySet()) {
            Structure s = mapper.findStructureByUai(entry.getKey());
            if (s != null) existing.put(entry.getKey(), s);
            else if (!entry.getValue()) {
                lines.stream().filter(l -> l.uai().equals(entry.getKey())).findFirst().ifPresent(l ->
                        problems.add(ImportProblem.at(l.number(), "structure_name", "import.unknownStructure", entry.getKey())));
            }
        }
        Map<Long, Set<String>> storedPupilNames = new HashMap<>();
        // Relatives must name an account of the same structure, in this file or already stored.
        for (Line line : lines) {
            if (line.relatives().isEmpty()) continue;
            Structure s = existing.get(line.uai());
            Set<String> known = loginsByUai.get(line.uai());
            List<String> unknown = new ArrayList<>();
            for (String r : line.relatives()) {
                boolean found = known.contains(r)
                        || (line.relativesByName() && pupilNamesByUai.getOrDefault(line.uai(), Set.of()).contains(r.toUpperCase(Locale.ROOT)));
                if (!found) unknown.add(r);
            }
            if (!unknown.isEmpty() && s != null) {
                Set<String> stored = new HashSet<>();
                mapper.accountIdsByLogin(s.id(), unknown).forEach(k -> stored.add(k.key()));
                if (line.relativesByName()) {
                    stored.addAll(storedPupilNames.computeIfAbsent(s.id(), sid -> {
                        Set<String> names = new HashSet<>();
                        mapper.pupilIdsByName(sid).forEach(k -> names.add(k.key()));
                        return names;
                    }));
                }
                unknown.removeIf(r -> stored.contains(r) || stored.contains(r.toUpperCase(Locale.ROOT)));
            }
            for (String r : unknown) {
                problems.add(ImportProblem.at(line.number(), line.relativesByName() ? "Enfants" : "relatives", "import.unknownRelative", r));
            }
        }
    }

    private static String pupilKey(String lastName, String firstName) {
        return (lastName + " " + firstName).toUpperCase(Locale.ROOT);
    }

    private static ImportReport write(Format format, List<Line> lines, DirectoryMapper mapper, AddressMapper addresses) {
        Map<String, Long> structureIds = new LinkedHashMap<>();
        for (Line line : lines) {
            if (!structureIds.containsKey(line.uai()) || line.structureName() != null) {
                structureIds.put(line.uai(), mapper.upsertStructure(line.uai(), line.structureName()));
            }
        }
        // A class takes its level from its pupils.
        Map<String, String> classLevel = new HashMap<>();
        Map<String, Long> classIds = new HashMap<>();
        for (Line line : lines) {
            for (String c : line.classes()) {
                String key = line.uai() + "\u0000" + c;
                if (line.row().profile() == Profile.Student && line.row().level() != null) classLevel.putIfAbsent(key, line.row().level());
                else classLevel.putIfAbsent(key, null);
            }
        }
        for (var entry : classLevel.entrySet()) {
            String[] parts = entry.getKey().split("\u0000", 2);
            classIds.put(entry.getKey(), mapper.upsertClass(structureIds.get(parts[0]), parts[1], entry.getValue()));
        }
        int created = 0;
        int updated = 0;
        Map<Line, Long> accountIds = new HashMap<>();
        Map<Long, Map<String, Long>> pupilsByName = new HashMap<>();
        for (Line line : lines) {
            long structureId = structureIds.get(line.uai());
            DirectoryMapper.UpsertResult result = mapper.upsertAccount(structureId, line.row());
            if (result.inserted()) created++;
            else updated++;
            accountIds.put(line, result.id());
            if (line.address() != null) addresses.setAddress(result.id(), line.address());
            if (line.externalId() != null || line.siecleId() != null) {
                addresses.setExternalIds(result.id(), line.externalId(), line.siecleId());
            }
            mapper.deleteAccountClasses(result.id());
            List<Long> ids = line.classes().stream().map(c -> classIds.get(line.uai() + "\u0000" + c)).toList();
            if (!ids.isEmpty()) mapper.insertAccountClasses(result.id(), ids);
        }
        for (Line line : lines) {
            if (line.relatives().isEmpty() && line.row().profile() != Profile.Relative) continue;
            long structureId = structureIds.get(line.uai());
            long id = accountIds.get(line);
            Map<String, Long> byKey = new HashMap<>();
            if (!line.relatives().isEmpty()) {
                mapper.accountIdsByLogin(structureId, line.relatives()).forEach(k -> byKey.put(k.key(), k.id()));
                if (line.relativesByName()) {
                    pupilsByName.computeIfAbsent(structureId, sid -> {
                        Map<String, Long> names = new HashMap<>();
                        mapper.pupilIdsByName(sid).forEach(k -> names.put(k.key(), k.id()));
                        return names;
                    }).forEach(byKey::putIfAbsent);
                }
            }
            List<Long> relativeIds = line.relatives().stream()
                    .map(r -> byKey.containsKey(r) ? byKey.get(r) : byKey.get(r.toUpperCase(Locale.ROOT))).toList();
            if (line.row().profile() == Profile.Relative) {
                if (line.relatives().isEmpty() && format == Format.ENT) continue;
                mapper.deleteChildrenOf(id);
                for (long child : relativeIds) mapper.insertRelative(id, child);
            } else {
                for (long parent : relativeIds) mapper.insertRelative(parent, id);
            }
        }
        for (long structureId : structureIds.values()) mapper.refreshReadColumns(structureId);
        return new ImportReport(format.name().toLowerCase(Locale.ROOT), lines.size(), created, updated,
                List.copyOf(structureIds.keySet()));
    }
}

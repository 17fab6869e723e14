package fr.publipostage.directory;

import fr.publipostage.directory.ImportFileReader.StructureIndex;
import fr.publipostage.directory.ImportFileReader.Summary;
import fr.publipostage.directory.ImportMapper.ProblemRow;
import fr.publipostage.directory.ImportMapper.RefProblemRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports accounts from a CSV file — the native layout or the ENT's two exports, as they are
 * ({@link ImportFormat}) — all or nothing, for the command line, the web page and the demo data alike.
 *
 * <p>How: the file is read line by line and each line, checked on its own, is streamed into a
 * temporary staging table with {@code COPY}; the checks across lines and against the database
 * (duplicate logins, unknown schools, relatives by login or by "Prénom Nom", accounts a local admin
 * may not touch) and the merge are set-based SQL ({@code ImportMapper.xml}), all in one transaction:
 * memory stays flat whatever the size of the file, and a file with one bad line writes nothing and
 * lists every problem with its line and column. The report (new, updated with the fields, unchanged,
 * absent) is computed before anything is written, so a dry run and an import report the same thing.
 * Rows that would not change are never written.
 */
public final class AccountImporter {
    /** Problems listed in a refusal (all are counted). */
    public static final int MAX_LISTED_PROBLEMS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(AccountImporter.class);
    /** From this many new accounts, the tables' statistics are refreshed within the import (see ImportMapper.xml). */
    private static final int BULK = 10_000;
    private static final Pattern UAI = Pattern.compile("[0-9]{7}[A-Z]");

    private final SqlSessionFactory sessions;

    public AccountImporter(SqlSessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Imports for the platform's operator (every account), {@code --structure} or not. */
    public ImportReport importCsv(InputStream input, String structureUai) throws ImportRejected, IOException {
        return run(input, ImportOptions.operator(structureUai, true));
    }

    /**
     * Reads, checks and reports the file; writes it when {@code options.apply()} — in one transaction,
     * or nothing.
     *
     * @throws ImportRejected the file cannot be imported: nothing was written; every problem by line and column
     */
    public ImportReport run(InputStream input, ImportOptions options) throws ImportRejected, IOException {
        if (options.structureUai() != null && !UAI.matcher(options.structureUai()).matches()) {
            throw new ImportRejected(List.of(ImportProblem.wholeFile("import.badUai", options.structureUai())));
        }
        ProblemList problems = new ProblemList(MAX_LISTED_PROBLEMS);
        Timing timing = new Timing();
        try (SqlSession session = sessions.openSession(false)) {
            ImportMapper sql = session.getMapper(ImportMapper.class);
            try {
                if (options.apply()) sql.lockImports();
                sql.tune();
                sql.createLineTable();
                Summary file = stage(session, sql, input, options, problems);
                timing.mark("read+copy");
                check(session, sql, file, options, problems, timing);
                if (!problems.isEmpty()) throw problems.rejected();
                List<AccountColumn> fields = List.copyOf(file.accountColumns());
                sql.createAccountTable();
                timing.mark("accounts");
                sql.createLinkTable();
                sql.createLinkIdTable();
                timing.mark("links");
                sql.createChangeTable(fields, file.hasClasses());
                timing.mark("changes");
                ImportReport report = report(sql, file, options);
                timing.mark("report");
                if (!options.apply()) {
                    session.rollback(true);
                    log(report.lines(), "dry run", timing);
                    return report;
                }
                sql.insertStructures();
                sql.renameStructures();
                // New and renamed schools get their name with its article (an admin's correction stays).
                DirectoryMapper directory = session.getMapper(DirectoryMapper.class);
                for (Structure s : sql.structuresWithoutArticle()) {
                    directory.deriveNameWithArticle(s.id(), SchoolNames.withArticle(s.name()));
                }
                timing.mark("structures");
                sql.mergeClasses();
                if (report.newClasses() > 0) sql.analyzeClasses();
                timing.mark("classes");
                boolean created = report.created() > 0;
                // Skipped when nothing of theirs changes: re-importing an unchanged file only reads.
                boolean classes = created || report.changedFields().containsKey("classes");
                boolean relatives = created || report.changedFields().containsKey("relatives");
                if (classes) sql.createMemberTable();
                timing.mark("members");
                if (created) {
                    sql.insertAccounts(fields);
                    if (report.created() >= BULK) sql.analyzeAccounts();
                    timing.mark("insert");
                }
                if (report.updated() > 0) sql.updateAccounts(fields);
                timing.mark("update");
                sql.createAffectedTable();
                timing.mark("affected");
                if (classes) sql.mergeMemberships();
                if (report.created() >= BULK) sql.analyzeMemberships();
                timing.mark("memberships");
                if (relatives) sql.mergeRelatives();
                timing.mark("relatives");
                sql.refreshAffected();
                timing.mark("read columns");
                // Forced: MyBatis does not count <select>/DDL statements as writes.
                session.commit(true);
                timing.mark("commit");
                log(report.lines(), "import", timing);
                return report;
            } catch (ImportRejected | IOException | RuntimeException e) {
                session.rollback(true);
                throw e;
            }
        }
    }

    /** Streams the file into import_line. */
    private static Summary stage(SqlSession session, ImportMapper sql, InputStream input, ImportOptions options,
                                 ProblemList problems) throws ImportRejected, IOException {
        StructureIndex structures = StructureIndex.of(sql.structures());
        StagingWriter staging;
        try {
            staging = new StagingWriter(copyManager(session), statement(session, "copyLines"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start the import's COPY", e);
        }
        Summary file;
        try {
            file = new ImportFileReader(options, structures, problems).read(input, staging::write);
            staging.close();
        } catch (ImportRejected | IOException | RuntimeException e) {
            staging.cancel();
            throw e;
        }
        if (file.commonUai() != null) sql.chooseStructure(file.commonUai());
        sql.indexLines(file.header().format().relativesByName());
        return file;
    }

    /** The checks that need the whole file or the database. */
    private void check(SqlSession session, ImportMapper sql, Summary file, ImportOptions options, ProblemList problems,
                       Timing timing) throws IOException {
        int limit = MAX_LISTED_PROBLEMS;
        String structureColumn = file.header().format() == ImportFormat.NATIVE ? "uai" : columnOf(file, ImportFormat.Cell.STRUCTURES);
        String loginColumn = columnOf(file, ImportFormat.Cell.LOGIN);
        for (ProblemRow r : sql.unresolvedStructures(limit)) {
            problems.add(ImportProblem.at(r.line(), structureColumn, "import.severalStructures", r.value()));
        }
        for (ProblemRow r : sql.duplicateLogins(limit)) {
            problems.add(ImportProblem.at(r.line(), loginColumn, "import.duplicateLogin", r.value(), r.other()));
        }
        sql.createStructureTable();
        for (ProblemRow r : sql.unknownStructures(limit)) {
            String column = file.header().format() == ImportFormat.NATIVE ? "structure_name" : structureColumn;
            problems.add(ImportProblem.at(r.line(), column, file.header().format() == ImportFormat.NATIVE
                    ? "import.unknownStructure" : "import.unknownStructureEnt", r.value()));
        }
        if (options.hideSuperAdmins()) {
            for (ProblemRow r : sql.reservedAccounts(limit)) {
                problems.add(ImportProblem.at(r.line(), loginColumn, "import.reservedAccount", r.value()));
            }
        }
        timing.mark("checks");
        boolean byName = file.header().format().relativesByName();
        sql.createRefTable(byName);
        if (byName) {
            sql.createSchoolKeyTable();
            for (String uai : sql.structuresNamingRelatives()) copySchoolKeys(session, uai, sql.schoolPeople(uai));
            sql.resolveByNameInFile(false);
            sql.resolveByNameInFile(true);
            sql.resolveByNameInSchool(false, options.hideSuperAdmins());
            sql.resolveByNameInSchool(true, options.hideSuperAdmins());
        }
        sql.resolveByLoginInFile();
        sql.resolveByLoginInSchool(options.hideSuperAdmins());
        timing.mark("relatives resolved");
        for (RefProblemRow r : sql.relativeProblems(limit)) {
            boolean child = r.direction().equals("c");
            String column = child ? file.childColumn() : file.parentColumn();
            if (r.candidates().isEmpty()) {
                problems.add(ImportProblem.at(r.line(), column, child ? "import.unknownChild" : "import.unknownParent", r.ref()));
            } else if (r.candidates().size() > 1) {
                problems.add(ImportProblem.at(r.line(), column, "import.ambiguousRelative", r.ref(),
                        String.join(", ", r.candidates())));
            } else {
                String profile = Profile.parse(r.candidateProfile()).map(Profile::frenchName).orElse(r.candidateProfile());
                problems.add(ImportProblem.at(r.line(), column, child ? "import.childNotPupil" : "import.parentNotRelative",
                        r.ref(), profile));
            }
        }
    }

    private static String columnOf(Summary file, ImportFormat.Cell cell) {
        for (int i = 0; i < file.header().columns().size(); i++) {
            ImportFormat.Column c = file.header().columns().get(i);
            if (c != null && c.cell() == cell) return c.header();
        }
        return cell.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The school's pupils and parents with their name keys (computed here, like the file's). */
    private static void copySchoolKeys(SqlSession session, String uai, List<ImportMapper.SchoolPerson> people) throws IOException {
        StringBuilder rows = new StringBuilder(people.size() * 64);
        for (ImportMapper.SchoolPerson p : people) {
            rows.append(StagingWriter.copyText(uai)).append('\t').append(StagingWriter.copyText(p.login())).append('\t')
                    .append(StagingWriter.copyText(p.profile())).append('\t')
                    .append(StagingWriter.copyText(NameKey.firstLast(p.firstName(), p.lastName()))).append('\t')
                    .append(StagingWriter.copyText(NameKey.lastFirst(p.firstName(), p.lastName()))).append('\t')
                    .append(p.hidden() ? 't' : 'f').append('\n');
        }
        try (Reader reader = new StringReader(rows.toString())) {
            copyManager(session).copyIn(statement(session, "copySchoolKeys"), reader);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot copy the school's names", e);
        }
    }

    private static ImportReport report(ImportMapper sql, Summary file, ImportOptions options) {
        ImportMapper.Counts counts = sql.counts();
        Map<String, Integer> fields = new LinkedHashMap<>();
        for (ImportMapper.FieldCount f : sql.changedFields()) fields.put(f.field(), f.count());
        int limit = options.listLimit();
        int absent = sql.absentCount(options.hideSuperAdmins());
        return new ImportReport(file.header().format().label(), counts.lines(), counts.created(), counts.updated(),
                counts.unchanged(), sql.structureUais(), fields, sql.newClasses(), sql.createdAccounts(limit),
                sql.updatedAccounts(limit), absent, absent == 0 ? List.of() : sql.absentAccounts(options.hideSuperAdmins(), limit),
                options.apply());
    }

    private static CopyManager copyManager(SqlSession session) {
        try {
            return session.getConnection().unwrap(PGConnection.class).getCopyAPI();
        } catch (SQLException e) {
            throw new IllegalStateException("the import needs a PostgreSQL connection", e);
        }
    }

    /** The text of a statement of ImportMapper.xml that is run through the CopyManager, not MyBatis. */
    private static String statement(SqlSession session, String id) {
        return session.getConfiguration().getMappedStatement(ImportMapper.class.getName() + "." + id)
                .getBoundSql(null).getSql();
    }

    /** Where a big import spends its time (INFO from 100,000 lines, for the operator; DEBUG below). */
    private static void log(int lines, String what, Timing timing) {
        if (lines >= 100_000) LOG.info("{} of {} lines: {}", what, lines, timing);
        else LOG.debug("{} of {} lines: {}", what, lines, timing);
    }

    /** How long each step took. */
    private static final class Timing {
        private final StringBuilder steps = new StringBuilder();
        private long last = System.nanoTime();

        void mark(String step) {
            long now = System.nanoTime();
            if (steps.length() > 0) steps.append(", ");
            steps.append(step).append(' ').append((now - last) / 1_000_000).append(" ms");
            last = now;
        }

        @Override
        public String toString() {
            return steps.toString();
        }
    }
}

package fr.publipostage.directory;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/**
 * The import's staging tables, checks and merge (SQL in ImportMapper.xml). Every statement runs in the
 * import's one transaction on one connection: the staging tables are temporary and dropped with it.
 */
public interface ImportMapper {
    /** Imports that write run one at a time (all instances): two imports of one school never race. */
    void lockImports();

    void tune();

    void createLineTable();

    void createSchoolKeyTable();

    // copyLines and copySchoolKeys (COPY … FROM STDIN) are statement texts of the XML run through the
    // driver's CopyManager: AccountImporter reads them from the configuration, never calls them.

    List<Structure> structures();

    void indexLines(@Param("byName") boolean byName);

    int chooseStructure(@Param("uai") String uai);

    List<ProblemRow> unresolvedStructures(@Param("limit") int limit);

    List<ProblemRow> duplicateLogins(@Param("limit") int limit);

    void createStructureTable();

    List<ProblemRow> unknownStructures(@Param("limit") int limit);

    List<ProblemRow> reservedAccounts(@Param("limit") int limit);

    List<String> structuresNamingRelatives();

    List<SchoolPerson> schoolPeople(@Param("uai") String uai);

    void createRefTable(@Param("byName") boolean byName);

    void resolveByNameInFile(@Param("reversed") boolean reversed);

    void resolveByNameInSchool(@Param("reversed") boolean reversed, @Param("hideSuperAdmins") boolean hideSuperAdmins);

    void resolveByLoginInFile();

    void resolveByLoginInSchool(@Param("hideSuperAdmins") boolean hideSuperAdmins);

    List<RefProblemRow> relativeProblems(@Param("limit") int limit);

    void createLinkTable();

    void createAccountTable();

    void createChangeTable(@Param("fields") List<AccountColumn> fields, @Param("hasClasses") boolean hasClasses);

    List<String> structureUais();

    Counts counts();

    List<FieldCount> changedFields();

    int newClasses();

    List<ImportReport.Entry> createdAccounts(@Param("limit") int limit);

    List<ImportReport.Entry> updatedAccounts(@Param("limit") int limit);

    int absentCount(@Param("hideSuperAdmins") boolean hideSuperAdmins);

    List<ImportReport.Entry> absentAccounts(@Param("hideSuperAdmins") boolean hideSuperAdmins, @Param("limit") int limit);

    // Writing (apply only).
    void insertStructures();

    void renameStructures();

    /** The file's schools whose name with its article is to be derived (new, renamed, never derived). */
    List<Structure> structuresWithoutArticle();

    void mergeClasses();

    void analyzeClasses();

    void analyzeAccounts();

    void analyzeMemberships();

    void createMemberTable();

    void createLinkIdTable();

    void insertAccounts(@Param("fields") List<AccountColumn> fields);

    int updateAccounts(@Param("fields") List<AccountColumn> fields);

    void createAffectedTable();

    void mergeMemberships();

    void mergeRelatives();

    int refreshAffected();

    /** A line's problem found by SQL: the line, the value concerned and one more (a first line, a list). */
    record ProblemRow(long line, String value, String other) {
    }

    record RefProblemRow(long line, String direction, String ref, List<String> candidates, String candidateProfile,
                         String targetProfile) {
    }

    record SchoolPerson(String login, String profile, String firstName, String lastName, boolean hidden) {
    }

    record Counts(int lines, int created, int updated, int unchanged) {
    }

    record FieldCount(String field, int count) {
    }
}

package fr.publipostage.directory;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** Structures, classes and accounts. SQL in DirectoryMapper.xml. */
public interface DirectoryMapper {
    List<Structure> listStructures();

    Structure findStructureByUai(@Param("uai") String uai);

    Structure findStructureById(@Param("id") long id);

    long upsertStructure(@Param("uai") String uai, @Param("name") String name);

    void updateStructureDetails(@Param("uai") String uai, @Param("address") String address,
                                @Param("defaultLanguage") String defaultLanguage, @Param("entUrl") String entUrl);

    List<SchoolClass> listClasses(@Param("structureId") long structureId);

    List<String> listLevels(@Param("structureId") long structureId);

    long upsertClass(@Param("structureId") long structureId, @Param("name") String name, @Param("level") String level);

    UpsertResult upsertAccount(@Param("structureId") long structureId, @Param("row") AccountRow row);

    void deleteAccountClasses(@Param("accountId") long accountId);

    void insertAccountClasses(@Param("accountId") long accountId, @Param("classIds") Collection<Long> classIds);

    void deleteChildrenOf(@Param("parentId") long parentId);

    void insertRelative(@Param("parentId") long parentId, @Param("childId") long childId);

    /** Login → account id, for the given logins that exist in the structure. */
    List<IdByKey> accountIdsByLogin(@Param("structureId") long structureId, @Param("logins") Collection<String> logins);

    /** Upper-cased "LAST First" of every pupil → id: the ENT export names children, not logins. */
    List<IdByKey> pupilIdsByName(@Param("structureId") long structureId);

    /** Recomputes the read columns of the check table (classes, levels, children, sort_class). */
    String refreshReadColumns(@Param("structureId") long structureId);

    int countAccounts(@Param("structureId") long structureId);

    /** Id and whether the row was inserted (false: an existing account was updated). */
    record UpsertResult(long id, boolean inserted) {
    }

    record IdByKey(String key, long id) {
    }

    /** What an import line says about an account. Null fields keep the stored value on update. */
    record AccountRow(Profile profile, String lastName, String firstName, String login, String loginAlias,
                      String activationCode, String email, String level, List<String> functions,
                      LocalDate createdAt, String language, java.time.OffsetDateTime lastLoginAt) {
    }
}

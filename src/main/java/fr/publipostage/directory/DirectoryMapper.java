package fr.publipostage.directory;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** Structures, classes and accounts. SQL in DirectoryMapper.xml. */
public interface DirectoryMapper {
    List<Structure> listStructures();

    Structure findStructureByUai(@Param("uai") String uai);

    Structure findStructureById(@Param("id") long id);

    void updateStructureDetails(@Param("uai") String uai, @Param("address") String address,
                                @Param("defaultLanguage") String defaultLanguage, @Param("entUrl") String entUrl);

    List<SchoolClass> listClasses(@Param("structureId") long structureId);

    List<String> listLevels(@Param("structureId") long structureId);

    /** Recomputes the read columns of the check table (classes, levels, children, sort_class). */
    String refreshReadColumns(@Param("structureId") long structureId);

    int countAccounts(@Param("structureId") long structureId);

}

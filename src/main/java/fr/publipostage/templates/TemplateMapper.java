package fr.publipostage.templates;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** SQL of the template overrides: src/main/resources/fr/publipostage/templates/TemplateMapper.xml. */
public interface TemplateMapper {
    /** The latest version of every file of a structure that has ever been overridden, with its text. */
    List<TemplateVersion> latest(@Param("structureId") long structureId);

    /** Every version of one file, newest first, without the texts. */
    List<TemplateVersion> history(@Param("structureId") long structureId, @Param("name") String name);

    TemplateVersion version(@Param("structureId") long structureId, @Param("name") String name,
                            @Param("version") int version);

    /** Adds the next version (latest + 1) and returns its number, or null when {@code expected} is not the latest. */
    Integer append(@Param("v") TemplateVersion version, @Param("expected") Integer expectedLatest);

    /** Takes the structure's lock on its template set for this transaction (saves are serialised). */
    void lock(@Param("structureId") long structureId);
}

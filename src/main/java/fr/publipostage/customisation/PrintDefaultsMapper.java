package fr.publipostage.customisation;

import org.apache.ibatis.annotations.Param;

/** The {@code structure_print_defaults} table. SQL in PrintDefaultsMapper.xml. */
public interface PrintDefaultsMapper {
    /** The school's archive default, null when it never set one. */
    Boolean archive(@Param("structureId") long structureId);

    void setArchive(@Param("structureId") long structureId, @Param("archive") boolean archive,
                    @Param("author") String author);
}
